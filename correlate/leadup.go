package correlate

import (
	"sort"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// leadUp lists what came before the death, each with its own time: failed probes, back-offs,
// the kubelet's kill or eviction when something later dates the death, and the first signs
// of the node's pressure episode.
func leadUp(c *caseFile, sc *scene) []report.LeadUp {
	d := &c.d
	if d.Time == nil {
		return nil
	}
	var out []report.LeadUp
	add := func(at time.Time, what string, ev report.Evidence) {
		if at.IsZero() || at.After(*d.Time) || at.Before(d.Time.Add(-leadUpSpan)) {
			return
		}
		t := at.UTC()
		out = append(out, report.LeadUp{Time: &t, What: what, Input: ev.Input, Line: ev.Line})
	}
	m := c.moment()
	for i := range c.seen {
		s := &c.seen[i]
		if s == m {
			continue
		}
		switch s.kind {
		case seenProbe:
			what := s.probe + " probe failed" + messageSuffix(s.message)
			if strings.HasPrefix(s.message, s.probe+" probe") {
				what = strings.Join(strings.Fields(s.message), " ")
			}
			if !s.from.IsZero() && s.from.Before(s.at) {
				what += " (repeated since " + s.from.UTC().Format("15:04:05") + ")"
			}
			add(s.at, what, s.ev)
		case seenBackOff:
			add(s.at, "restart back-off", s.ev)
		case seenKilling:
			add(s.at, "the kubelet killed the container"+messageSuffix(s.message), s.ev)
		case seenEvicted:
			add(s.at, "the kubelet evicted the pod", s.ev)
		}
	}
	if p := episodeAt(sc.pressure, d.Node, *d.Time, sc.window); p != nil && len(p.Evidence) > 0 {
		e := p.Evidence[0]
		if e.Time != nil {
			what := "node pressure began"
			switch {
			case len(p.Resources) > 0:
				what += " (" + strings.Join(p.Resources, " and ") + ")"
			case len(p.Conditions) > 0:
				what += " (node conditions " + strings.Join(p.Conditions, ", ") + ")"
			case p.NodeOOMs > 0:
				what += " (node-wide OOM kills)"
			}
			add(*e.Time, what, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(*out[j].Time) })
	return out
}

// leadUpSpan is how long before a death its lead-up is looked for.
const leadUpSpan = 15 * time.Minute

func messageSuffix(msg string) string {
	if msg = strings.Join(strings.Fields(msg), " "); msg != "" {
		if len(msg) > 160 {
			msg = msg[:160] + "…"
		}
		return ": " + msg
	}
	return ""
}
