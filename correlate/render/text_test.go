package render

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/k8s-coroner/coroner/correlate/report"
)

func TestWrapText(t *testing.T) {
	tests := []struct {
		reason string
		in     string
		width  int
		want   []string
	}{
		{"width 0 keeps the line whole", "a b c", 0, []string{"a b c"}},
		{"breaks at spaces", "aaa bbb ccc", 7, []string{"aaa bbb", "ccc"}},
		{"a word wider than the line is cut where the line ends", "x abcdefghij", 4, []string{"x", "abcd", "efgh", "ij"}},
		{"runes count as one column", "ééé ééé", 3, []string{"ééé", "ééé"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, wrapText(tt.in, tt.width)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
		}
	}
	if diff := cmp.Diff([]string{"aa  bbb", "node x", "ccccccc", "c"}, wrapParts([]string{"aa", "bbb", "node x", "cccccccc"}, 7)); diff != "" {
		t.Errorf("wrapParts breaks between parts only (-want +got):\n%s", diff)
	}
	if got, cut := cutText("abcdef", 4); got != "abc…" || !cut {
		t.Errorf("cutText = %q, %v", got, cut)
	}
}

// TestSelectProof: one line per kind of proof, best kind first; other inputs that hold the
// same kinds are named once; the rest is counted.
func TestSelectProof(t *testing.T) {
	ev := func(input, role string, decisive bool) report.Evidence {
		return report.Evidence{Input: input, Role: report.Role(role), Decisive: decisive, Text: role + " in " + input}
	}
	d := &report.Death{Mechanism: report.CgroupOOM, Evidence: []report.Evidence{
		ev("a:dmesg", "header", false), ev("a:dmesg", "memcg-usage", true), ev("a:dmesg", "summary", true), ev("a:dmesg", "kill", true),
		ev("a:dmesg_-T", "memcg-usage", true), ev("a:dmesg_-T", "kill", true), ev("pods.yaml", "pod-status", false),
	}}
	p := selectProof(d)
	var roles []string
	for _, e := range p.lines {
		roles = append(roles, string(e.Role)+"@"+e.Input)
	}
	if diff := cmp.Diff([]string{"kill@a:dmesg", "memcg-usage@a:dmesg", "summary@a:dmesg"}, roles); diff != "" {
		t.Errorf("proof lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a:dmesg_-T"}, p.alsoIn); diff != "" {
		t.Errorf("also in (-want +got):\n%s", diff)
	}
	if p.omitted != 4 {
		t.Errorf("omitted %d, want 4", p.omitted)
	}
}

// TestTextFitsWidth renders a death with long lines at 60 columns: no line is wider, the
// table names the pod, and the footer says what was cut or left out.
func TestTextFitsWidth(t *testing.T) {
	long := strings.Repeat("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null) ", 8)
	d := report.Death{Node: "node-1", Namespace: "shop", Pod: "cart-7d9f6c5b8-x2kqz", Container: "cart", Mechanism: report.CgroupOOM,
		Confidence: "high", Summary: strings.Repeat("words that wrap ", 12), Memory: &report.Memory{LimitKiB: report.LimitOf(32768), UsageKiB: 32768},
		Evidence: []report.Evidence{{Input: "sos.tar.xz:sos_commands/kernel/dmesg", Line: 7, Role: "kill", Decisive: true, Text: long}}}
	rep := &report.Report{Deaths: []report.Death{d}, Inputs: []report.Input{{Name: "x", Kind: "dmesg"}}}
	var b strings.Builder
	if err := Text(&b, rep, Options{Width: 60}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, l := range strings.Split(out, "\n") {
		if n := utf8.RuneCountInString(l); n > 60 {
			t.Errorf("line of %d columns: %q", n, l)
		}
	}
	for _, want := range []string{"shop/cart-7d9f6c5b8-x2kqz cart", "own limit 32Mi", "dmesg:7", "cut to fit 60 columns"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	if err := Text(&b, rep, Options{Width: 60, Verbose: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "sos.tar.xz:sos_commands/kernel/dmesg:7") || strings.Contains(b.String(), "cut to fit") {
		t.Errorf("-v shows whole input names and cuts nothing:\n%s", b.String())
	}
}
