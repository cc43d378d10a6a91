// Package report owns coroner's JSON contract (schema coroner/v1): the types a report is made
// of, their field names and JSON forms. Package correlate fills them in, package render
// prints them, coroner merge reads them back. Nothing here decides anything.
package report

import (
	"fmt"
	"strings"
	"time"
)

// Schema names the JSON contract; it changes only when a field is removed or renamed.
const Schema = "coroner/v1"

// Report is the whole analysis.
type Report struct {
	Schema     string       `json:"schema"`
	Summary    *Summary     `json:"summary,omitempty"` // counts first: what killed how many, where
	Inputs     []Input      `json:"inputs"`
	Deaths     []Death      `json:"deaths"`
	HostKills  []Death      `json:"hostKills"`
	Incomplete []Incomplete `json:"incomplete"`
	// Pressure lists node memory-pressure episodes: eviction-manager activity, thresholds
	// met, refused admissions, node OOMs, with or without deaths.
	Pressure []Pressure `json:"pressure"`
	// Warnings are problems of the run that belong to no input (coroner node: no journalctl).
	Warnings []string `json:"warnings,omitempty"`
	// Node is the live state of the node, when coroner ran on it (coroner node).
	Node *NodeState `json:"node,omitempty"`
	// Archives are the sosreports, must-gathers and directories read: node, zone, boot time,
	// how many members were used and skipped, and where an archive was damaged.
	Archives []Archive `json:"archives,omitempty"`
	// Transfer says what a log store shipped (coroner loki, coroner elasticsearch) and which
	// windows of the range could not be read.
	Transfer *Transfer `json:"transfer,omitempty"`
}

// Transfer is what a batch job pulled from a log store.
type Transfer struct {
	Store           string          `json:"store"` // loki, elasticsearch, opensearch
	URL             string          `json:"url"`
	From            time.Time       `json:"from"`
	To              time.Time       `json:"to"`
	Queries         []string        `json:"queries"`
	Shard           string          `json:"shard,omitempty"` // i/n
	Windows         int             `json:"windows"`
	Lines           int             `json:"lines"`
	Bytes           int64           `json:"bytes"`
	ContextLines    int             `json:"contextLines,omitempty"`
	UnfilteredLines int64           `json:"unfilteredLines,omitempty"`
	UnfilteredBytes int64           `json:"unfilteredBytes,omitempty"`
	Missing         []MissingWindow `json:"missing"`          // windows not read: the analysis is incomplete there
	Pushed          int             `json:"pushed,omitempty"` // findings written back
	// OutsideRange counts the deaths read but left to a neighbouring range: killed at or
	// after To (the read around a kill reaches past it), or before From.
	OutsideRange int `json:"outsideRange,omitempty"`
}

// MissingWindow is a slice of the range that could not be read.
type MissingWindow struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Error string    `json:"error"`
}

// Input says what became of one input.
type Input struct {
	Name     string     `json:"name"`
	Kind     InputKind  `json:"kind"`
	Lines    int        `json:"lines"`
	Node     string     `json:"node,omitempty"`
	Archive  string     `json:"archive,omitempty"` // the sosreport, must-gather or directory it came from
	Role     InputRole  `json:"role,omitempty"`    // what the archive's layout says it is: kernel, syslog, journal, unit, objects
	First    *time.Time `json:"first,omitempty"`   // its time span, UTC, from the lines read
	Last     *time.Time `json:"last,omitempty"`
	Error    string     `json:"error,omitempty"` // set when nothing of it could be read
	Clock    *Clock     `json:"clock,omitempty"` // how its boot-relative stamps became wall-clock times
	Warnings []Warning  `json:"warnings"`
}

// Warning is a problem at a line of an input that did not stop the analysis.
type Warning struct {
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
	Fault   bool   `json:"fault,omitempty"` // a read or decoding error ended the input here
}

// Clock records the boot time used for an input's boot-relative stamps and where it came from.
type Clock struct {
	BootTime time.Time `json:"bootTime"`
	Source   string    `json:"source"`             // "--boot-time", or "aligned with <input>"
	Matches  int       `json:"matches,omitempty"`  // lines seen in both inputs
	SpreadMS int64     `json:"spreadMs,omitempty"` // max-min of the offsets those lines gave
	Note     string    `json:"note,omitempty"`     // why the boot time is not the archive's btime
}

