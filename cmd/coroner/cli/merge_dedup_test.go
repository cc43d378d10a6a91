package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMergeCountsEachDeathOnce: merging a report with itself, or with a run over a range
// that overlaps it, counts every death once. merge doubled every death of `merge a.json
// a.json`.
func TestMergeCountsEachDeathOnce(t *testing.T) {
	dir := t.TempDir()
	analyze := func(name string, inputs ...string) (string, int) {
		out, errs, code := runMain(t, "", append([]string{"analyze", "-o", "json"}, inputs...)...)
		if code != 0 {
			t.Fatalf("analyze %v: exit %d: %s", inputs, code, errs)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return p, len(deathsOf(t, out))
	}
	one := "../../../golden/testdata/real/cgroupfs-burstable/kmsg.txt"
	a, n := analyze("a.json", one)
	if n == 0 {
		t.Fatal("the sample has no death")
	}
	out, errs, code := runMain(t, "", "merge", "-o", "json", a, a)
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	if got := len(deathsOf(t, out)); got != n {
		t.Errorf("a report merged with itself has %d deaths, want %d", got, n)
	}
	if !strings.Contains(out, "were in more than one of the merged reports") {
		t.Error("the merged report does not say copies were dropped")
	}
	// A report of the same input and another: the shared deaths count once, the others stay.
	two := "../../../golden/testdata/real/two-kills-one-container/kmsg.txt"
	b, m := analyze("b.json", one, two)
	out, errs, code = runMain(t, "", "merge", "-o", "json", a, b)
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	if got := len(deathsOf(t, out)); got != m {
		t.Errorf("overlapping reports merged to %d deaths, want %d", got, m)
	}
}
