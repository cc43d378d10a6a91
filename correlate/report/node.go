package report

import "time"

// Archive is what a sosreport, must-gather or directory said about the node and the
// collection, and what was done with its members.
type Archive struct {
	Name       string `json:"name"`
	Kind       string `json:"kind"` // sosreport, must-gather, cluster-info-dump, directory, tar
	Host       string `json:"host,omitempty"`
	SosVersion string `json:"sosVersion,omitempty"`
	Kernel     string `json:"kernel,omitempty"`
	// Collected and BootTime are left out when unknown: omitempty never omits a zero
	// time.Time, which would write "0001-01-01T00:00:00Z" into the report.
	Collected time.Time `json:"collected,omitzero"` // when sos ran
	Zone      string    `json:"zone,omitempty"`     // IANA name or fixed offset of the node's local time
	BootTime  time.Time `json:"bootTime,omitzero"`  // proc/stat btime
	BootID    string    `json:"bootID,omitempty"`
	Used      int       `json:"used"`
	Meta      int       `json:"meta"` // files read for what they say of the node and its clock
	Skipped   int       `json:"skipped"`
	Warnings  []string  `json:"warnings,omitempty"`
	// Members lists every file and what became of it, with --explain-inputs only.
	Members []Member `json:"members,omitempty"`
}

// Member is one file of an archive and what became of it.
type Member struct {
	Path     string `json:"path"`
	Decision string `json:"decision"` // read as <role>, node facts, skipped: <why>
}

// NodeState is the live state of the node coroner ran on (coroner node).
type NodeState struct {
	Hostname      string         `json:"hostname,omitempty"`
	Kernel        string         `json:"kernel,omitempty"`
	MemTotalKiB   int64          `json:"memTotalKiB,omitempty"`
	CgroupVersion string         `json:"cgroupVersion,omitempty"` // v1 or v2: where the memory controller is
	Kubelet       *KubeletConfig `json:"kubelet,omitempty"`
	Cgroups       []CgroupState  `json:"cgroups"`
}

// KubeletConfig holds the fields of the kubelet's KubeletConfiguration that decide memory
// deaths.
type KubeletConfig struct {
	Path                    string            `json:"path"`
	CgroupDriver            string            `json:"cgroupDriver,omitempty"`
	EvictionHard            map[string]string `json:"evictionHard,omitempty"`
	EvictionSoft            map[string]string `json:"evictionSoft,omitempty"`
	EvictionSoftGracePeriod map[string]string `json:"evictionSoftGracePeriod,omitempty"`
	KubeReserved            map[string]string `json:"kubeReserved,omitempty"`
	SystemReserved          map[string]string `json:"systemReserved,omitempty"`
	EnforceNodeAllocatable  []string          `json:"enforceNodeAllocatable,omitempty"`
	KernelMemcgNotification bool              `json:"kernelMemcgNotification,omitempty"`
	FeatureGates            map[string]bool   `json:"featureGates,omitempty"`
}

// CgroupState is one memory cgroup under kubepods as it is now.
type CgroupState struct {
	Path        string `json:"path"`                  // as the kernel prints it, e.g. /kubepods/burstable/pod…/…
	LimitKiB    *int64 `json:"limitKiB"`              // nil: no limit
	UsageKiB    int64  `json:"usageKiB"`              // memory.usage_in_bytes (v1) or memory.current (v2)
	MaxUsageKiB *int64 `json:"maxUsageKiB,omitempty"` // v1 memory.max_usage_in_bytes; v2 memory.peak
	Failcnt     *int64 `json:"failcnt,omitempty"`     // v1 memory.failcnt
	OOMKills    int64  `json:"oomKills"`              // v1 memory.oom_control oom_kill, v2 memory.events oom_kill
	OOMEvents   *int64 `json:"oomEvents,omitempty"`   // v2 memory.events oom: times the limit was hit
	OOMGroup    *bool  `json:"oomGroup,omitempty"`    // v2 memory.oom.group
}

// NodeMemory is the node's memory from a node-wide OOM's Mem-Info dump.
type NodeMemory struct {
	RAMKiB         int64 `json:"ramKiB"`         // "N pages RAM" (4 KiB pages)
	ManagedKiB     int64 `json:"managedKiB"`     // sum of the zones' managed memory
	FreeKiB        int64 `json:"freeKiB"`        // sum of the zones' free memory
	MinKiB         int64 `json:"minKiB"`         // sum of the zones' min watermarks
	AnonKiB        int64 `json:"anonKiB"`        // active + inactive anonymous, all nodes
	FileKiB        int64 `json:"fileKiB"`        // active + inactive page cache
	ShmemKiB       int64 `json:"shmemKiB"`       // tmpfs and shared memory
	UnevictableKiB int64 `json:"unevictableKiB"` // mlocked and the like
}
