package correlate

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
)

// explain writes the death's summary, advice and caveats from its own fields, once all its
// kills are joined. memoryVolumes names the pod's memory-backed emptyDirs when pod status
// shows them, so tmpfs advice can point at them; conmon says the death's cgroup is CRI-O's
// conmon, not the container's.
func explain(d *report.Death, memoryVolumes string, conmon bool) {
	d.Summary = summarize(d)
	d.Advice = advise(d, memoryVolumes)
	if d.Kernel != nil && d.Kernel.OOMGroup == "" && d.ContainerID != "" && len(d.Victims) > 0 && !d.Victims[0].OrChild && !conmon {
		d.AddNote(report.NoteOneProcess, singleProcessNote(d.Victims))
	}
}

// singleProcessNote says what a kill without memory.oom.group means for the container: on
// cgroup v1 (and v2 without oom.group) the kernel kills one process at a time.
func singleProcessNote(vs []report.Victim) string {
	if len(vs) == 1 {
		return fmt.Sprintf("the kernel killed one process (pid %d); the container died only if that was its main process (pod status would confirm)", vs[0].PID)
	}
	pids := make([]string, len(vs))
	for i, v := range vs {
		pids[i] = fmt.Sprint(v.PID)
	}
	return fmt.Sprintf("the kernel killed %d processes one at a time (pids %s); the container died only if one of them was its main process (pod status would confirm)", len(vs), strings.Join(pids, ", "))
}

func summarize(d *report.Death) string {
	killed := "a process the log does not name"
	if v := d.Victim; v != nil {
		killed = v.Name()
		if v.OrChild {
			killed += " or one of its children"
		}
		if n := len(d.Victims); n > 1 {
			killed = fmt.Sprintf("%d processes, first %s", n, killed)
		}
	} else if d.Kernel != nil && d.Kernel.OOMGroup != "" {
		killed = "every task of " + d.Kernel.OOMGroup + " (memory.oom.group)"
	}
	where := describeWhere(d)
	switch d.Mechanism {
	case report.CgroupOOM:
		limit := ""
		if n, ok := memoryLimit(d); ok {
			limit = fmt.Sprintf(" of %s (usage %s)", report.Quantity(n), report.Quantity(d.Memory.UsageKiB))
		} else if d.Memory != nil {
			limit = fmt.Sprintf(" (usage %s; the report shows the memory counter without a limit)", report.Quantity(d.Memory.UsageKiB))
		}
		switch d.LimitScope {
		case parsers.CgroupPod:
			return fmt.Sprintf("The pod-level memory limit%s was hit; the kernel's memcg OOM killer killed %s in %s, which need not be the container that grew.", limit, killed, where)
		case parsers.CgroupContainer:
			return fmt.Sprintf("%s hit its own memory limit%s; the kernel's memcg OOM killer killed %s.", capitalize(where), limit, killed)
		case parsers.CgroupAllocatable:
			return fmt.Sprintf("The kubepods cgroup, which holds all pods and is limited to the node's allocatable memory, hit its limit%s; the kernel's memcg OOM killer killed %s in %s. The node itself need not have run out of memory.", limit, killed, where)
		case parsers.CgroupQoS:
			return fmt.Sprintf("The %s QoS cgroup %s hit its memory limit%s; the kernel's memcg OOM killer killed %s in %s.", cmp.Or(d.QoS, "pods'"), limitCgroupOf(d), limit, killed, where)
		case parsers.CgroupConmon:
			return fmt.Sprintf("The memory limit%s of CRI-O's conmon cgroup %s was hit; the kernel's memcg OOM killer killed %s.", limit, limitCgroupOf(d), killed)
		}
		if cg := limitCgroupOf(d); cg != "" {
			return fmt.Sprintf("The memory limit%s of cgroup %s was hit; the kernel's memcg OOM killer killed %s in %s.", limit, cg, killed, where)
		}
		return fmt.Sprintf("A memory cgroup limit%s was hit; the kernel's memcg OOM killer killed %s in %s.", limit, killed, where)
	case report.KernelOOM:
		node := "The node"
		if d.Node != "" {
			node = "Node " + d.Node
		}
		adj := ""
		if v := d.Victim; v != nil && v.OOMScoreAdj != nil {
			adj = fmt.Sprintf(", oom_score_adj %d", *v.OOMScoreAdj)
		}
		return fmt.Sprintf("%s ran out of memory; the kernel's global OOM killer killed %s%s in %s.", node, killed, adj, where)
	}
	return fmt.Sprintf("The kernel OOM killer killed %s in %s; the log does not show which limit was hit.", killed, where)
}

// limitCgroupOf names the cgroup whose limit was hit, when the report showed it.
func limitCgroupOf(d *report.Death) string {
	if d.Memory != nil && d.Memory.LimitCgroup != "" {
		return d.Memory.LimitCgroup
	}
	if d.Kernel != nil {
		return d.Kernel.OOMMemcg
	}
	return ""
}

