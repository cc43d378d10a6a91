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
