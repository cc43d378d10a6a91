package parsers

// KernelOOM is one invocation of the kernel OOM killer as assembled from its multi-line
// report: header, memcg counters or Mem-Info, task table, summary, kill line(s), reaper.
type KernelOOM struct {
	Host string // the host the envelope named, "" for dmesg

	Trigger *OOMTrigger // the "invoked oom-killer" header; nil when the report was rate-limited

	// From the >= 5.0 one-line summary "oom-kill:constraint=…", or the pre-5.0 "Task in A killed
	// as a result of limit of B" line (TaskMemcg=A, OOMMemcg=B).
	Constraint string // CONSTRAINT_MEMCG, CONSTRAINT_NONE, CONSTRAINT_CPUSET, CONSTRAINT_MEMORY_POLICY; "" if not shown
	OOMMemcg   string // the memcg whose limit was hit; "" when not shown or global
	GlobalOOM  bool   // the summary said global_oom
	TaskMemcg  string // the victim's memcg
	TaskIn     bool   // the pre-5.0 "Task in A killed as a result of limit of B" line was seen
	// OOMCgroup and TaskCgroup are OOMMemcg and TaskMemcg decoded, StatsCgroups StatsFor's
	// paths and GroupCgroup Group's: zero when the path is "".
	OOMCgroup, TaskCgroup CgroupPath

	// Summary is the victim the >= 5.0 summary names ("task=%s,pid=%d,uid=%d"): printed once
	// the victim is chosen, right before the kill, so it proves the kill on its own.
	Summary *SummaryTask

	// Memcg counters of the OOMing memcg (memcg OOMs only): memory: always, memory+swap: and
	// kmem: on cgroup v1, swap: on cgroup v2 (>= 5.3).
	Memory, MemSwap, Kmem, Swap *MemCounter
	StatsFor                    []string // paths named by "Memory cgroup stats for …:", one per memcg of the OOMing hierarchy
	StatsCgroups                []CgroupPath
	Stats                       *MemcgStats // what those stats add up to; nil when none were printed
	MemInfo                     bool        // a global Mem-Info dump was printed (node-wide OOM)
	Mem                         *MemPicture

	Tasks []TaskRow // the task table, when oom_dump_tasks printed it

	Selected    *SelectedTask // pre-5.1 "Kill process A (x) score N or sacrifice child"
	Kills       []Kill        // one per "Killed process" line; several for memory.oom.group
	Group       string        // memcg killed whole because memory.oom.group was set
	GroupCgroup CgroupPath
	Reaped      []Reaped // oom_reaper results

	Lines []Evidence // the lines that make up the proof, in input order
}

// First implements Event.
func (k *KernelOOM) First() Pos { return k.Lines[0].Pos }

// Decisive is the line that proves the kill and dates it, closest to the kill first: a kill
// line; the summary, the selection and the pre-5.0 "Task in" line, printed just before it; the
// memory.oom.group announcement just after; the reaper, which may run seconds later.
func (k *KernelOOM) Decisive() Evidence {
	if len(k.Kills) > 0 {
		return k.Kills[0].Evidence
	}
	for _, role := range []Role{RoleSummary, RoleSelected, RoleTaskIn, RoleOOMGroup, RoleReaper} {
		for _, l := range k.Lines {
			if l.Role == role {
				return l
			}
		}
	}
	return k.Lines[len(k.Lines)-1]
}

// Decided reports whether the report holds a line that proves a kill decision; a report
// without one (a header, a memory dump, a task table) is an IncompleteOOM.
func (k *KernelOOM) Decided() bool {
	if len(k.Kills) > 0 || k.Summary != nil || k.Selected != nil || k.TaskIn || k.Group != "" {
		return true
	}
	for _, r := range k.Reaped {
		if !r.Unable {
			return true
		}
	}
	return false
}

