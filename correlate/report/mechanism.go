package report

// Mechanism is what killed a container. A death gets exactly one; its string form is the
// JSON's and the words users filter by (--mechanism).
type Mechanism string

const (
	CgroupOOM       Mechanism = "cgroup-oom"       // the container's or pod's own memory limit
	KernelOOM       Mechanism = "kernel-oom"       // the node ran out of memory; the global OOM killer chose
	KubeletEviction Mechanism = "kubelet-eviction" // the kubelet evicted the pod under node pressure
	NotMemory       Mechanism = "not-memory"       // killed for a reason that is not memory
	Unknown         Mechanism = "unknown"          // the evidence does not say
)

// Mechanisms lists every mechanism in the order reports count them.
var Mechanisms = []Mechanism{CgroupOOM, KubeletEviction, KernelOOM, NotMemory, Unknown}

// Memory says whether the mechanism is a memory death.
func (m Mechanism) Memory() bool { return m == CgroupOOM || m == KubeletEviction || m == KernelOOM }
