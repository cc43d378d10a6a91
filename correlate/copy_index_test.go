package correlate

import (
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/parsers"
)

// repeatedKills are n reports of one input, the same kill line every ten seconds: a crash
// loop, or a hostile input of one line repeated.
func repeatedKills(t *testing.T, input string, n int, from time.Time) []*parsers.KernelOOM {
	t.Helper()
	line := "Memory cgroup out of memory: Killed process 4242 (java) total-vm:1259964kB, anon-rss:32384kB, file-rss:944kB, shmem-rss:0kB, UID:0 pgtables:148kB oom_score_adj:0"
	var out []*parsers.KernelOOM
	for i := range n {
		ks := parsers.ParseKernelMessages([]*parsers.Message{{Input: input, Line: i + 1, Raw: line, Text: line,
			Program: "kernel", Host: "node1", Wall: from.Add(time.Duration(i) * 10 * time.Second), Priority: -1}})
		if len(ks) != 1 {
			t.Fatalf("%d reports from one kill line", len(ks))
		}
		out = append(out, ks...)
	}
	return out
}

// TestCopiesOfRepeatedLines: the same kill line repeated in two inputs pairs each kill with
// its twin stamped alike, and each lookup compares a handful of reports, not all earlier ones
// (merging 100k repeated kills took two minutes when every lookup scanned every report).
func TestCopiesOfRepeatedLines(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	const n = 2000
	a, b := repeatedKills(t, "messages", n, at), repeatedKills(t, "kern.log", n, at)
	out, _ := mergeDuplicates(append(a, b...))
	if len(out) != n {
		t.Fatalf("%d kills, want %d", len(out), n)
	}
	for i, o := range out {
		if len(o.Lines) != 2 || !o.Lines[0].Wall.Equal(o.Lines[1].Wall) {
			t.Fatalf("kill %d joined lines stamped %v", i, []time.Time{o.Lines[0].Wall, o.Lines[len(o.Lines)-1].Wall})
		}
	}

	x := copyIndex{}
	for _, o := range a {
		x.add("k", o)
	}
	calls := 0
	for _, o := range b {
		x.find("k", o, time.Hour, false, func(prev *parsers.KernelOOM) bool { calls++; return prev.Decisive().Wall.Equal(o.Decisive().Wall) })
	}
	if calls != n {
		t.Errorf("%d comparisons for %d lookups, want one each: the nearest in time comes first", calls, n)
	}
	calls = 0
	x.find("k", b[0], time.Hour, false, func(*parsers.KernelOOM) bool { calls++; return false })
	if want := 361; calls != want { // the reports within the hour before and after (10 s apart)
		t.Errorf("a lookup with no match compared %d reports, want %d (the window)", calls, want)
	}
	if got := x.find("k", a[5], time.Hour, false, func(*parsers.KernelOOM) bool { return true }); got != nil {
		t.Error("a lookup that excludes its own input found a report of it")
	}
}

// TestCopyIndexWrapsTheYear: a stamp without a year is indexed without it, so a kill late on
// 31 December finds its copy stamped early on 1 January of the guessed year, and the window
// still holds across the year's end.
func TestCopyIndexWrapsTheYear(t *testing.T) {
	mk := func(input string, at time.Time) *parsers.KernelOOM {
		return &parsers.KernelOOM{Lines: []parsers.Evidence{{Pos: parsers.Pos{Input: input, Line: 1}, Role: parsers.RoleKill, Wall: at}}}
	}
	x := copyIndex{}
	late := mk("a", time.Date(2025, 12, 31, 23, 59, 50, 0, time.UTC))
	x.add("k", late)
	early := mk("b", time.Date(2026, 1, 1, 0, 0, 5, 0, time.UTC))
	if got := x.find("k", early, time.Minute, false, func(*parsers.KernelOOM) bool { return true }); got != late {
		t.Errorf("the window does not wrap at the year's end: found %v", got)
	}
	far := mk("b", time.Date(2026, 1, 1, 2, 0, 0, 0, time.UTC))
	if got := x.find("k", far, time.Minute, false, func(*parsers.KernelOOM) bool { return true }); got != nil {
		t.Error("a report two hours away is within a minute's window")
	}
}
