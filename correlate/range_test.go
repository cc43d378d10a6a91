package correlate

import (
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

func TestKeepRange(t *testing.T) {
	from := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	to := from.Add(time.Hour)
	at := func(d time.Duration) *time.Time { x := to.Add(d); return &x }
	tests := []struct {
		reason string
		time   *time.Time
		kept   bool
	}{
		{"a kill 0.8 ms past to belongs to the next range", at(800 * time.Microsecond), false},
		{"a kill exactly at to belongs to the next range", at(0), false},
		{"a kill 1 ns before to is this range's", at(-time.Nanosecond), true},
		{"a kill exactly at from is this range's", at(-time.Hour), true},
		{"a kill before from is the previous range's", at(-time.Hour - time.Nanosecond), false},
		{"a death without a wall clock is kept", nil, true},
	}
	for _, tt := range tests {
		rep := &report.Report{Deaths: []report.Death{{Time: tt.time, Mechanism: report.CgroupOOM}}, HostKills: []report.Death{{Time: tt.time}}}
		dropped := KeepRange(rep, from, to)
		if kept := len(rep.Deaths) == 1 && len(rep.HostKills) == 1; kept != tt.kept || dropped != map[bool]int{true: 0, false: 2}[tt.kept] {
			t.Errorf("%s: kept %v (dropped %d), want kept %v", tt.reason, kept, dropped, tt.kept)
		}
		if rep.Summary != nil && rep.Summary.Deaths != len(rep.Deaths) {
			t.Errorf("%s: the summary counts %d deaths, the report holds %d", tt.reason, rep.Summary.Deaths, len(rep.Deaths))
		}
	}
}
