package parsers

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/k8s-coroner/coroner/sources"
)

// The lab's journal capture printed as journalctl -o verbose (golden/testdata/rendered, see
// golden/rendered_test.go): entries become messages like -o export's.
func TestVerboseEntries(t *testing.T) {
	text := readText(t, "../golden/testdata/rendered/journal-systemd-containerd/journal-k-verbose.txt")
	got := parsePasted(t, "verbose", text)
	if got.res.Kind != sources.KindJournalVerbose || len(got.ooms) != 1 || len(got.res.Warnings) != 0 {
		t.Fatalf("kind %s, %d reports, warnings %v", got.res.Kind, len(got.ooms), got.res.Warnings)
	}
	header := got.ooms[0].Lines[0]
	want := Evidence{Pos: Pos{"verbose", 11}, Text: "MESSAGE=memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		Body: "memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0", Role: "header", Host: "vm",
		Wall: time.UnixMicro(1795805923788454).UTC(), Boot: 1873085237 * time.Microsecond, HasBoot: true, Received: true}
	if diff := cmp.Diff(want, header, cmpopts.EquateApproxTime(0)); diff != "" {
		t.Errorf("header evidence (-want +got):\n%s", diff)
	}
	// The same entries, double-spaced and with a multi-line MESSAGE value, and read with
	// --kind journal-verbose.
	entry := "Fri 2026-11-27 18:58:43.788454 UTC [s=1aba;i=7dd;b=84b6e07210bf4c38b3c3827cabf773c9;m=6fa51889;t=66146a62c46a6;x=6043]\n\n" +
		"    _TRANSPORT=kernel\n\n    SYSLOG_IDENTIFIER=kernel\n\n    _HOSTNAME=vm\n\n" +
		"    MESSAGE=Memory cgroup stats for /kubepods/burstable/pod1/abc:\n             anon 33312768\n\n"
	in := &sources.Input{Name: "forced", Kind: sources.KindJournalVerbose, Records: sources.Lines(strings.NewReader(entry))}
	p := newRun(in, Options{})
	rec := &fedRecorder{}
	p.parsers = append(p.parsers, rec)
	res := p.parse(in, func(Event) {})
	if res.Kind != sources.KindJournalVerbose || len(rec.texts) != 1 || rec.texts[0] != "Memory cgroup stats for /kubepods/burstable/pod1/abc:\nanon 33312768" {
		t.Errorf("kind %s, fed %q", res.Kind, rec.texts)
	}
}

// TestPasteFurnitureIsSilent: prompts, fences and elision marks inside an open report are no
// "line in no known log format".
func TestPasteFurnitureIsSilent(t *testing.T) {
	text := readText(t, "../golden/testdata/real/cgroupfs-burstable/dmesg.txt")
	ls := lines(text)
	pasted := strings.Join(ls[:30], "\n") + "\n...\n$ dmesg | grep -A5 'memory: usage'\n```\n[…]\n" + strings.Join(ls[30:], "\n") + "\n"
	got := parsePasted(t, "furniture", pasted)
	if len(got.ooms) != 1 || len(got.res.Warnings) != 0 {
		t.Errorf("%d reports, warnings %v", len(got.ooms), got.res.Warnings)
	}
}

// TestReversedRunIsBounded: a reversed run longer than the buffer is fed in pieces, with a
// warning, and memory stays bounded.
func TestReversedRunIsBounded(t *testing.T) {
	var b strings.Builder
	for i := maxRunEntries + 10; i > 0; i-- {
		b.WriteString("[" + strconv.Itoa(i) + ".000000] Memory cgroup out of memory: Killed process 42 (x) total-vm:1kB, anon-rss:1kB, file-rss:0kB\n")
	}
	got := parsePasted(t, "long", b.String())
	if !hasWarning(got.res, "read in pieces") || !hasWarning(got.res, "newest first") {
		t.Errorf("warnings %v", got.res.Warnings)
	}
}