// String says the boot time and where it came from.
func (c *Clock) String() string {
	s := fmt.Sprintf("boot at %s (%s)", c.BootTime.Format(time.RFC3339), c.Source)
	if c.Note != "" {
		s += "; " + c.Note
	}
	return s
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
	// ContainerIDPrefix is the start of the ID when only a prefix is known (conmon prints
	// 20 characters) and no input names the full ID.
	ContainerIDPrefix string `json:"containerIDPrefix,omitempty"`
	Runtime           string `json:"runtime,omitempty"`
	Cgroup            string `json:"cgroup"`

	Time     *time.Time `json:"time"`     // UTC; nil when only boot-relative time is known
	BootTime *float64   `json:"bootTime"` // seconds since boot; nil when unknown
	// Age is when it died relative to when kubectl printed the evidence ("7m24s"), when
	// only kubectl's relative ages date it; "" otherwise.
	Age string `json:"age,omitempty"`

	Mechanism  Mechanism `json:"mechanism"`
	LimitScope string    `json:"limitScope,omitempty"` // container, pod, qos, allocatable, conmon, cgroup (cgroup-oom only)
	Confidence string    `json:"confidence"`
	// Attribution says how the death is tied to a container: container (the cgroup or pod
	// status names it), pod (the cgroup names only the pod), host (a cgroup outside
	// Kubernetes), pod-process (no cgroup in the log, but the process was a pod's), unknown
	// (the cgroup is not in the log).
	Attribution string `json:"attribution,omitempty"`
	// Report says which parts of the kernel's OOM report the log shows.
	Report *ReportParts `json:"reportParts,omitempty"`

	// ExitCode and Reason are the container's termination as pod status or the runtime
	// reported it; nil and "" when neither is in the evidence.
	ExitCode *int   `json:"exitCode,omitempty"`
	Reason   string `json:"reason,omitempty"`

	Eviction *Eviction `json:"eviction,omitempty"` // kubelet-eviction, and not-memory evictions
	Kill     *Kill     `json:"kill,omitempty"`     // what killed it, when that was not memory

	Victim  *Victim  `json:"victim"`
	Victims []Victim `json:"victims"`
	Memory  *Memory  `json:"memory,omitempty"`
	Kernel  *Kernel  `json:"kernel,omitempty"`
	// CgroupNow is the victim's memory cgroup as it is now, when it still exists on the node.
	CgroupNow *CgroupState `json:"cgroupNow,omitempty"`

	// LocalTime is Time in the node's own zone, when an archive or --tz named it.
	LocalTime string `json:"localTime,omitempty"`
	// Deaths of this container (namespace/pod/container) in the analysed period, this one
	// included, and the restarts pod status counts: a restart loop shows here.
	Repeats  int   `json:"repeats,omitempty"`
	Restarts int32 `json:"restarts,omitempty"`

	Summary  string   `json:"summary"`
	RuledOut []string `json:"ruledOut,omitempty"` // why the other mechanisms are not it
	Notes    []string `json:"notes,omitempty"`    // caveats: what the evidence cannot tell
	// NoteCodes name the notes, index for index (see NoteCode); write both with AddNote.
	NoteCodes []NoteCode `json:"noteCodes,omitempty"`
	Missing   []string   `json:"missing,omitempty"` // inputs that would have raised the confidence
	// LeadUp is what came before the death, each with its own time: failed probes, back-offs,
	// the kubelet's kill when the exit dates the death, the start of node pressure.
	LeadUp []LeadUp `json:"leadUp,omitempty"`
	// TopTasks are the largest processes of a node-wide OOM's task table: who held the memory.
	TopTasks []Task `json:"topTasks,omitempty"`
	// NodeMemory is the node\'s memory from a node-wide OOM\'s Mem-Info dump.
	NodeMemory *NodeMemory `json:"nodeMemory,omitempty"`
	// Owner is the workload whose pod template sets the resources (Deployment, StatefulSet…).
	Owner *Owner `json:"owner,omitempty"`
	// Fix is the change the advice proposes, with its figures: a memory limit sized from the
	// usage at the kill, or a request at least the usage the kubelet measured.
	Fix *Fix `json:"fix,omitempty"`
	// Hog is the largest process of a node-wide OOM's task table: the one that used the
	// memory, which need not be the victim.
	Hog *Task `json:"hog,omitempty"`
	// Collateral marks a node-wide OOM victim that was not the hog: killed for its
	// oom_score_adj while another process held the memory.
	Collateral bool       `json:"collateral,omitempty"`
	Advice     []string   `json:"advice"`
	Evidence   []Evidence `json:"evidence"`
}

// LeadUp is one sign before a death.
type LeadUp struct {
	Time  *time.Time `json:"time"`
	What  string     `json:"what"`
	Input string     `json:"input"`
	Line  int        `json:"line"`
}

