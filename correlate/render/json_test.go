package render

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// TestJSONStreams: JSON writes the deaths one at a time, and the bytes are exactly those
// json.Encoder writes for the whole report.
func TestJSONStreams(t *testing.T) {
	at := time.Date(2025, 3, 29, 1, 2, 3, 0, time.UTC)
	death := func(pod string) report.Death {
		return report.Death{Node: "n1", Pod: pod, Time: &at, Victims: []report.Victim{{PID: 7, Process: "a<b>&c"}}, Advice: []string{},
			Evidence: []report.Evidence{{Input: "dmesg", Line: 3, Text: "line with \"quotes\" and\nnewline"}}}
	}
	tests := []struct {
		reason string
		rep    report.Report
	}{
		{"no deaths at all: both lists null", report.Report{Schema: report.Schema}},
		{"empty lists, as Analyze makes them", report.Report{Schema: report.Schema, Deaths: []report.Death{}, HostKills: []report.Death{}, Inputs: []report.Input{}}},
		{"several deaths and a host kill, with text JSON escapes (HTML characters, quotes, newlines)",
			report.Report{Schema: report.Schema, Summary: &report.Summary{Deaths: 2}, Deaths: []report.Death{death("web"), death("db")}, HostKills: []report.Death{death("")},
				Warnings: []string{"\n  \"deaths\": null,"}}},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			var want, got bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetIndent("", "  ")
			if err := enc.Encode(&tt.rep); err != nil {
				t.Fatal(err)
			}
			if err := JSON(&got, &tt.rep); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("JSON wrote\n%s\nwant\n%s", got.String(), want.String())
			}
		})
	}
}

// A byte of a log that is not UTF-8 and a U+FFFD that was in the log are both written as
// \ufffd, in JSON and JSON lines, so that a report read back (coroner merge) is written to
// the same bytes (FuzzRender found "oom-kill\xba: …" changing on the way round).
func TestJSONReplacementIsAFixedPoint(t *testing.T) {
	for _, text := range []string{"oom-kill\xba: Killed process 0", "oom-kill\uFFFD: Killed process 0", "\xff\xfe\uFFFD"} {
		rep := report.Report{Schema: report.Schema, Deaths: []report.Death{{Node: "n1", Pod: "web",
			Evidence: []report.Evidence{{Input: "dmesg", Line: 3, Text: text}}}}, Warnings: []string{text}}
		var first, jl bytes.Buffer
		if err := JSON(&first, &rep); err != nil {
			t.Fatal(err)
		}
		if err := JSONLines(&jl, &rep); err != nil {
			t.Fatal(err)
		}
		for name, out := range map[string][]byte{"JSON": first.Bytes(), "JSON lines": jl.Bytes()} {
			if bytes.Contains(out, []byte("\uFFFD")) || !bytes.Contains(out, []byte(`\ufffd`)) {
				t.Errorf("%q: %s does not write U+FFFD as its escape:\n%s", text, name, out)
			}
		}
		var back report.Report
		if err := json.Unmarshal(first.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		var again bytes.Buffer
		if err := JSON(&again, &back); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), again.Bytes()) {
			t.Errorf("%q: JSON → report → JSON changed it:\n%s\n%s", text, first.Bytes(), again.Bytes())
		}
	}
}