// describeWhere names the container as well as the evidence allows.
func describeWhere(d *report.Death) string {
	switch {
	case d.Pod != "" && d.Container != "":
		return fmt.Sprintf("container %s of pod %s/%s", d.Container, d.Namespace, d.Pod)
	case d.ContainerID != "" && d.PodUID != "":
		return fmt.Sprintf("container %s of pod %s", short(d.ContainerID), d.PodUID)
	case d.PodUID != "":
		return "pod " + d.PodUID
	case d.ContainerID != "":
		return "container " + short(d.ContainerID)
	case d.ContainerIDPrefix != "":
		return "the container whose ID starts " + d.ContainerIDPrefix
	case d.Cgroup != "":
		return "host cgroup " + d.Cgroup
	}
	return "a cgroup the log does not show"
}

func advise(d *report.Death, memoryVolumes string) []string {
	var a []string
	switch d.Mechanism {
	case report.CgroupOOM:
		enforced := "sized from what the cgroup enforces (usage, page cache included: memory.usage_in_bytes on cgroup v1, memory.current on v2), not from working_set"
		if f := limitFix(d); f != nil && (d.LimitScope == parsers.CgroupContainer || d.LimitScope == "") {
			d.Fix = f
			a = append(a, fixAdvice(fmt.Sprintf("Raise the memory limit from %s to %s (%s), %s", d.Memory.LimitKiB, f.Limit, f.Basis, enforced), f))
		} else if f != nil && d.LimitScope == parsers.CgroupPod {
			a = append(a, fmt.Sprintf("The pod as a whole needs about %s (%s), %s.", f.Limit, f.Basis, enforced))
		} else if limit, ok := memoryLimit(d); ok {
			a = append(a, fmt.Sprintf("Raise the memory limit above %s, %s.", report.Quantity(limit), enforced))
		} else {
			a = append(a, "Raise the memory limit, sized from what the cgroup enforces (usage, page cache included), not from working_set.")
		}
		switch d.LimitScope {
		case parsers.CgroupPod:
			a = append(a, "The pod's limit is the sum of its containers' limits: find the container whose usage grew (the victim is chosen by size within the pod) and raise that container's limit.")
		case parsers.CgroupAllocatable, parsers.CgroupQoS:
			a = []string{"The pods together used up node allocatable (capacity minus kube-reserved, system-reserved and the eviction threshold), which the kubelet enforces on the kubepods cgroup: give every pod a memory request and limit close to its real usage so the scheduler does not overcommit the node, and check kube-reserved/system-reserved: too large a reservation shrinks allocatable, too small lets the node itself run short.",
				"Keep a memory.available eviction threshold above the allocatable margin, so the kubelet evicts pods before the kubepods cgroup's limit is hit."}
		}
		if more := compositionAdvice(d, memoryVolumes); more != nil {
			a = append(a, more...)
		} else if v := d.Victim; v != nil && v.AnonRSSKiB != nil && *v.AnonRSSKiB > 0 && limitAtMost(d, *v.AnonRSSKiB*10/8) {
			a = append(a, fmt.Sprintf("%s held %s of anonymous memory, most of the limit: if that is more than it should need, look for a leak or an unbounded cache (for a JVM, check -Xmx/MaxRAMPercentage against the limit).", v.Process, report.Quantity(*v.AnonRSSKiB)))
		}
	case report.KernelOOM:
		a = append(a,
			"Reserve memory for the system (kube-reserved, system-reserved) and keep a memory.available eviction threshold, so the kubelet evicts pods before the kernel has to kill.",
			"Give every pod memory requests close to its real usage and a limit, so one pod cannot take the node's memory.")
		var adj *int
		if d.Victim != nil {
			adj = d.Victim.OOMScoreAdj
		}
		if v := adj; v != nil && *v >= 1000 {
			a = append(a, "The victim had oom_score_adj 1000 (BestEffort): it is killed first; set requests and limits if it matters.")
		} else if v != nil && *v > 0 && d.ContainerID != "" {
			a = append(a, fmt.Sprintf("The victim had oom_score_adj %d (Burstable: the smaller the memory request, the higher the score): give it a realistic request if it must survive a node OOM.", *v))
		}
		a = append(a, "If the memory grows faster than the kubelet's housekeeping interval, enable kernel memcg notification (kubelet --kernel-memcg-notification) so evictions react in time.")
	default:
		a = append(a, "Collect the full kernel log (dmesg or /var/log/messages) around this time: the OOM report that says which limit was hit is missing.")
	}
	return a
}

// memoryLimit is the limit the OOM report printed, when there was one.
func memoryLimit(d *report.Death) (int64, bool) {
	if d.Memory == nil {
		return 0, false
	}
	return d.Memory.LimitKiB.KiB()
}

// limitAtMost says the report printed a limit and it is at most kib.
func limitAtMost(d *report.Death, kib int64) bool {
	limit, ok := memoryLimit(d)
	return ok && limit <= kib
}

func short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// explainHostKills explains the kills outside any container.
func explainHostKills(kills []report.Death, sc *scene) []report.Death {
	if kills == nil {
		kills = []report.Death{}
	}
	for i := range kills {
		d := &kills[i]
		attribute(d, sc.reports[d.Kernel])
		explain(d, "", sc.cgroups.conmon(d.Cgroup))
		nodeMemoryNote(d, sc)
		sc.texts.death(d)
	}
	return kills
}