// Victim is a process the OOM killer killed.
type Victim struct {
	PID         int    `json:"pid"`
	Process     string `json:"process"`
	OOMScoreAdj *int   `json:"oomScoreAdj"`
	AnonRSSKiB  *int64 `json:"anonRssKiB"`  // nil when the log does not show it
	FileRSSKiB  *int64 `json:"fileRssKiB"`  // nil when the log does not show it
	ShmemRSSKiB *int64 `json:"shmemRssKiB"` // nil before kernel 4.5
	TotalVMKiB  *int64 `json:"totalVmKiB"`  // nil when the log does not show it
	UID         *int   `json:"uid,omitempty"`
	Cgroup      string `json:"cgroup,omitempty"`
	// OrChild marks a victim known only from the pre-5.1 selection line: the kernel killed
	// this process or one of its children.
	OrChild bool `json:"orChild,omitempty"`
	// From names the line that shows the kill: kill, shared-mm (killed with the victim's
	// memory), summary, reaper, selection, event.
	From string `json:"from,omitempty"`
}

// Name says the victim as people read it: "java (pid 42)", or only the pid when the line that
// named it was cut before the name.
func (v *Victim) Name() string {
	if v.Process == "" {
		return fmt.Sprintf("pid %d (its name is not in the log)", v.PID)
	}
	return fmt.Sprintf("%s (pid %d)", v.Process, v.PID)
}

// ReportParts says which parts of the kernel's OOM report the log shows: header, memory
// (memcg counters or Mem-Info), tasks (the task table), cgroup (the oom-kill summary or the
// "Task in" line), selection, kill, reaper, oom-group.
type ReportParts struct {
	Seen    []string `json:"seen"`
	NotSeen []string `json:"notSeen"`
}

// Memory is the cgroup's memory counters at the kill, as the kernel printed them.
type Memory struct {
	LimitKiB    Limit  `json:"limitKiB"` // null: no limit
	UsageKiB    int64  `json:"usageKiB"`
	Failcnt     int64  `json:"failcnt"`
	LimitCgroup string `json:"limitCgroup,omitempty"` // the cgroup whose limit was hit
	// SwapUsageKiB and SwapLimitKiB are swap on cgroup v2 (the "swap:" line); on v1 the
	// usage is memory+swap less memory and the limit is the memory+swap limit. Absent when
	// the report printed neither line; the limit is null when there is none.
	SwapUsageKiB *int64 `json:"swapUsageKiB,omitempty"`
	SwapLimitKiB Limit  `json:"swapLimitKiB,omitzero"`
	CgroupV2     bool   `json:"cgroupV2"`
	// Stats is what the cgroup held at the kill, from the report's "Memory cgroup stats".
	Stats *MemcgStats `json:"stats,omitempty"`
}

// MemcgStats splits the cgroup's memory at the kill into what calls for different fixes.
type MemcgStats struct {
	AnonKiB      int64  `json:"anonKiB"`             // heap, stacks, anonymous mmap (v1 rss, v2 anon)
	FileKiB      int64  `json:"fileKiB"`             // page cache, tmpfs and shared memory included (v1 cache, v2 file)
	ShmemKiB     int64  `json:"shmemKiB"`            // tmpfs (emptyDir medium: Memory), /dev/shm, shared memory
	DirtyKiB     int64  `json:"dirtyKiB"`            // page cache not yet written back
	WritebackKiB int64  `json:"writebackKiB"`        // page cache being written back
	KernelKiB    *int64 `json:"kernelKiB,omitempty"` // slab, stacks, page tables, sockets; nil when not shown (v1: see kmemKiB)
	KmemKiB      *int64 `json:"kmemKiB,omitempty"`   // cgroup v1's kmem: usage counter
	SlabKiB      int64  `json:"slabKiB"`
	SockKiB      int64  `json:"sockKiB"`
}

// Fix is a concrete change for a death, with the figures behind it.
type Fix struct {
	Object    string `json:"object,omitempty"` // what to change, "deployment/api"; "" when the owner is not known
	Namespace string `json:"namespace,omitempty"`
	Container string `json:"container,omitempty"`
	Limit     string `json:"limit,omitempty"`   // the memory limit to set, in Kubernetes units
	Request   string `json:"request,omitempty"` // the memory request to set
	Basis     string `json:"basis"`             // how the figure was reached
	Command   string `json:"command,omitempty"` // a kubectl line that makes the change
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
	Input    string     `json:"input"`
	Line     int        `json:"line"`
	Time     *time.Time `json:"time"`
	Boot     *float64   `json:"bootTime,omitempty"`
	Role     Role       `json:"role,omitempty"`
	Decisive bool       `json:"decisive,omitempty"` // the line the verdict rests on
	Text     string     `json:"text"`
	// Age is the line's time as kubectl printed it, relative to when kubectl ran ("7m24s",
	// "18m (x2 over 18m)"), when no wall-clock time is known (pasted tables; see --now).
	Age string `json:"age,omitempty"`
}

