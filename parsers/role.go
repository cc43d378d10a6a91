package parsers

import (
	"strings"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// Role says what a line of evidence says: the part of a kernel OOM report it is, or the
// kubelet, runtime, Event or pod-status fact it carries. It is the report's own named type
// (report.Role: the report imports nothing of coroner), and every value is listed here.
type Role = report.Role

// The roles of a kernel OOM report's lines (kernel.go).
const (
	RoleHeader     Role = "header"      // "<task> invoked oom-killer: gfp_mask=…": the report starts
	RoleSummary    Role = "summary"     // "oom-kill:constraint=…,oom_memcg=…,task=…,pid=…": the 4.19+ one-line summary
	RoleSummaryCut Role = "summary-cut" // a summary cut before its pid: the cgroup is known, the victim not
	RoleSelected   Role = "selected"    // "Out of memory: Kill process … score …": the pre-5.1 selection
	RoleMemcgUsage Role = "memcg-usage" // "memory: usage …, limit …, failcnt …": the cgroup's counters
	RoleTaskIn     Role = "task-in"     // "Task in <cgroup> killed as a result of limit of <cgroup>" (pre-5.0)
	RoleMemcgStats Role = "memcg-stats" // "Memory cgroup stats for <cgroup>:": what the cgroup held
	RoleOOMGroup   Role = "oom-group"   // "Tasks in <cgroup> are going to be killed due to memory.oom.group set"
	RoleMeminfo    Role = "meminfo"     // "Mem-Info:" and a zone's watermark line: the node's memory
	RoleKill       Role = "kill"        // "Killed process <pid> (<comm>) …": the kill itself, or a process killed with it (shared mm)
	RoleReaper     Role = "reaper"      // "oom_reaper: reaped process …": the victim's memory freed
	RoleVictimTask Role = "victim-task" // the victim's row of the task table
)

// The roles of the kubelet's, the runtimes' and the cluster's lines.
const (
	RoleEvent                 Role = "event"                   // an Event as the kubelet logged it or kubectl printed it; correlate names it by its reason (EventRole)
	RoleSystemdOOM            Role = "systemd-oom"             // systemd: "<unit>: A process of this unit has been killed by the OOM killer"
	RoleContainerdSandboxExit Role = "containerd-sandbox-exit" // containerd: a pod sandbox exited
	RoleContainerdOOM         Role = "containerd-oom"          // containerd: TaskOOM event
	RoleContainerdExit        Role = "containerd-exit"         // containerd: TaskExit event with the exit status
	RoleConmonOOM             Role = "conmon-oom"              // conmon (CRI-O): the container was OOM killed
	RoleCrioExit              Role = "crio-exit"               // CRI-O: the container exited, with its status
	RoleRuntimeCreated        Role = "runtime-created"         // the runtime created a container: its ID for a pod's container
	// RolePodStatus is a container's termination as its pod's status records it; package
	// correlate gives it to the line it quotes from a Pod.
	RolePodStatus Role = "pod-status"
)

// The roles of kubelet lines, "kubelet-" and the line's Kind (KubeletRole), that the
// correlator and the renderers name.
const (
	RoleKubeletEvicting     Role = "kubelet-" + KubeletEvicting
	RoleKubeletEvicted      Role = "kubelet-" + KubeletEvicted
	RoleKubeletSystemOOM    Role = "kubelet-" + KubeletSystemOOM
	RoleKubeletKilling      Role = "kubelet-" + KubeletKilling
	RoleKubeletProbeFailed  Role = "kubelet-" + KubeletProbeFailed
	RoleKubeletPreempting   Role = "kubelet-" + KubeletPreempting
	RoleKubeletShutdownKill Role = "kubelet-" + KubeletShutdownKill
)

// The roles of Events, "event-" and the lower-cased reason (EventRole), that the correlator
// and the renderers name.
const (
	// RoleEventOOMKilling marks the kernel lines read from node-problem-detector's
	// OOMKilling Event (npd.go), so that reports can say the kill came from an Event.
	RoleEventOOMKilling Role = "event-oomkilling"
	RoleEventSystemOOM  Role = "event-systemoom"  // the kubelet's SystemOOM Event: a node-wide OOM kill
	RoleEventEvicted    Role = "event-evicted"    // an Evicted Event
	RoleEventKilling    Role = "event-killing"    // a Killing Event: the kubelet stopped the container
	RoleEventUnhealthy  Role = "event-unhealthy"  // an Unhealthy Event: a probe failed
	RoleEventPreempting Role = "event-preempting" // a Preempting Event
)

// KubeletRole is the role of a kubelet line of the given Kind (KubeletEvicted, …).
func KubeletRole(kind string) Role { return Role("kubelet-" + kind) }

// EventRole is the role of an Event's line: "event-" and its reason in lower case.
func EventRole(reason string) Role { return Role("event-" + strings.ToLower(reason)) }

// Roles lists every role of fixed form, sorted; kubelet and Event roles are built by
// KubeletRole and EventRole for any kind or reason, and those named above are listed too.
var Roles = []Role{
	RoleConmonOOM, RoleContainerdExit, RoleContainerdOOM, RoleContainerdSandboxExit, RoleCrioExit,
	RoleEvent, RoleEventEvicted, RoleEventKilling, RoleEventOOMKilling, RoleEventPreempting,
	RoleEventSystemOOM, RoleEventUnhealthy, RoleHeader, RoleKill, RoleKubeletEvicted,
	RoleKubeletEvicting, RoleKubeletKilling, RoleKubeletPreempting, RoleKubeletProbeFailed,
	RoleKubeletShutdownKill, RoleKubeletSystemOOM, RoleMemcgStats, RoleMemcgUsage, RoleMeminfo,
	RoleOOMGroup, RolePodStatus, RoleReaper, RoleRuntimeCreated, RoleSelected, RoleSummary,
	RoleSummaryCut, RoleSystemdOOM, RoleTaskIn, RoleVictimTask,
}
