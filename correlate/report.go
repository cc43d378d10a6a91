// Package correlate turns parsed events into root-cause reports: one Death per dead container,
// with mechanism, confidence, victim, memory figures, proof lines and advice. It is pure: no
// I/O, no goroutines, no reading of the clock; the same events always give the same report.
package correlate

import (
	"time"

	"github.com/k8s-coroner/coroner/sources"
)

// Schema names the JSON contract; it changes only when a field is removed or renamed.
const Schema = "coroner/v1"

// Mechanisms. A death gets exactly one.
const (
	CgroupOOM       = "cgroup-oom"       // the container's or pod's own memory limit
	KernelOOM       = "kernel-oom"       // the node ran out of memory; the global OOM killer chose
	KubeletEviction = "kubelet-eviction" // the kubelet evicted the pod under node pressure
	NotMemory       = "not-memory"       // killed for a reason that is not memory
	Unknown         = "unknown"          // the evidence does not say
)

// Report is the whole analysis.
type Report struct {
	Schema     string       `json:"schema"`
	Inputs     []Input      `json:"inputs"`
	Deaths     []Death      `json:"deaths"`
	HostKills  []Death      `json:"hostKills"`
	Incomplete []Incomplete `json:"incomplete"`
	// Warnings are problems of the run that belong to no input (coroner node: no journalctl).
	Warnings []string `json:"warnings,omitempty"`
	// Node is the live state of the node, when coroner ran on it (coroner node).
	Node *sources.NodeState `json:"node,omitempty"`
}

// Input says what became of one input.
type Input struct {
	Name     string    `json:"name"`
	Kind     string    `json:"kind"`
	Lines    int       `json:"lines"`
	Node     string    `json:"node,omitempty"`
	Error    string    `json:"error,omitempty"` // set when nothing of it could be read
	Clock    *Clock    `json:"clock,omitempty"` // how its boot-relative stamps became wall-clock times
	Warnings []Warning `json:"warnings"`
}

// Warning is a problem at a line of an input that did not stop the analysis.
type Warning struct {
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// Clock records the boot time used for an input's boot-relative stamps and where it came from.
type Clock struct {
	BootTime time.Time `json:"bootTime"`
	Source   string    `json:"source"`             // "--boot-time", or "aligned with <input>"
	Matches  int       `json:"matches,omitempty"`  // lines seen in both inputs
	SpreadMS int64     `json:"spreadMs,omitempty"` // max-min of the offsets those lines gave
}

// Death is one dead container (or, in HostKills, one killed process outside any container).
type Death struct {
	Node        string `json:"node"`
	Namespace   string `json:"namespace"`
	Pod         string `json:"pod"`
	PodUID      string `json:"podUID"`
	QoS         string `json:"qos"`
	Container   string `json:"container"`
	ContainerID string `json:"containerID"`
	Runtime     string `json:"runtime,omitempty"`
	Cgroup      string `json:"cgroup"`

	Time     *time.Time `json:"time"`     // UTC; nil when only boot-relative time is known
	BootTime *float64   `json:"bootTime"` // seconds since boot; nil when unknown

	Mechanism  string `json:"mechanism"`
	LimitScope string `json:"limitScope,omitempty"` // container, pod, qos, node-allocatable (cgroup-oom only)
	Confidence string `json:"confidence"`

	Victim  *Victim  `json:"victim"`
	Victims []Victim `json:"victims"`
	Memory  *Memory  `json:"memory,omitempty"`
	Kernel  *Kernel  `json:"kernel,omitempty"`
	// CgroupNow is the victim's memory cgroup as it is now, when it still exists on the node.
	CgroupNow *sources.CgroupState `json:"cgroupNow,omitempty"`

	Summary  string     `json:"summary"`
	Notes    []string   `json:"notes,omitempty"` // caveats: what the evidence cannot tell
	Advice   []string   `json:"advice"`
	Evidence []Evidence `json:"evidence"`
}

// Victim is a process the OOM killer killed.
type Victim struct {
	PID         int    `json:"pid"`
	Process     string `json:"process"`
	OOMScoreAdj *int   `json:"oomScoreAdj"`
	AnonRSSKiB  int64  `json:"anonRssKiB"`
	FileRSSKiB  int64  `json:"fileRssKiB"`
	ShmemRSSKiB *int64 `json:"shmemRssKiB"` // nil before kernel 4.5
	TotalVMKiB  int64  `json:"totalVmKiB"`
	UID         *int   `json:"uid,omitempty"`
	Cgroup      string `json:"cgroup,omitempty"`
}

// Memory is the cgroup's memory counters at the kill, as the kernel printed them.
type Memory struct {
	LimitKiB     int64  `json:"limitKiB"`
	UsageKiB     int64  `json:"usageKiB"`
	Failcnt      int64  `json:"failcnt"`
	LimitCgroup  string `json:"limitCgroup,omitempty"` // the cgroup whose limit was hit
	SwapUsageKiB *int64 `json:"swapUsageKiB,omitempty"`
	SwapLimitKiB *int64 `json:"swapLimitKiB,omitempty"`
	CgroupV2     bool   `json:"cgroupV2"`
}

// Kernel holds what the OOM report said about the invocation itself.
type Kernel struct {
	Constraint  string `json:"constraint,omitempty"`
	OOMMemcg    string `json:"oomMemcg,omitempty"`
	TaskMemcg   string `json:"taskMemcg,omitempty"`
	GlobalOOM   bool   `json:"globalOOM,omitempty"`
	Trigger     string `json:"trigger,omitempty"` // the task whose allocation failed
	GFPMask     string `json:"gfpMask,omitempty"`
	Order       *int   `json:"order,omitempty"`
	OOMGroup    string `json:"oomGroup,omitempty"`
	Tasks       int    `json:"tasks,omitempty"` // rows in the task table
	RateLimited bool   `json:"rateLimited,omitempty"`
}

// Evidence is one proof line.
type Evidence struct {
	Input string     `json:"input"`
	Line  int        `json:"line"`
	Time  *time.Time `json:"time"`
	Boot  *float64   `json:"bootTime,omitempty"`
	Role  string     `json:"role,omitempty"`
	Text  string     `json:"text"`
}

// Incomplete is an OOM report without a kill line: shown, never turned into a death.
type Incomplete struct {
	Input    string     `json:"input"`
	Node     string     `json:"node"`
	Reason   string     `json:"reason"`
	Evidence []Evidence `json:"evidence"`
}
