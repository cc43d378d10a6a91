package correlate

import (
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// adoptHostKills gives a kernel kill whose report does not name the victim's cgroup (a lone
// kill line, node-problem-detector's OOMKilling Event) to the one container that pod status
// or the runtime shows OOM-killed on that node at that time. With several candidates the
// kill stays unattributed: a guess would be worse than none.
func adoptHostKills(cases []*caseFile, kills []report.Death, window time.Duration) []report.Death {
	var rest []report.Death
	for _, k := range kills {
		if k.Cgroup != "" || k.Time == nil {
			rest = append(rest, k)
			continue
		}
		var found *caseFile
		n := 0
		for _, c := range cases {
			if c.kernel() || !sameNode(c.d.Node, k.Node) || !oomSighted(c) {
				continue
			}
			if t := c.when(); !t.IsZero() && absDur(t.Sub(*k.Time)) <= window {
				found = c
				n++
			}
		}
		if n != 1 {
			rest = append(rest, k)
			continue
		}
		d := &found.d
		d.Mechanism, d.Confidence, d.LimitScope = k.Mechanism, capConfidence(k.Confidence, "medium"), k.LimitScope
		d.Kernel, d.Memory, d.Victims, d.Time, d.BootTime, d.Report = k.Kernel, k.Memory, k.Victims, k.Time, k.BootTime, k.Report
		if len(d.Victims) > 0 {
			d.Victim = &d.Victims[0]
		}
		for _, e := range k.Evidence {
			if !containsEvidence(d.Evidence, e) {
				d.Evidence = append(d.Evidence, e)
			}
		}
		d.AddNotes(k.NoteList()...)
		d.Attribution = report.AttrContainer
		d.AddNote(report.NoteMatchedByTime, "the kill's record does not name a cgroup; it is matched to this container by node and time, as the only OOM-killed container there")
	}
	return rest
}

func oomSighted(c *caseFile) bool {
	if c.has(seenRuntimeOOM) {
		return true
	}
	st := latestStatus(c)
	return st != nil && st.reason == "OOMKilled"
}
