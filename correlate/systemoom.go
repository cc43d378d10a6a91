package correlate

import (
	"fmt"
	"strconv"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// systemOOMVictim is the victim a SystemOOM fact names: the kubelet's OOM watcher records a
// SystemOOM Event on the node for every kill cAdvisor read from /dev/kmsg whose victim's
// memcg is the root ("/"), and logs the OomInstance it read at V(1).
func systemOOMVictim(f *nodeFact) (comm string, pid int, ok bool) {
	switch {
	case f.event != nil && f.event.Reason == "SystemOOM":
		v := f.event.OOMVictim
		if v == nil {
			return "", 0, false
		}
		return v.Comm, v.PID, true
	case f.kubelet != nil && f.kubelet.VictimPID > 0:
		return f.kubelet.Victim, f.kubelet.VictimPID, true
	}
	return "", 0, false
}

// systemOOMKills joins each SystemOOM that names a victim to the kernel's kill of that PID on
// that node within the window, as evidence; a victim no kernel report in the inputs shows is
// a node-wide OOM kill of its own: the kubelet saw the kernel kill it. Several records of
// one victim (an Event counted x4, the kubelet's log line) are one kill.
func systemOOMKills(deaths, kills []report.Death, facts []nodeFact, window time.Duration) []report.Death {
	var out []report.Death
	var idx *killIndex // made at the first SystemOOM: most inputs have none
	for j := range facts {
		f := &facts[j]
		comm, pid, ok := systemOOMVictim(f)
		if !ok {
			continue
		}
		if idx == nil {
			idx = newKillIndex(deaths, kills)
		}
		if d := idx.killOf(&out, f.node, pid, f.at, window); d != nil {
			if !containsEvidence(d.Evidence, f.ev) {
				d.Evidence = append(d.Evidence, f.ev)
			}
			note := "the kubelet recorded this kill as a SystemOOM of " + comm + " (pid " + strconv.Itoa(pid) + ") on this node: cAdvisor saw it as a node-wide OOM"
			d.AddNote(report.NoteSystemOOMRecorded, note)
			continue
		}
		out = append(out, systemOOMDeath(f, comm, pid))
		idx.made(out, len(out)-1)
	}
	return out
}

// killIndex finds the kills of a PID without scanning every death: the deaths, host kills
// and SystemOOM kills made so far that name it as a victim, in killOf's order.
type killIndex struct {
	deaths, kills []report.Death
	byPID         map[int][]killRef
}

// killRef is a death of one of the lists: 0 the kernel's deaths, 1 its host kills, 2 the
// SystemOOM kills made.
type killRef struct{ list, i int }

func newKillIndex(deaths, kills []report.Death) *killIndex {
	x := &killIndex{deaths: deaths, kills: kills, byPID: map[int][]killRef{}}
	for l, list := range [][]report.Death{deaths, kills} {
		for i := range list {
			x.note(list, l, i)
		}
	}
	return x
}

func (x *killIndex) note(list []report.Death, l, i int) {
	for j, v := range list[i].Victims {
		if victimIndex(list[i].Victims, v.PID) == j { // a PID named twice is one candidate
			x.byPID[v.PID] = append(x.byPID[v.PID], killRef{l, i})
		}
	}
}

// made notes the SystemOOM kill out[i].
func (x *killIndex) made(out []report.Death, i int) { x.note(out, 2, i) }

// killOf is killOf(deaths, kills, *made, node, pid, at, window) by the index.
func (x *killIndex) killOf(made *[]report.Death, node string, pid int, at time.Time, window time.Duration) *report.Death {
	for _, r := range x.byPID[pid] { // in the lists' order, then the deaths', as killOf scans
		var d *report.Death
		switch r.list {
		case 0:
			d = &x.deaths[r.i]
		case 1:
			d = &x.kills[r.i]
		default:
			d = &(*made)[r.i]
		}
		if !sameNode(d.Node, node) {
			continue
		}
		if d.Time == nil || at.IsZero() || absDur(d.Time.Sub(at)) <= window {
			return d
		}
	}
	return nil
}

// killOf finds the kill of pid on node within the window among the kernel's deaths, its host
// kills and the SystemOOM kills made so far. systemOOMKills asks a killIndex, which answers
// the same without scanning every death.
func killOf(deaths, kills, made []report.Death, node string, pid int, at time.Time, window time.Duration) *report.Death {
	for _, list := range [][]report.Death{deaths, kills, made} {
		for i := range list {
			d := &list[i]
			if !sameNode(d.Node, node) || !hasVictim(d.Victims, pid) {
				continue
			}
			if d.Time == nil || at.IsZero() || absDur(d.Time.Sub(at)) <= window {
				return d
			}
		}
	}
	return nil
}

func systemOOMDeath(f *nodeFact, comm string, pid int) report.Death {
	d := report.Death{Node: f.node, Mechanism: report.KernelOOM, Confidence: "medium", Advice: []string{}, Evidence: []report.Evidence{f.ev},
		Victims: []report.Victim{{PID: pid, Process: comm, From: "event"}}}
	d.Victim = &d.Victims[0]
	if !f.at.IsZero() {
		t := f.at.UTC()
		d.Time = &t
	}
	d.AddNote(report.NoteSystemOOMOnly, fmt.Sprintf("only the kubelet's SystemOOM record shows this kill: its OOM watcher saw the kernel's global OOM killer kill %s (pid %d); the kernel's report, which would show the cgroup and the memory, is not in the inputs", comm, pid))
	return d
}
