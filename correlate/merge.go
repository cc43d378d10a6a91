package correlate

import (
	"fmt"
	"time"

	"github.com/k8s-coroner/coroner/parsers"
)

// mergeDuplicates folds reports of the same OOM kill seen in several inputs (dmesg and
// /var/log/messages of one node) into one. Two reports are the same when their first kill
// lines say the same thing (PID, name and sizes), their hosts do not contradict each other and
// their times, where both are known, are within a few seconds. The richest report (most lines)
// is kept and gains the other's lines as evidence and any field it lacked.
//
// The same kill stamped further apart than that by two inputs (a node log read in the wrong
// zone, a drifting clock) is still one kill when its line is identical and the hosts agree,
// within an hour; the returned notes say by how much the inputs disagree.
func mergeDuplicates(ooms []*parsers.KernelOOM) ([]*parsers.KernelOOM, map[*parsers.KernelOOM][]string) {
	var out []*parsers.KernelOOM
	notes := map[*parsers.KernelOOM][]string{}
	byKill := map[string][]*parsers.KernelOOM{}
	for _, o := range ooms {
		key := o.Kills[0].Evidence.Body
		merged := false
		for _, prev := range byKill[key] {
			if sameKill(prev, o) {
				if d := killSkew(prev, o); d > sameKillSlack {
					notes[prev] = append(notes[prev], fmt.Sprintf("%s and %s stamp this kill %s apart: a time zone (--tz) or a clock is off",
						prev.Lines[0].Input, o.Lines[0].Input, d.Round(time.Millisecond)))
				}
				absorb(prev, o)
				merged = true
				break
			}
		}
		if !merged {
			c := *o
			byKill[key] = append(byKill[key], &c)
			out = append(out, &c)
		}
	}
	return out, notes
}

// crossInputSlack is how far apart two inputs may stamp one identical kill line of one host.
const crossInputSlack = time.Hour

func killSkew(a, b *parsers.KernelOOM) time.Duration {
	ta, tb := a.Kills[0].Evidence.Wall, b.Kills[0].Evidence.Wall
	if ta.IsZero() || tb.IsZero() {
		return 0
	}
	return absDur(ta.Sub(tb))
}

// sameKillSlack covers second-resolution syslog stamps against microsecond dmesg ones.
const sameKillSlack = 3 * time.Second

// eventKillSlack is the slack against a kill quoted by node-problem-detector's OOMKilling
// Event: its time is when NPD read the line, its clock the API's, and the same PID, name and
// sizes on one node within the hour is one kill.
const eventKillSlack = time.Hour

func sameKill(a, b *parsers.KernelOOM) bool {
	if !sameNode(a.Host, b.Host) {
		return false
	}
	if a.Lines[0].Input == b.Lines[0].Input {
		return false // one input does not report one kill twice
	}
	// The kill lines are identical (PID, name, sizes): two inputs of one host saying it within
	// the hour are one kill; NPD's Event quotes it from the API's clock.
	slack := crossInputSlack
	if a.Lines[0].Role == "event-oomkilling" || b.Lines[0].Role == "event-oomkilling" {
		slack = eventKillSlack
	}
	ta, tb := a.Kills[0].Evidence.Wall, b.Kills[0].Evidence.Wall
	if !ta.IsZero() && !tb.IsZero() {
		d := ta.Sub(tb)
		return d < slack && d > -slack
	}
	return true
}

// absorb merges b into a.
func absorb(a, b *parsers.KernelOOM) {
	if len(b.Lines) > len(a.Lines) {
		*a, *b = *b, *a
	}
	if a.Host == "" {
		a.Host = b.Host
	}
	if a.Trigger == nil {
		a.Trigger = b.Trigger
	}
	if a.Constraint == "" {
		a.Constraint, a.GlobalOOM = b.Constraint, b.GlobalOOM
	}
	if a.OOMMemcg == "" {
		a.OOMMemcg = b.OOMMemcg
	}
	if a.TaskMemcg == "" {
		a.TaskMemcg = b.TaskMemcg
	}
	if a.Memory == nil {
		a.Memory, a.MemSwap, a.Kmem, a.Swap = b.Memory, b.MemSwap, b.Kmem, b.Swap
	}
	if len(a.Tasks) == 0 {
		a.Tasks = b.Tasks
	}
	if a.Selected == nil {
		a.Selected = b.Selected
	}
	for i := range a.Kills {
		if a.Kills[i].Evidence.Wall.IsZero() && i < len(b.Kills) {
			a.Kills[i].Evidence.Wall = b.Kills[i].Evidence.Wall
		}
	}
	a.Lines = append(a.Lines, b.Lines...)
}