// Parts of a kernel OOM report, as Seen names them.
const (
	PartHeader    = "header"    // "… invoked oom-killer: …"
	PartMemory    = "memory"    // memcg counters or the node's Mem-Info
	PartTasks     = "tasks"     // the task table
	PartCgroup    = "cgroup"    // the oom-kill summary or the "Task in" line, which name the cgroups
	PartSelection = "selection" // "Kill process … or sacrifice child" (before 5.1)
	PartKill      = "kill"      // "Killed process …"
	PartReaper    = "reaper"    // "oom_reaper: reaped process …"
	PartOOMGroup  = "oom-group" // "Tasks in … are going to be killed due to memory.oom.group set"
)

// Seen lists the parts of the report the log shows, in report order.
func (k *KernelOOM) Seen() []string {
	out := []string{} // never null in the JSON report
	add := func(ok bool, part string) {
		if ok {
			out = append(out, part)
		}
	}
	add(k.Trigger != nil, PartHeader)
	add(k.Memory != nil || k.MemInfo || len(k.StatsFor) > 0, PartMemory)
	add(len(k.Tasks) > 0, PartTasks)
	add(k.Summary != nil || k.TaskIn || (k.Constraint != "" && k.OOMMemcg+k.TaskMemcg != ""), PartCgroup)
	add(k.Selected != nil, PartSelection)
	add(len(k.Kills) > 0, PartKill)
	add(len(k.Reaped) > 0, PartReaper)
	add(k.Group != "", PartOOMGroup)
	return out
}

// SummaryTask is the victim named by the one-line summary.
type SummaryTask struct {
	PID  int
	Comm string
	UID  int
}

// MemCounter is one "memory: usage %llukB, limit %llukB, failcnt %lu" line.
type MemCounter struct {
	UsageKiB int64
	LimitKiB int64
	Failcnt  int64
}

// OOMTrigger is the header "%s invoked oom-killer: gfp_mask=…, order=%d, oom_score_adj=%hd".
type OOMTrigger struct {
	Comm        string // the allocating task (not the victim)
	GFPMask     string // e.g. "0xcc0"
	GFPFlags    string // e.g. "GFP_KERNEL"; "" before 4.6
	Order       int
	OOMScoreAdj int
}

// TaskRow is one row of the task table. Memory columns are in pages, as the kernel prints
// them; columns a kernel version does not print are -1.
type TaskRow struct {
	PID, UID, TGID int
	TotalVMPages   int64
	RSSPages       int64
	PgtablesBytes  int64
	SwapEnts       int64
	OOMScoreAdj    int
	Name           string
}

// SelectedTask is the pre-5.1 selection line; the victim may then be one of its children.
type SelectedTask struct {
	PID    int
	Comm   string
	Score  int64
	Reason string // "Out of memory", "Memory cgroup out of memory", …
}

// Kill is one "Killed process" line.
type Kill struct {
	Evidence    Evidence
	Reason      string // the prefix: "Out of memory", "Memory cgroup out of memory", "" before 5.1
	PID         int
	Comm        string
	TotalVMKiB  int64 // -1 when not shown (before 2.6.31, or a line cut short)
	AnonRSSKiB  int64 // -1 when not shown
	FileRSSKiB  int64 // -1 when not shown
	ShmemRSSKiB int64 // -1 before 4.5
	UID         int   // -1 before 5.4 (and RHEL's ", UID %u," forms)
	OOMScoreAdj *int  // from the >= 5.4 kill line, else from the task table row, else nil
	Sizes       bool  // the line showed the victim's sizes
	Shared      bool  // "Kill process N (x) sharing same memory": killed with the victim, sizes never shown
}

// Reaped is an oom_reaper line: the victim's memory was freed (or could not be).
type Reaped struct {
	PID      int
	Comm     string
	Unable   bool // "unable to reap"
	Evidence Evidence
}

// IncompleteOOM is an OOM invocation whose report ends (next invocation, end of input) before
// any kill line: we never invent a victim for it.
type IncompleteOOM struct {
	Host  string
	Why   string
	Seen  []string // the parts of the report the log shows (KernelOOM.Seen)
	Lines []Evidence
}

// First implements Event.
func (i *IncompleteOOM) First() Pos { return i.Lines[0].Pos }
