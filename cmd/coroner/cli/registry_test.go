package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
	"github.com/k8s-coroner/coroner/sources/elastic/estest"
	"github.com/k8s-coroner/coroner/sources/loki"
	"github.com/k8s-coroner/coroner/sources/loki/lokitest"
)

// guardParser reads the kills of an invented userspace OOM killer, acme-oomguard, which no
// real parser knows: nothing but its registry entry can make coroner see them.
type guardParser struct{}

var guardKill = regexp.MustCompile(`acme-oomguard: killed pid (\d+) \(([^)]*)\) on node memory pressure`)

func (guardParser) Busy() bool        { return false }
func (guardParser) Flush(parsers.Out) {}
func (guardParser) Feed(m *parsers.Message, out parsers.Out) {
	sm := guardKill.FindStringSubmatch(m.Text)
	if sm == nil {
		out.Warn(parsers.Warning{Line: m.Line, Message: "acme-oomguard line not understood, skipped"})
		return
	}
	pid, _ := strconv.Atoi(sm[1])
	ev := m.Evidence("kill")
	out.Event(&parsers.KernelOOM{Host: m.Host, Constraint: "CONSTRAINT_NONE", GlobalOOM: true, Lines: []parsers.Evidence{ev},
		Kills: []parsers.Kill{{Evidence: ev, PID: pid, Comm: sm[2], TotalVMKiB: -1, AnonRSSKiB: -1, FileRSSKiB: -1, ShmemRSSKiB: -1, UID: -1}}})
}

// registerGuard adds the parser to the registry for the test, as its one entry would.
func registerGuard(t *testing.T) {
	saved := parsers.Registry
	parsers.Registry = append(slices.Clone(saved), parsers.Spec{Name: "zz-acme-oomguard", Help: "acme-oomguard's kills (test only)",
		Triggers: []string{"acme-oomguard: killed"}, New: func() parsers.Parser { return guardParser{} }})
	t.Cleanup(func() { parsers.Registry = saved })
}

// Adding a parser is its file plus one registry entry: the test-only guardParser's entry
// alone makes the prefilter pass its lines (coroner analyze), the Loki line filter and the
// Elasticsearch phrases ship them, and the correlator turn its event into a kill. Without
// the entry, the same evidence gives nothing.
func TestNewParserNeedsOnlyItsEntry(t *testing.T) {
	at := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	line := "acme-oomguard: killed pid 4242 (java) on node memory pressure"
	dir := t.TempDir()
	file := filepath.Join(dir, "guard.log")
	// A syslog file, padded so that the prefilter (not the first lines' sampling) decides.
	var content []byte
	for i := range 200 {
		content = append(content, []byte(at.Add(time.Duration(i-200)*time.Second).Format(time.RFC3339)+" node-3 app[1]: request served\n")...)
	}
	content = append(content, []byte(at.Format(time.RFC3339)+" node-3 guardd[77]: "+line+"\n")...)
	// A line the parser recognises but cannot read: its warning must reach the input's report.
	content = append(content, []byte(at.Format(time.RFC3339)+" node-3 guardd[77]: acme-oomguard: killed pid (garbled\n")...)
	if err := os.WriteFile(file, content, 0o644); err != nil {
		t.Fatal(err)
	}
	lokiSrv := lokitest.New()
	defer lokiSrv.Close()
	c, _ := loki.New(loki.Config{URL: lokiSrv.URL})
	if err := c.Push(context.Background(), []loki.Finding{{Labels: map[string]string{"job": "systemd-journal", "host": "node-3"}, Time: at, Line: line}}); err != nil {
		t.Fatal(err)
	}
	esSrv := estest.New()
	defer esSrv.Close()
	esSrv.Index("logs-journald", map[string]any{"@timestamp": at.Format(time.RFC3339Nano), "message": line,
		"host": map[string]any{"hostname": "node-3"}, "systemd": map[string]any{"unit": "acme-oomguard.service"}})
	const from, to = "2026-11-27T00:00:00Z", "2026-11-28T00:00:00Z"
	runs := map[string][]string{
		"analyze":       {"analyze", "-o", "json", "--year", "2026", file},
		"loki":          {"loki", "--url", lokiSrv.URL, "-o", "json", "--from", from, "--to", to, "--no-count"},
		"elasticsearch": {"elasticsearch", "--url", esSrv.URL, "--index", "logs-*", "-o", "json", "--from", from, "--to", to, "--no-count"},
	}
	warned := 0 // the garbled line's warnings in analyze's report
	kills := func(t *testing.T) map[string]int {
		got := map[string]int{}
		warned = 0
		for name, args := range runs {
			out, stderr, _ := runMain(t, "", args...)
			var rep report.Report
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("%s: no report: %v\n%s", name, err, stderr)
			}
			for _, in := range rep.Inputs {
				for _, w := range in.Warnings {
					if w.Line == 202 && w.Message == "acme-oomguard line not understood, skipped" {
						warned++
					}
				}
			}
			for _, d := range append(rep.Deaths, rep.HostKills...) {
				if d.Victim != nil && d.Victim.PID == 4242 {
					got[name]++
				}
			}
		}
		return got
	}
	if got := kills(t); len(got) != 0 || warned != 0 {
		t.Fatalf("without the parser's entry, kills were found (%v) or its warning given (%d)", got, warned)
	}
	registerGuard(t)
	got := kills(t)
	if warned != 1 {
		t.Errorf("the garbled acme-oomguard line at 202 gave %d warnings in analyze's report, want 1", warned)
	}
	for name := range runs {
		if got[name] != 1 {
			t.Errorf("%s: %d kills of pid 4242, want 1 from the registered parser alone", name, got[name])
		}
	}
}
