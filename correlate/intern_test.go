package correlate

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// TestSentences: the deaths keep their words, and equal sentences share one copy.
func TestSentences(t *testing.T) {
	long := func(s string) string { return strings.Clone(s + " of a sentence long enough to be worth sharing") } // a copy of its own
	ds := []report.Death{
		{Summary: long("a"), Advice: []string{long("x"), "short"}, Notes: []string{long("n")}},
		{Summary: long("a"), Advice: []string{long("x"), "short"}, Notes: []string{long("m")}},
		{Summary: long("b"), Fix: &report.Fix{Basis: long("x")}},
	}
	var texts sentences
	for i := range ds {
		texts.death(&ds[i])
	}
	same := func(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }
	tests := []struct {
		reason string
		a, b   string
		shared bool
	}{
		{"two deaths' equal summaries share one copy", ds[0].Summary, ds[1].Summary, true},
		{"equal advice shares one copy", ds[0].Advice[0], ds[1].Advice[0], true},
		{"the same words in another field (a fix's basis) share it too", ds[0].Advice[0], ds[2].Fix.Basis, true},
		{"different notes stay different", ds[0].Notes[0], ds[1].Notes[0], false},
	}
	for _, tt := range tests {
		if same(tt.a, tt.b) != tt.shared {
			t.Errorf("%s: shared %v, want %v", tt.reason, !tt.shared, tt.shared)
		}
	}
	if ds[0].Summary != long("a") || ds[1].Advice[1] != "short" || ds[2].Summary != long("b") || ds[1].Notes[0] != long("m") {
		t.Errorf("interning changed a text: %+v", ds)
	}
}
