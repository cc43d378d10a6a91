package correlate

import (
	"fmt"
	"strings"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// attribute says how a kernel death is tied to a container. A kill whose cgroup the log does
// not show is not a host kill: kernels before 5.0 print no cgroup in a node-wide OOM, and a
// filtered log may have lost the line that named it. The report's own task table can still
// show a pod's process: oom_score_adj values that only the kubelet gives containers, or, in
// a memcg OOM (whose table lists only the memcg's tasks), a pod's pause or runtime shim.
func attribute(d *report.Death, oom *kernelFacts) {
	switch {
	case d.ContainerID != "":
		d.Attribution = report.AttrContainer
		return
	case d.PodUID != "":
		d.Attribution = report.AttrPod
		return
	case d.Cgroup != "":
		d.Attribution = report.AttrHost
		return
	}
	d.Attribution = report.AttrUnknown
	if why := podProcessEvidence(d, oom); why != "" {
		d.Attribution = report.AttrPodProcess
		d.AddNote(report.NotePodProcess, "the cgroup is not in the log, but the victim was a pod's process: "+why+"; pod status or Events of this node at this time would name the container")
		return
	}
	note := "the cgroup is not in the log, so the container is unknown: it may be a pod's process or a host process"
	if d.Mechanism == report.KernelOOM {
		note += " (kernels before 5.0 print no cgroup for a node-wide OOM)"
	}
	d.AddNote(report.NoteCgroupUnknown, note)
}

// podProcessEvidence names what shows that the victim of a cgroup-less kill belonged to a pod.
func podProcessEvidence(d *report.Death, oom *kernelFacts) string {
	if v := d.Victim; v != nil && v.OOMScoreAdj != nil && kubeletAdj(*v.OOMScoreAdj) {
		return fmt.Sprintf("its oom_score_adj %d is one the kubelet gives containers (-997/-998 Guaranteed, 2..999 Burstable, 1000 BestEffort)", *v.OOMScoreAdj)
	}
	k := d.Kernel
	if k == nil || k.GlobalOOM || d.Mechanism != report.CgroupOOM || oom == nil {
		return ""
	}
	if oom.podHelper != "" {
		return "the OOMing memcg's task table lists " + oom.podHelper + ", which runs only in pods"
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
