package correlate

import (
	"strings"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
)

// One kill seen by two inputs whose clocks disagree by ten minutes (a syslog read in the wrong
// zone) is one death, and the death says by how much they disagree.
func TestSkewedDuplicateIsOneKill(t *testing.T) {
	line := "Memory cgroup out of memory: Killed process 143 (memhog) total-vm:1259696kB, anon-rss:32412kB, file-rss:4kB, shmem-rss:1636kB, UID:0 pgtables:148kB oom_score_adj:938"
	at := time.Date(2026, 11, 27, 19, 5, 40, 0, time.UTC)
	mk := func(input string, wall time.Time) *parsers.KernelOOM {
		ks := parsers.ParseKernelMessages([]*parsers.Message{{Input: input, Line: 1, Raw: line, Text: line, Program: "kernel", Host: "node1", Wall: wall, Priority: -1}})
		if len(ks) != 1 {
			t.Fatalf("%d reports from one kill line", len(ks))
		}
		return ks[0]
	}
	out, notes := mergeDuplicates([]*parsers.KernelOOM{mk("messages", at), mk("kern.log", at.Add(10*time.Minute))})
	if len(out) != 1 {
		t.Fatalf("%d kills, want 1", len(out))
	}
	if n := notes[out[0]]; len(n) != 1 || !strings.Contains(n[0].Text, "10m0s apart") || n[0].Code != report.NoteInputsDisagree {
		t.Errorf("notes %q", n)
	}
	// Two hosts never merge, however alike their lines.
	other := mk("kern.log", at)
	other.Host = "node2"
	if out, _ := mergeDuplicates([]*parsers.KernelOOM{mk("messages", at), other}); len(out) != 2 {
		t.Errorf("kills of two hosts merged")
	}
}
