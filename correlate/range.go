package correlate

import (
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// KeepRange keeps the deaths that a batch job's half-open range [from, to) owns. A death at
// or after to belongs to the next range, although its kernel report began inside this one
// (the read around a kill reaches past the end to complete the report); one before from
// belongs to the previous range. So consecutive ranges, and shards of them, report every
// death once. Deaths without a wall-clock time are kept: no range can place them. It
// returns how many deaths and host kills it dropped, and summarises the report again.
func KeepRange(rep *report.Report, from, to time.Time) int {
	dropped := 0
	keep := func(ds []report.Death) []report.Death {
		out := ds[:0]
		for _, d := range ds {
			if d.Time != nil && (d.Time.Before(from) || !d.Time.Before(to)) {
				dropped++
				continue
			}
			out = append(out, d)
		}
		return out
	}
	rep.Deaths, rep.HostKills = keep(rep.Deaths), keep(rep.HostKills)
	if dropped > 0 {
		Summarize(rep)
	}
	return dropped
}
