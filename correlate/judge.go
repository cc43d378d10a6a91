package correlate

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/k8s-coroner/coroner/correlate/report"

	"github.com/k8s-coroner/coroner/parsers"
)

// judgeCases is the judge phase: each case becomes its death.
func judgeCases(cases []*caseFile, sc *scene, node *report.NodeState) []report.Death {
	out := make([]report.Death, 0, len(cases)) // no copies left behind by growth: a death is 700 bytes
	for i, c := range cases {
		cases[i] = nil // its death is all that is left of it
		d := finish(c, sc)
		if d.ContainerID != "" {
			d.ContainerIDPrefix = "" // the full ID is known
		}
		d.CgroupNow = cgroupNow(node, d.Cgroup)
		if d.Attribution == "" { // named by pod status, Events or kubelet lines
			d.Attribution = report.AttrContainer
			if d.Container == "" && d.ContainerID == "" {
				d.Attribution = report.AttrPod
			}
		}
		sc.texts.death(&d)
		out = append(out, d)
	}
	return out
}

// cgroupNow finds a cgroup among those still on the node.
func cgroupNow(node *report.NodeState, path string) *report.CgroupState {
	if node == nil || path == "" {
		return nil
	}
	for i := range node.Cgroups {
		if node.Cgroups[i].Path == path {
			return &node.Cgroups[i]
		}
	}
	return nil
}

// podName is "ns/name", or what is known of it when a paste leaves out the name.
func podName(namespace, name string) string {
	if name == "" {
		return "(a pod the evidence does not name)"
	}
	return namespace + "/" + name
}

// finish settles a case: its time, and for a case without a kernel report the mechanism the
// other evidence supports; then the eviction and kill details, and the caveats.
func finish(c *caseFile, sc *scene) report.Death {
	d := &c.d
	settleTime(c, sc.window)
	if c.kernel() {
		vols := ""
		if st := latestStatus(c); st != nil {
			vols = st.memoryVolumes
		}
		explain(d, vols, sc.cgroups.conmon(d.Cgroup))
		kernelExtras(c, sc)
	} else {
		judge(c, sc)
	}
	if d.Eviction != nil {
		linkEpisode(d, sc)
	}
	d.LeadUp = leadUp(c, sc)
	if note := humanNote(c); note != "" {
		d.AddNote(report.NoteKubectlText, note)
	}
	nodeMemoryNote(d, sc)
	return *d
}

// nodeMemoryNote gives a node-wide death the node's memory as kubectl describe node showed it.
func nodeMemoryNote(d *report.Death, sc *scene) {
	if m := sc.memory[nodeKey(d.Node)]; m != nil && d.Node != "" && (d.Mechanism == report.KernelOOM || d.Mechanism == report.KubeletEviction) {
		d.AddNote(report.NoteNodeAllocatable, "node "+d.Node+" has "+cmp.Or(m.Capacity, "?")+" of memory, "+cmp.Or(m.Allocatable, "?")+
			" of it allocatable to pods (kubectl describe node): the rest is kept for the system and the eviction threshold")
	}
}

// humanNote says what the kubectl output a death was read from leaves out, when no other
// input gave it, and which command shows it.
func humanNote(c *caseFile) string {
	forms := []string{}
	for _, s := range c.seen {
		if s.human == "" {
			return "" // an API object or a log line is among the evidence
		}
		forms = appendNew(forms, s.human)
	}
	if len(forms) == 0 {
		return ""
	}
	d := &c.d
	var lacks []string
	if d.Node == "" {
		lacks = append(lacks, "the node")
	}
	if d.Container == "" && !c.has(seenEvicted) {
		lacks = append(lacks, "the container")
	}
	if d.ContainerID == "" && d.Container != "" || d.ContainerID == "" && !c.has(seenEvicted) {
		lacks = append(lacks, "the container ID")
	}
	if d.ExitCode == nil && !c.has(seenEvicted) {
		lacks = append(lacks, "the exit code")
	}
	if d.Time == nil {
		lacks = append(lacks, "the time (ages are relative to when kubectl ran; --now dates them)")
	}
	if len(lacks) == 0 {
		return ""
	}
	cmd := "kubectl get pod " + cmp.Or(d.Pod, "NAME")
	if d.Namespace != "" {
		cmd += " -n " + d.Namespace
	}
	return "read from " + strings.Join(forms, " and ") + ", which does not show " + strings.Join(lacks, ", ") +
		"; `" + cmd + " -o json` and `kubectl get events -o json` give them, with the node's kernel log"
}

