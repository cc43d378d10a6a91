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

	// Memcg counters of the OOMing memcg (memcg OOMs only): memory: always, memory+swap: and
	// kmem: on cgroup v1, swap: on cgroup v2 (>= 5.3).
	Memory, MemSwap, Kmem, Swap *MemCounter
	StatsFor                    []string // paths named by "Memory cgroup stats for …:", one per memcg of the OOMing hierarchy
	MemInfo                     bool     // a global Mem-Info dump was printed (node-wide OOM)
	Mem                         *MemPicture

	Tasks []TaskRow // the task table, when oom_dump_tasks printed it

	Selected *SelectedTask // pre-5.1 "Kill process A (x) score N or sacrifice child"
	Kills    []Kill        // one per "Killed process" line; several for memory.oom.group
	Group    string        // memcg killed whole because memory.oom.group was set
	Reaped   []Reaped      // oom_reaper results

	Lines []Evidence // the lines that make up the proof, in input order
}

// First implements Event.
func (k *KernelOOM) First() Pos { return k.Lines[0].Pos }

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
	TotalVMKiB  int64
	AnonRSSKiB  int64
	FileRSSKiB  int64
	ShmemRSSKiB int64 // -1 before 4.5
	UID         int   // -1 before 5.4
	OOMScoreAdj *int  // from the >= 5.4 kill line, else from the task table row, else nil
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
	Lines []Evidence
}

// First implements Event.
func (i *IncompleteOOM) First() Pos { return i.Lines[0].Pos }