// Task is one row of a kernel OOM report's task table.
type Task struct {
	PID         int    `json:"pid"`
	Name        string `json:"name"`
	RSSKiB      int64  `json:"rssKiB"`
	OOMScoreAdj int    `json:"oomScoreAdj"`
}

// Incomplete is an OOM report without a kill line: shown, never turned into a death.
type Incomplete struct {
	Input    string     `json:"input"`
	Node     string     `json:"node"`
	Reason   string     `json:"reason"`
	Seen     []string   `json:"seen"` // the parts of the report the log shows
	Evidence []Evidence `json:"evidence"`
}

// Eviction is what the evidence says about a kubelet eviction.
type Eviction struct {
	Resource   string   `json:"resource,omitempty"`  // memory, ephemeral-storage, pid, nodefs, …
	Scope      string   `json:"scope,omitempty"`     // node (pressure), or the pod, container or emptyDir over its local storage limit
	Limit      string   `json:"limit,omitempty"`     // the local storage limit that was exceeded
	Volume     string   `json:"volume,omitempty"`    // the emptyDir volume over its sizeLimit
	Signal     string   `json:"signal,omitempty"`    // memory.available, … as the message or the kubelet named it
	Threshold  string   `json:"threshold,omitempty"` // the threshold quantity
	Observed   string   `json:"observed,omitempty"`  // the available amount when it was met
	Grace      string   `json:"grace,omitempty"`     // "0s" for a hard threshold; soft thresholds' grace period
	RankedPods []string `json:"rankedPods"`          // the kubelet's ranking (ns/name), first evicted first
	Usage      []Usage  `json:"usage,omitempty"`     // containers over their request, from the message
	Message    string   `json:"message,omitempty"`   // the eviction message as written
	Episode    *int     `json:"episode,omitempty"`   // index into the report's pressure episodes
	// Others are other pods evicted in the same episode, the first MaxListed of them; the
	// episode (Episode) lists them all, once for the report, and OthersCount counts them.
	Others      []string `json:"otherEvicted"`
	OthersCount int      `json:"otherEvictedCount,omitempty"`
}

// OthersText lists the other pods evicted in the episode as a report prints them: those
// listed, and how many more the episode holds.
func (e *Eviction) OthersText() string {
	s := strings.Join(e.Others, ", ")
	if more := e.OthersCount - len(e.Others); more > 0 {
		s += fmt.Sprintf(" and %d more (the episode lists them all)", more)
	}
	return s
}

// MaxListed bounds the pods a death lists of its episode, and the lines an episode keeps of
// one kind: ten thousand evictions in one episode made each death list every other pod.
const MaxListed = 10

// Usage is one container's usage against its request, from the eviction message.
type Usage struct {
	Container string `json:"container"`
	Usage     string `json:"usage"`
	Request   string `json:"request"`
}

// Kill says what killed a container when it was not memory (or not only).
type Kill struct {
	Reason  string `json:"reason"` // liveness-probe, startup-probe, preemption, node-shutdown, eviction, stopped
	Message string `json:"message,omitempty"`
	By      string `json:"by,omitempty"` // kubelet, or the component that reported it
}

// Pressure is one episode of node memory pressure: from the first sign to the last within
// a few minutes of each other.
type Pressure struct {
	Node      string   `json:"node"`
	Resources []string `json:"resources"` // what the kubelet tried to reclaim
	// Conditions are the resources of the node conditions that refused admissions (memory,
	// disk, pids), when only the refusals show the pressure.
	Conditions         []string   `json:"conditions,omitempty"`
	Start              *time.Time `json:"start"`
	End                *time.Time `json:"end"`
	ThresholdsMet      int        `json:"thresholdsMet"` // "attempting to reclaim" lines and EvictionThresholdMet events
	RankedPods         []string   `json:"rankedPods"`    // the first ranking the kubelet logged
	Evicted            []string   `json:"evicted"`       // ns/name, in order
	AdmissionRefused   []string   `json:"admissionRefused"`
	CriticalNotEvicted []string   `json:"criticalNotEvicted"`
	NoPodsToEvict      bool       `json:"noPodsToEvict,omitempty"`
	NodeOOMs           int        `json:"nodeOOMs"`             // SystemOOM events and kubelet OOM-watcher lines
	Thresholds         []string   `json:"thresholds,omitempty"` // the kubelet's hard thresholds, when logged
	Deaths             int        `json:"deaths"`               // deaths of this report in the episode
	Summary            string     `json:"summary"`
	Evidence           []Evidence `json:"evidence"`
	// EvidenceOmitted counts the lines left out of Evidence: of each kind of line the first
	// and last MaxListed/2 are kept (a kubelet logs its ranking every few seconds while the
	// pressure lasts), and every count above comes from all of them.
	EvidenceOmitted int `json:"evidenceOmitted,omitempty"`
}
