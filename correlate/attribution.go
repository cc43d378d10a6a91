package correlate

import (
	"fmt"
	"strings"
)

// Attributions: how a death is tied to a container.
const (
	AttrContainer  = "container"   // its cgroup, or pod status matched by time, names the container
	AttrPod        = "pod"         // its cgroup names the pod but no container
	AttrHost       = "host"        // its cgroup is outside Kubernetes
	AttrPodProcess = "pod-process" // no cgroup in the log, but the evidence shows a pod's process
	AttrUnknown    = "unknown"     // the cgroup is not in the log
)

// attribute says how a kernel death is tied to a container. A kill whose cgroup the log does
// not show is not a host kill: kernels before 5.0 print no cgroup in a node-wide OOM, and a
// filtered log may have lost the line that named it. The report's own task table can still
// show a pod's process: oom_score_adj values that only the kubelet gives containers, or, in
// a memcg OOM (whose table lists only the memcg's tasks), a pod's pause or runtime shim.
func attribute(d *Death) {
	switch {
	case d.ContainerID != "":
		d.Attribution = AttrContainer
		return
	case d.PodUID != "":
		d.Attribution = AttrPod
		return
	case d.Cgroup != "":
		d.Attribution = AttrHost
		return
	}
	d.Attribution = AttrUnknown
	if why := podProcessEvidence(d); why != "" {
		d.Attribution = AttrPodProcess
		d.Notes = append(d.Notes, "the cgroup is not in the log, but the victim was a pod's process: "+why+"; pod status or Events of this node at this time would name the container")
		return
	}
	note := "the cgroup is not in the log, so the container is unknown: it may be a pod's process or a host process"
	if d.Mechanism == KernelOOM {
		note += " (kernels before 5.0 print no cgroup for a node-wide OOM)"
	}
	d.Notes = append(d.Notes, note)
}

// podProcessEvidence names what shows that the victim of a cgroup-less kill belonged to a pod.
func podProcessEvidence(d *Death) string {
	if v := d.Victim; v != nil && v.OOMScoreAdj != nil && kubeletAdj(*v.OOMScoreAdj) {
		return fmt.Sprintf("its oom_score_adj %d is one the kubelet gives containers (-997/-998 Guaranteed, 2..999 Burstable, 1000 BestEffort)", *v.OOMScoreAdj)
	}
	k := d.Kernel
	if k == nil || k.GlobalOOM || d.Mechanism != CgroupOOM {
		return ""
	}
	for _, t := range k.tasks {
		if name := podHelper(t.Name); name != "" {
			return "the OOMing memcg's task table lists " + name + ", which runs only in pods"
		}
	}
	return ""
}

// kubeletAdj reports oom_score_adj values that only the kubelet sets: Guaranteed -997 (-998
// before 1.14), Burstable 2..999, BestEffort 1000 (pkg/kubelet/qos/policy.go).
func kubeletAdj(adj int) bool {
	return adj == -997 || adj == -998 || adj == 1000 || (adj >= 2 && adj <= 999)
}

// podHelper names a pod's infrastructure process by its (15-byte) comm.
func podHelper(comm string) string {
	switch {
	case comm == "pause":
		return "the pause container"
	case comm == "conmon":
		return "CRI-O's conmon"
	case strings.HasPrefix(comm, "containerd-shim"):
		return "containerd's shim"
	}
	return ""
}
