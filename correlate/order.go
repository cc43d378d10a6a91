package correlate

import (
	"sort"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// lineOrder puts warnings about the whole input (line 0) after those about a line.
func lineOrder(line int) int {
	if line == 0 {
		return int(^uint(0) >> 1)
	}
	return line
}

// sortDeaths orders by time (unknown times last, by boot time), then node and first line.
func sortDeaths(ds []report.Death) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		switch {
		case (a.Time == nil) != (b.Time == nil):
			return a.Time != nil
		case a.Time != nil && !a.Time.Equal(*b.Time):
			return a.Time.Before(*b.Time)
		case a.Node != b.Node:
			return a.Node < b.Node
		case a.BootTime != nil && b.BootTime != nil && *a.BootTime != *b.BootTime:
			return *a.BootTime < *b.BootTime
		}
		return firstBefore(a, b)
	})
}

func firstBefore(a, b report.Death) bool {
	if len(a.Evidence) == 0 || len(b.Evidence) == 0 {
		return len(a.Evidence) < len(b.Evidence)
	}
	x, y := a.Evidence[0], b.Evidence[0]
	if x.Input != y.Input {
		return x.Input < y.Input
	}
	return x.Line < y.Line
}
