package correlate

import (
	"fmt"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// settleTime gives a case without a kernel time the time of its death (the best-ranked
// sighting, see caseFile.moment), never its first warning sign, and warns when node logs and
// the API disagree by more than the window (a zone or a clock).
func settleTime(c *caseFile, window time.Duration) {
	d := &c.d
	var logS, apiS *sighting
	for i := range c.seen {
		s := &c.seen[i]
		if s.at.IsZero() {
			continue
		}
		fromNode := s.byKubelet || s.kind == seenExit || s.kind == seenRuntimeOOM
		if fromNode {
			logS = betterMoment(logS, s)
		} else { // pod status, Events: stamped by the API's clients in UTC
			apiS = betterMoment(apiS, s)
		}
	}
	var logT, apiT time.Time
	if logS != nil {
		logT = logS.at
	}
	if apiS != nil {
		apiT = apiS.at
	}
	if d.Time != nil {
		logT = *d.Time
	}
	if d.Time == nil {
		t := logT
		if m := c.moment(); m != nil {
			t = m.at
		} else if t.IsZero() {
			t = apiT
		}
		if !t.IsZero() {
			t = t.UTC()
			d.Time = &t
			if c.kernel() {
				d.AddNote(report.NoteTimeFromAPI, "the time is taken from "+timeSourceOf(c, t)+": the kernel log gave only time since boot")
			}
		}
	}
	if d.Time == nil && d.BootTime == nil {
		d.Age = ageOf(c)
	}
	if !logT.IsZero() && !apiT.IsZero() {
		if gap := logT.Sub(apiT); gap > window || gap < -window {
			note := fmt.Sprintf("node logs and the API disagree about the time by %s: the node log's time zone (--tz) or the node's clock is off", roundGap(gap))
			if !c.kernel() { // the API's stamps carry their zone; a year-less node log may not
				t := apiT.UTC()
				d.Time = &t
				note += "; the time shown is the API's"
			}
			d.AddNote(report.NoteClocksDisagree, note)
		}
	}
}

// betterMoment keeps the sighting that dates a death better: a higher rank in deathOrder, then
// the earlier; a sighting of no rank (a probe failure) only when nothing better is there.
func betterMoment(best, s *sighting) *sighting {
	if best == nil {
		return s
	}
	rb, okb := deathOrder[best.kind]
	rs, oks := deathOrder[s.kind]
	switch {
	case oks && !okb:
		return s
	case okb && !oks:
		return best
	case oks && rs != rb:
		if rs < rb {
			return s
		}
		return best
	}
	if s.at.Before(best.at) {
		return s
	}
	return best
}

func timeSourceOf(c *caseFile, t time.Time) string {
	for _, s := range c.seen {
		if s.at.UTC().Equal(t) {
			switch s.kind {
			case seenTerminated:
				return "the container's finishedAt in pod status (whole seconds)"
			case seenExit:
				return "the runtime's exit time"
			}
			return "the " + s.component + " line"
		}
	}
	return "other evidence"
}

func roundGap(d time.Duration) time.Duration {
	if d < 0 {
		d = -d
	}
	return d.Round(time.Second)
}

// ageOf is the relative age that dates a death known only from kubectl's tables: the age of
// its best-ranked sighting that has one.
func ageOf(c *caseFile) string {
	best, rank := "", 1<<30
	for i := range c.seen {
		s := &c.seen[i]
		r, ok := deathOrder[s.kind]
		if !ok {
			r = 100
		}
		if s.ev.Age != "" && r < rank {
			best, rank = s.ev.Age, r
		}
	}
	return best
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
