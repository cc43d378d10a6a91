package correlate

import (
	"sort"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
)

// describeInputs says what became of each input: its kind, lines, span, clock and warnings,
// the OOM reports without a kill line among them.
func describeInputs(inputs []*parsers.InputResult, clocks map[bootKey]*bootClock, inc []*parsers.IncompleteOOM) []report.Input {
	out := make([]report.Input, 0, len(inputs))
	for _, in := range inputs {
		ri := report.Input{Name: in.Name, Kind: in.Kind, Lines: in.Lines, Warnings: []report.Warning{}, Role: in.Role}
		if in.Archive != nil {
			ri.Archive, ri.Node = in.Archive.Name, in.Archive.Host
		}
		if !in.First.IsZero() {
			f, l := in.First.UTC(), in.Last.UTC()
			ri.First, ri.Last = &f, &l
		}
		if in.Err != nil {
			ri.Error = in.Err.Error()
		}
		for _, w := range in.Warnings {
			ri.Warnings = append(ri.Warnings, report.Warning(w))
		}
		for _, i := range inc {
			if i.Lines[0].Input == in.Name {
				ri.Warnings = append(ri.Warnings, report.Warning{Line: i.Lines[0].Line,
					Message: "OOM report without a kill line: " + i.Why})
			}
		}
		sort.SliceStable(ri.Warnings, func(i, j int) bool { return lineOrder(ri.Warnings[i].Line) < lineOrder(ri.Warnings[j].Line) })
		if c := clocks[bootKey{in.Name, 0}]; c != nil {
			cc := c.Clock
			ri.Clock = &cc
			if ri.Node == "" {
				ri.Node = c.host
			}
		}
		out = append(out, ri)
	}
	return out
}

// incompleteReport lists the OOM reports whose kill line the inputs do not show.
func incompleteReport(inc []*parsers.IncompleteOOM) []report.Incomplete {
	out := []report.Incomplete{}
	for _, i := range inc {
		out = append(out, report.Incomplete{Input: i.Lines[0].Input, Node: i.Host,
			Reason: i.Why, Seen: append([]string{}, i.Seen...), Evidence: evidenceOf(i.Lines)})
	}
	return out
}
