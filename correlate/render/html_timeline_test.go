package render

import (
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

func TestNiceSteps(t *testing.T) {
	for _, c := range []struct {
		span, want float64
	}{{60, 10}, {66, 15}, {3600, 600}, {86400 * 3, 43200}, {5, 1}} {
		if got := niceDuration(c.span); got != c.want {
			t.Errorf("niceDuration(%v) = %v, want %v", c.span, got, c.want)
		}
	}
	for _, c := range []struct {
		span, want float64
	}{{1.1, 0.2}, {60, 10}, {0.05, 0.01}, {1000, 200}} {
		if got := niceSeconds(c.span); got != c.want {
			t.Errorf("niceSeconds(%v) = %v, want %v", c.span, got, c.want)
		}
	}
}

// TestBootCharts: deaths of one input whose seconds after boot fall as the lines go on are of
// two boots, each on its own axis; a dated death is on no boot axis.
func TestBootCharts(t *testing.T) {
	boot := func(s float64, line int) *report.Death {
		return &report.Death{Node: "n1", BootTime: &s, Evidence: []report.Evidence{{Input: "dmesg", Line: line, Boot: &s, Decisive: true}}}
	}
	now := time.Date(2026, 11, 27, 19, 0, 0, 0, time.UTC)
	deaths := []htmlDeath{{N: 1, D: boot(500, 10)}, {N: 2, D: boot(40, 90)}, {N: 3, D: boot(700, 20)},
		{N: 4, D: &report.Death{Node: "n1", Time: &now}}}
	charts := bootCharts(deaths)
	if len(charts) != 2 {
		t.Fatalf("%d boot charts, want 2", len(charts))
	}
	marks := func(c chart) (n int) {
		for _, r := range c.Rows {
			n += len(r.Marks)
		}
		return n
	}
	if marks(charts[0]) != 2 || marks(charts[1]) != 1 || charts[0].Rows[0].Label != "n1, boot 1" {
		t.Errorf("boots %+v", charts)
	}
	for _, c := range charts {
		if len(c.Ticks) < 2 || c.Ticks[0].Label[0] != '+' {
			t.Errorf("ticks %+v", c.Ticks)
		}
	}
	if w := wallChart(deaths, nil); w == nil || len(w.Rows) != 1 || len(w.Rows[0].Marks) != 1 {
		t.Errorf("wall chart %+v, want the one dated death", w)
	}
}
