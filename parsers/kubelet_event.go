package parsers

import "time"

// PodRef names a pod the way kubelet lines do: "ns/name" (klog.KObj) or "name_ns(uid)"
// (format.Pod, printf era).
type PodRef struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	UID       string `json:"uid,omitempty"`
}

// String renders the reference as ns/name.
func (p PodRef) String() string { return p.Namespace + "/" + p.Name }

// What a kubelet line says. Eviction-manager kinds come from pkg/kubelet/eviction
// (docs/formats.md §5.3), the others from the pod workers, prober, PLEG, OOM watcher, preemption and
// shutdown managers.
const (
	KubeletReclaim        = "reclaim"         // attempting to reclaim <resource>: a threshold was met
	KubeletReclaimedNoPod = "reclaimed"       // able to reduce pressure without evicting pods
	KubeletMustEvict      = "must-evict"      // must evict pod(s) to reclaim <resource>
	KubeletRanked         = "ranked"          // pods ranked for eviction
	KubeletEvicting       = "evicting"        // "Evicting pod" (V3) with the eviction message
	KubeletEvicted        = "evicted"         // pod is evicted successfully
	KubeletEvictFailed    = "evict-failed"    // pod failed to evict
	KubeletCriticalPod    = "critical-pod"    // cannot evict a critical pod
	KubeletNoPodsToEvict  = "no-pods"         // thresholds met, but no pods are active to evict
	KubeletUnableToEvict  = "unable-to-evict" // unable to evict any pods from the node
	KubeletCleanedUp      = "cleaned-up"      // evicted pods successfully cleaned up (or timed out)
	KubeletAdmitRejected  = "admit-rejected"  // a new pod refused under a node condition
	KubeletSystemOOM      = "system-oom"      // the OOM watcher saw a node-wide (global) OOM kill
	KubeletKilling        = "killing"         // killing a container with a grace period
	KubeletProbeFailed    = "probe-failed"    // a liveness/readiness/startup probe failed
	KubeletContainerDied  = "container-died"  // PLEG ContainerDied
	KubeletPreempting     = "preempting"      // preempting a pod to admit a critical pod
	KubeletShutdownKill   = "shutdown-kill"   // node shutdown manager killing a pod
	KubeletThresholds     = "thresholds"      // the eviction thresholds the kubelet runs with
)

// KubeletLine is one kubelet log line that matters for a memory death.
type KubeletLine struct {
	Kind     string
	Host     string
	Evidence Evidence

	Resource    string   // reclaim, must-evict, reclaimed: memory, ephemeral-storage, pid, nodefs, …
	Pods        []PodRef // ranked, cleaned-up: in the kubelet's order
	Pod         PodRef   // the one pod the line is about
	Container   string   // container name
	ContainerID string   // without the runtime:// prefix
	Runtime     string   // containerd, cri-o, docker
	Message     string   // eviction message, probe output, node condition, kill reason
	Eviction    Eviction // what the message says, for KubeletEvicted and KubeletEvicting
	// ConditionResources are the resources of the node conditions an admission refusal
	// names (KubeletAdmitRejected): memory, disk, pids.
	ConditionResources []string
	ProbeType          string // Liveness, Readiness, Startup
	GracePeriod        *int64 // seconds, killing / shutdown-kill
	ExitCode           *int   // container-died from the generic PLEG: the container's exit code
	Victim             string // system-oom: the process the kernel killed
	VictimPID          int    // system-oom
	Thresholds         []Threshold
	// Repeats counts the lines the same as this one that followed it, each within
	// repeatWithin of the one before, folded into it (kubelet_repeats.go); Until is the
	// last one's time. Zero when none.
	Repeats int
	Until   time.Time
}

// Threshold is one eviction threshold from the kubelet's node config.
type Threshold struct {
	Signal   string        `json:"signal"`   // memory.available, nodefs.available, …
	Operator string        `json:"operator"` // LessThan
	Value    string        `json:"value"`    // a quantity (100Mi) or a percentage (10%)
	Grace    time.Duration `json:"grace"`    // 0 for hard thresholds
}

// First implements Event.
func (k *KubeletLine) First() Pos { return k.Evidence.Pos }

// RuntimeLine is a container runtime's or systemd's word on a container: an OOM event in its
// cgroup, or the exit of its init process.
type RuntimeLine struct {
	Kind        string // RuntimeOOM or RuntimeExit
	Source      string // containerd, cri-o, conmon, dockerd, systemd
	Host        string
	ContainerID string     // full ID, or the 20-character prefix conmon prints
	IDPrefix    bool       // ContainerID is only a prefix
	Unit        string     // systemd: the scope or slice named
	UnitCgroup  CgroupPath // Unit decoded as the last part of a systemd cgroup path
	PodUID      string     // systemd: from a pod slice
	ExitStatus  *int
	ExitedAt    time.Time
	// Namespace, Pod and Container name the container of a created line (CRI-O's "Created
	// container <id>: ns/pod/name", containerd's "returns container id" with its metadata).
	Namespace, Pod, Container string
	Evidence                  Evidence
}

// Runtime line kinds.
const (
	RuntimeOOM         = "oom"          // an OOM kill happened in the container's cgroup
	RuntimeExit        = "exit"         // the container's init process exited
	RuntimeSandboxExit = "sandbox-exit" // a pod sandbox (pause) exited: its ID is no container's
	RuntimeCreated     = "created"      // a container was created: its full ID, and names when given
)

// First implements Event.
func (r *RuntimeLine) First() Pos { return r.Evidence.Pos }

var (
	_ Event = (*KubeletLine)(nil)
	_ Event = (*RuntimeLine)(nil)
)
