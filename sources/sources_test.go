package sources

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type line struct {
	N    int
	Text string
	Cut  int
	Err  string
}

func collect(in *Input) []line {
	var out []line
	for rec, err := range in.Records {
		l := line{N: rec.Line, Text: string(rec.Bytes), Cut: rec.Cut}
		if err != nil {
			l.Err = err.Error()
		}
		out = append(out, l)
	}
	return out
}

func TestLines(t *testing.T) {
	tests := []struct {
		reason string
		in     string
		want   []line
	}{
		{"CRLF and a last line without newline", "a\r\nb\n\nc",
			[]line{{1, "a", 0, ""}, {2, "b", 0, ""}, {3, "", 0, ""}, {4, "c", 0, ""}}},
		{"empty input has no lines", "", nil},
		{"an over-long line keeps its head and says how much it dropped",
			strings.Repeat("x", MaxLineBytes+5) + "\nnext\n",
			[]line{{1, strings.Repeat("x", MaxLineBytes), 5, ""}, {2, "next", 0, ""}}},
	}
	for _, tt := range tests {
		got := collect(&Input{Records: Lines(strings.NewReader(tt.in))})
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: mismatch (-want +got):\n%s", tt.reason, diff)
		}
	}
}

// TestTenMegabyteLine reads a 10 MB line with memory bounded by MaxLineBytes.
func TestTenMegabyteLine(t *testing.T) {
	big := bytes.Repeat([]byte("y"), 10<<20)
	r := bytes.NewReader(append(append([]byte("head\n"), big...), []byte("\ntail\n")...))
	got := collect(&Input{Records: Lines(r)})
	if len(got) != 3 || got[1].Cut != 10<<20-MaxLineBytes || got[2].Text != "tail" {
		t.Fatalf("got %d lines, cut %d", len(got), got[1].Cut)
	}
}

func gzipped(t *testing.T, s string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(s))
	zw.Close()
	return buf.Bytes()
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	plain := write("messages", []byte("one\ntwo\n"))
	gz := write("rotated-no-suffix", gzipped(t, "zipped\n"))
	full := gzipped(t, strings.Repeat("line of text that compresses\n", 5000))
	truncated := write("cut.gz", full[:len(full)/2])
	missing := filepath.Join(dir, "missing")

	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	src := &Files{Paths: []string{plain, gz, truncated, missing, "-"}, Stdin: strings.NewReader("from stdin\n"), Now: now}
	var names, errs []string
	results := map[string][]line{}
	for in, err := range src.Inputs() {
		names = append(names, filepath.Base(in.Name))
		if err != nil {
			errs = append(errs, filepath.Base(in.Name))
			continue
		}
		results[filepath.Base(in.Name)] = collect(in)
	}
	if diff := cmp.Diff([]string{"missing"}, errs); diff != "" {
		t.Errorf("inputs that failed to open (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]line{{1, "one", 0, ""}, {2, "two", 0, ""}}, results["messages"]); diff != "" {
		t.Errorf("plain file (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]line{{1, "zipped", 0, ""}}, results["rotated-no-suffix"]); diff != "" {
		t.Errorf("gzip detected by magic (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]line{{1, "from stdin", 0, ""}}, results["-"]); diff != "" {
		t.Errorf("stdin (-want +got):\n%s", diff)
	}
	cut := results["cut.gz"]
	if len(cut) < 1000 || cut[len(cut)-1].Err == "" || cut[1000].Text != "line of text that compresses" {
		t.Errorf("truncated gzip: want the lines before the damage and then an error, got %d lines ending %+v", len(cut), cut[len(cut)-1])
	}
}

// TestKmsgFile reads /dev/kmsg records from a regular file (a fake root), giving each record
// its wall-clock time from the boot time and skipping those before Since.
func TestKmsgFile(t *testing.T) {
	records := "4,496,374309521,-;memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n" +
		" SUBSYSTEM=memory\n" +
		"6,495,1000000,-;early record\n"
	p := filepath.Join(t.TempDir(), "kmsg")
	if err := os.WriteFile(p, []byte(records), 0o644); err != nil {
		t.Fatal(err)
	}
	boot := time.Date(2026, 11, 27, 18, 27, 30, 0, time.UTC)
	src := &Kmsg{Path: p, BootTime: boot, Since: boot.Add(10 * time.Second)}
	var got []line
	var times []time.Time
	for in, err := range src.Inputs() {
		if err != nil {
			t.Fatal(err)
		}
		for rec, err := range in.Records {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, line{N: rec.Line, Text: string(rec.Bytes)})
			times = append(times, rec.Time)
		}
	}
	want := []line{{1, "4,496,374309521,-;memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0", 0, ""},
		{2, " SUBSYSTEM=memory", 0, ""}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if len(times) > 0 && !times[0].Equal(boot.Add(374309521*time.Microsecond)) {
		t.Errorf("record time %v", times[0])
	}
}

func TestCommandMissing(t *testing.T) {
	for _, err := range (&Command{Name: "x", Path: "no-such-program-coroner"}).Inputs() {
		if err == nil {
			t.Error("a missing program must be an error of the input")
		}
	}
}
