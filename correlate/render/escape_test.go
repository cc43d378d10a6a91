package render

import (
	"testing"

	"github.com/k8s-coroner/coroner/correlate/report"
)

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain\ttext":               "plain\ttext",
		"Größe 32Mi":                "Größe 32Mi",
		"\x1b]0;pwned\x07":          `\x1b]0;pwned\x07`,
		"a\rforged\nline\x7f":       `a\x0dforged\x0aline\x7f`,
		"\u009b2J \u202eevil\u2069": `\u009b2J \u202eevil\u2069`,
		"latin1 \xe9\x9b":           `latin1 \xe9\x9b`,
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

// The renderers for people escape a copy: the caller's report, which the JSON is written
// from, keeps the raw text, and a pointer shared in the report stays shared in the copy.
func TestEscapedCopy(t *testing.T) {
	v := &report.Victim{Process: "\x1bc"}
	rep := &report.Report{Warnings: []string{"bad \x1b[2J"}, Deaths: []report.Death{{Victim: v}, {Victim: v}}}
	c := escaped(rep)
	if c.Warnings[0] != `bad \x1b[2J` || c.Deaths[0].Victim.Process != `\x1bc` {
		t.Errorf("copy not escaped: %q %q", c.Warnings, c.Deaths[0].Victim.Process)
	}
	if rep.Warnings[0] != "bad \x1b[2J" || v.Process != "\x1bc" {
		t.Error("the caller's report was changed")
	}
	if c.Deaths[0].Victim != c.Deaths[1].Victim {
		t.Error("a shared pointer is no longer shared")
	}
}
