package correlate

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
)

// judgeOOM decides between the container's own limit and the node for an OOM kill that no
// kernel report in the inputs describes.
func judgeOOM(c *caseFile, sc *scene, st *statusDeath) {
	d := &c.d
	runtimeSaw := c.has(seenRuntimeOOM)
	sysOOM := nodeOOMNear(sc, d.Node, c.when())
	limit := ""
	if st != nil {
		limit = st.limit
	}
	switch {
	case sysOOM != nil:
		d.Mechanism, d.Confidence = report.KernelOOM, "medium"
		d.AddNote(report.NoteWatcherSystemOOM, "the kubelet's OOM watcher reported a node-wide (global) OOM on this node at "+sysOOM.at.UTC().Format("15:04:05")+" UTC ("+
			sysOOM.ev.Input+"), and the kernel report itself is not in the inputs")
		if !containsEvidence(d.Evidence, sysOOM.ev) {
			d.Evidence = append(d.Evidence, sysOOM.ev)
		}
	case memcgEvent(c) != nil:
		s := memcgEvent(c)
		d.Mechanism, d.Confidence = report.CgroupOOM, "medium"
		d.AddNote(report.NoteWatcherCgroupOOM, "the kubelet's OOM watcher recorded a CgroupOOM Event ("+s.message+"): the kernel's OOM killer acted inside a memory cgroup below the root, so a cgroup's own limit was hit, not the node's memory")
		if v := s.oomVictim; v != nil && len(d.Victims) == 0 {
			d.Victims = append(d.Victims, report.Victim{PID: v.PID, Process: v.Comm, From: "event"})
			d.Victim = &d.Victims[0]
		}
	case limit != "":
		d.Mechanism, d.Confidence = report.CgroupOOM, "low"
		if runtimeSaw && (sc.events || sc.kubeletOn[nodeKey(d.Node)]) {
			d.Confidence = "medium"
		}
		d.AddNote(report.NoteOwnLimitLikely, "OOM-killed with a memory limit of "+limit+" and no sign of a node-wide OOM, so its own limit is the likely cause; the kernel's OOM report, which would show the limit and usage, is not in the inputs")
	case st != nil && st.limitUnknown:
		d.Mechanism, d.Confidence = report.Unknown, "low"
		d.AddNote(report.NoteLimitUnknown, "OOMKilled, so the kernel's OOM killer killed it, but "+cmp.Or(st.human, "the pod status given")+" does not show the container's memory limit: whether its own limit or the node ran out is not known")
	case st != nil:
		d.Mechanism, d.Confidence = report.KernelOOM, "low"
		d.AddNote(report.NoteNoOwnLimit, "OOM-killed without a memory limit of its own, so its own cgroup could not OOM: the node (or the kubepods cgroup of node allocatable) ran out")
	default:
		d.Mechanism, d.Confidence = report.Unknown, "low"
		d.AddNote(report.NoteRuntimeOOMOnly, "the runtime saw an OOM kill in this container; without the kernel's report or the container's limit the evidence does not say whose limit was hit")
	}
}

// memcgEvent is the case's CgroupOOM Event, nil when it has none.
func memcgEvent(c *caseFile) *sighting {
	for _, s := range c.all(seenRuntimeOOM) {
		if s.memcg {
			return s
		}
	}
	return nil
}

// nodeOOMNear finds a node-wide OOM (kubelet OOM watcher, SystemOOM event) on the node
// within the window.
func nodeOOMNear(sc *scene, node string, t time.Time) *nodeFact {
	for i := range sc.facts {
		f := &sc.facts[i]
		global := (f.kubelet != nil && f.kubelet.Kind == parsers.KubeletSystemOOM) || (f.event != nil && f.event.Reason == "SystemOOM")
		if !global || !sameNode(f.node, node) {
			continue
		}
		if t.IsZero() || f.at.IsZero() || absDur(f.at.Sub(t)) <= sc.window {
			return f
		}
	}
	return nil
}

// probeKill says whether a failed liveness or startup probe explains the kill: the kubelet
// said so (Killing "failed liveness probe, will be restarted"), or the probe failed shortly
// before the death.
func probeKill(c *caseFile) *report.Kill {
	if msg := probeKillingMessage(c); msg != "" {
		return &report.Kill{Reason: probeKillReason(msg), Message: msg, By: "kubelet"}
	}
	for _, s := range c.all(seenProbe) {
		reason := strings.ToLower(s.probe) + "-probe"
		msg := s.message
		if msg == "" {
			msg = s.probe + " probe failed"
		}
		return &report.Kill{Reason: reason, Message: strings.Join(strings.Fields(msg), " "), By: cmp.Or(s.component, "kubelet")}
	}
	return nil
}

func probeKillingMessage(c *caseFile) string {
	for _, s := range c.all(seenKilling) {
		if probeKillReason(s.message) != "" {
			return s.message
		}
	}
	return ""
}

// kernelExtras adds to a death the kernel explained what the Kubernetes side says about it.
func kernelExtras(c *caseFile, sc *scene) {
	d := &c.d
	if c.has(seenEvicted) {
		judgeEvictionDetails(c, sc)
		d.AddNote(report.NoteEvictedToo, "the kubelet also evicted this pod around the kill")
	}
	if k := probeKill(c); k != nil {
		d.AddNote(report.NoteProbeFailedToo, "a "+k.Reason+" failure was also reported for this container: the probe may have failed because the container was short of memory")
	}
	memoryVolumeNote(c)
	if d.Mechanism == report.KernelOOM || d.LimitScope == "pod" {
		if note := sidecarNote(c, sc); note != "" {
			d.AddNote(report.NoteSidecarTrap, note)
		}
	}
}

// sidecarNote names the sidecar trap: in a Burstable pod each container's
// oom_score_adj comes from its own request, so a sidecar with a tiny request is the first
// victim of a node OOM even when the main container used the memory.
func sidecarNote(c *caseFile, sc *scene) string {
	st := latestStatus(c)
	v := c.d.Victim
	if v == nil || v.OOMScoreAdj == nil || *v.OOMScoreAdj < 900 || *v.OOMScoreAdj >= 1000 { // 1000 is BestEffort, not a small request
		return ""
	}
	if st != nil && st.neighbours != "" {
		return fmt.Sprintf("the victim had oom_score_adj %d while its pod neighbours (%s) had larger memory requests and lower scores: a container with a small request is killed first even when another container used the memory (the sidecar trap); give it a realistic request", *v.OOMScoreAdj, st.neighbours)
	}
	low := 1000
	if oom := sc.reports[c.d.Kernel]; oom != nil {
		low = oom.lowestAdj
	}
	if low <= *v.OOMScoreAdj-500 {
		return fmt.Sprintf("the victim had oom_score_adj %d while other tasks in the report ran as low as %d: it was chosen for its score more than its size — if it is a sidecar with a tiny request next to a big container, that is the sidecar trap; give it a realistic request", *v.OOMScoreAdj, low)
	}
	return ""
}