// judge decides the mechanism of a death no kernel report explains, from the strongest
// evidence it has: an eviction, an OOM seen by the runtime or in pod status, a kill for a
// failed probe, preemption or shutdown; else "unknown". The order matters: a probe that failed
// because the container was short of memory still makes the kill a probe kill, while an
// eviction is an eviction whatever else was seen.
func judge(c *caseFile, sc *scene) {
	d := &c.d
	st := latestStatus(c)
	missing := missingNotes(c, sc)
	probe := probeKill(c)
	var measured []parsers.EvictionUsage
	switch {
	case c.has(seenEvicted):
		measured = judgeEviction(c, sc)
	case c.has(seenRuntimeOOM) || (st != nil && st.reason == "OOMKilled"):
		judgeOOM(c, sc, st)
	case c.has(seenPreempted): // the kubelet's own reason for the kill outranks a probe failing around it
		s := c.all(seenPreempted)[0]
		d.Mechanism, d.Confidence = report.NotMemory, "high"
		d.Kill = &report.Kill{Reason: "preemption", Message: cmp.Or(s.message, "preempted by the kubelet to admit a critical pod"), By: "kubelet"}
	case c.has(seenShutdown):
		d.Mechanism, d.Confidence = report.NotMemory, "high"
		d.Kill = &report.Kill{Reason: "node-shutdown", Message: "killed by the kubelet's graceful node shutdown", By: "kubelet"}
	case probe != nil:
		d.Mechanism, d.Kill = report.NotMemory, probe
		d.Confidence = "medium"
		if c.has(seenKilling) && probeKillingMessage(c) != "" {
			d.Confidence = "high"
		}
		d.AddNote(report.NoteNoMemoryEvidence, "no OOM kill, OOMKilled status or eviction was seen for this container")
	case c.has(seenKilling):
		// The kubelet stopped it (a deletion, a rollout, a restart policy) and it did not exit
		// within its grace period: SIGKILL, not memory.
		s := c.all(seenKilling)[0]
		d.Mechanism, d.Confidence = report.NotMemory, "medium"
		d.Kill = &report.Kill{Reason: "stopped", Message: cmp.Or(strings.Join(strings.Fields(s.message), " "), "the kubelet stopped the container"), By: cmp.Or(s.component, "kubelet")}
		d.AddNote(report.NoteKubeletKilledFirst, "the kubelet stopped the container (Killing) before it died; a container that does not exit within its grace period is killed with SIGKILL (exit 137)")
	default:
		d.Mechanism, d.Confidence = report.Unknown, "low"
		code := "unknown"
		if d.ExitCode != nil {
			code = fmt.Sprint(*d.ExitCode)
		}
		d.AddNote(report.NoteKilledWithoutPressure, fmt.Sprintf("the container was killed (exit code %s, reason %s) and no evidence shows memory pressure, an eviction, a probe failure, preemption or shutdown", code, cmp.Or(d.Reason, "none")))
	}
	if e := d.Eviction; e != nil && e.Scope != parsers.EvictionScopeNode && e.Scope != "" {
		missing = nil // a pod over its own storage limit: neither the kernel nor the ranking would add to it
	}
	d.Missing = append(d.Missing, missing...)
	d.Summary, d.Advice = explainJudged(d, st, measured)
	memoryVolumeNote(c)
}

// memoryVolumeNote says that a memory death's pod writes to tmpfs: an emptyDir with medium
// Memory is charged to the pod's memory cgroup, so files there count against its limits and
// its working set under node pressure.
func memoryVolumeNote(c *caseFile) {
	d := &c.d
	st := latestStatus(c)
	if st == nil || st.memoryVolumes == "" {
		return
	}
	switch d.Mechanism {
	case report.CgroupOOM, report.KernelOOM, report.KubeletEviction:
		d.AddNote(report.NoteMemoryVolume, "the pod has emptyDir volumes with medium: Memory ("+st.memoryVolumes+"): what is written there is memory, charged to the pod's cgroup and counted against its limits and its usage under node pressure")
	}
}

func latestStatus(c *caseFile) *statusDeath {
	var st *statusDeath
	for _, s := range c.all(seenTerminated) {
		if st == nil || s.status.finished.After(st.finished) {
			st = s.status
		}
	}
	return st
}

// missingNotes says which evidence would have raised confidence.
func missingNotes(c *caseFile, sc *scene) []string {
	node := cmp.Or(c.d.Node, "(unknown node)")
	var out []string
	if !sc.kernelOn[nodeKey(c.d.Node)] {
		out = append(out, "no kernel OOM report of node "+node+" is in the inputs")
	}
	if !sc.kubeletOn[nodeKey(c.d.Node)] && c.has(seenEvicted) {
		out = append(out, "no kubelet log of node "+node+": the eviction manager's thresholds and ranking are not shown")
	}
	return out
}
