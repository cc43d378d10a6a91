package correlate

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"

	"github.com/k8s-coroner/coroner/parsers"
)

// kernelDeaths is the kernel phase: a report read from two inputs is merged into one, and
// each gives its deaths, of containers (one container's kills joined into one death) or of
// processes outside any container. The reports are its own (the clocks' aligned copies): it
// clears the slice and lets go of each report once its deaths are made.
func kernelDeaths(ooms []*parsers.KernelOOM, sc *scene) (deaths, hostKills []report.Death) {
	merged, skews := mergeDuplicates(ooms)
	clear(ooms) // the merged reports are all that is left of them
	sc.cgroups = levelsOf(merged)
	deaths = make([]report.Death, 0, len(merged)) // mostly one each; growth would leave copies behind
	for i, r := range merged {
		merged[i] = nil // once its deaths are made, only its facts are needed
		facts := factsOf(r)
		notes := skews[r]
		delete(skews, r)
		for _, d := range deathsOf(r, sc.window) {
			sc.reports[d.Kernel] = facts
			d.AddNotes(notes...)
			if d.ContainerID == "" && d.PodUID == "" {
				hostKills = append(hostKills, d)
			} else {
				attribute(&d, facts)
				deaths = append(deaths, d)
			}
		}
	}
	return joinContainerDeaths(deaths, sc.window, sc.cgroups), hostKills
}

// kernelFacts is what the judge and the explanations read of a death's kernel report beyond
// the death itself. It is made with the deaths so that the report, with its lines and its
// whole task table, need not stay alive while thousands of other deaths are judged.
type kernelFacts struct {
	topTasks   []report.Task       // the largest tasks of the task table (topTaskCount)
	lowestAdj  int                 // the lowest oom_score_adj above -997 in the task table, at most 1000
	podHelper  string              // the first task that runs only in pods, named (podHelper)
	mem        *parsers.MemPicture // the node's Mem-Info picture, when printed
	memInfo    bool                // the report holds Mem-Info
	killReason string              // the kill line's reason ("Memory cgroup out of memory")
}

// topTaskCount is how many of the largest tasks a death's report shows.
const topTaskCount = 5

func factsOf(o *parsers.KernelOOM) *kernelFacts {
	f := &kernelFacts{topTasks: topTasks(o.Tasks, topTaskCount), lowestAdj: 1000, mem: o.Mem, memInfo: o.MemInfo, killReason: killReason(o)}
	for _, t := range o.Tasks {
		if t.OOMScoreAdj > -997 && t.OOMScoreAdj < f.lowestAdj {
			f.lowestAdj = t.OOMScoreAdj
		}
		if f.podHelper == "" {
			f.podHelper = podHelper(t.Name)
		}
	}
	return f
}

// deathsOf turns one OOM report into deaths: one per container its kills hit (a
// memory.oom.group kill of a pod cgroup can hit several), or one host kill. A report whose
// kill line is not in the log still makes a death when another line proves the kill
// decision: the summary or the reaper names the victim, the selection names it "or a child",
// the "Task in" and memory.oom.group lines name only the cgroup.
func deathsOf(o *parsers.KernelOOM, window time.Duration) []report.Death {
	v := classify(o)
	victimCg, inferred := victimCgroup(o)
	if inferred {
		v.notes = append(v.notes, report.Note{Code: report.NoteCgroupInferred, Text: "the report does not name the victim's cgroup; it is inferred from the only container memcg in the OOMing hierarchy (" + victimCg.Path + ")"})
		v.confidence = capConfidence(v.confidence, "medium")
	}
	victims, how := victimsOf(o)
	if how.note.Text != "" {
		v.notes = append(v.notes, how.note)
	}
	v.confidence = capConfidence(v.confidence, how.confidence)
	if len(victims) == 0 {
		cg := victimCg
		if cg.Path == "" && o.Group != "" {
			cg = o.GroupCgroup
		}
		d := newDeath(o, cg, v)
		return []report.Death{*d}
	}
	var order []string
	groups := map[string]*report.Death{}
	for i, victim := range victims {
		cg := victimCg
		if o.Group != "" && (i > 0 || cg.Path == "") {
			// Group kills name no cgroup per process: they are members of the group's memcg.
			// The first victim is the one the summary's task_memcg names.
			if g := o.GroupCgroup; g.Level == parsers.CgroupContainer || cg.Path == "" {
				cg = g
			}
		}
		key := cg.ContainerID + "|" + cg.PodUID + "|" + cg.Path
		d := groups[key]
		if d == nil {
			d = newDeath(o, cg, v)
			groups[key] = d
			order = append(order, key)
		}
		victim.Cgroup = cg.Path
		d.Victims = append(d.Victims, victim)
	}
	out := make([]report.Death, 0, len(order))
	for _, key := range order {
		d := groups[key]
		d.Victim = &d.Victims[0]
		out = append(out, *d)
	}
	return out
}

// victimHow says how a report names its victims when it lacks the kill line.
type victimHow struct {
	note       report.Note
	confidence string // the most the evidence allows
}

// victimsOf lists the processes the report proves killed, from the strongest line it has.
func victimsOf(o *parsers.KernelOOM) ([]report.Victim, victimHow) {
	if len(o.Kills) > 0 {
		out := make([]report.Victim, 0, len(o.Kills))
		for _, k := range o.Kills {
			out = append(out, victimOf(k))
		}
		for _, r := range o.Reaped { // a victim whose kill line was lost but whose memory was reaped
			if !r.Unable && !hasVictim(out, r.PID) {
				out = append(out, report.Victim{PID: r.PID, Process: r.Comm, From: "reaper"})
			}
		}
		return out, victimHow{confidence: "high"}
	}
	adj := func(pid int) *int {
		for _, t := range o.Tasks {
			if t.PID == pid {
				a := t.OOMScoreAdj
				return &a
			}
		}
		return nil
	}
	if s := o.Summary; s != nil {
		uid := s.UID
		v := report.Victim{PID: s.PID, Process: s.Comm, UID: &uid, OOMScoreAdj: adj(s.PID), From: "summary"}
		return []report.Victim{v}, victimHow{confidence: "high", note: report.Note{Code: report.NoteVictimFromSummary, Text: fmt.Sprintf("the \"Killed process\" line is not in the log; the oom-kill summary, which the kernel prints once it has chosen the victim and right before it kills it, names %s (pid %d)", s.Comm, s.PID)}}
	}
	var reaped []report.Victim
	for _, r := range o.Reaped {
		if !r.Unable {
			reaped = append(reaped, report.Victim{PID: r.PID, Process: r.Comm, OOMScoreAdj: adj(r.PID), From: "reaper"})
		}
	}
	if len(reaped) > 0 {
		return reaped, victimHow{confidence: "medium", note: report.Note{Code: report.NoteVictimFromReaper, Text: fmt.Sprintf("the kill line is not in the log; the oom_reaper line, which frees a killed process's memory, proves that %s (pid %d) was killed", reaped[0].Process, reaped[0].PID)}}
	}
	if s := o.Selected; s != nil {
		v := report.Victim{PID: s.PID, Process: s.Comm, OOMScoreAdj: adj(s.PID), OrChild: true, From: "selection"}
		note := fmt.Sprintf("the kill line is not in the log; the kernel chose %s (pid %d, score %d) and killed it or one of its children (\"or sacrifice child\"), so the victim is pid %d or a child of it", s.Comm, s.PID, s.Score, s.PID)
		if n := countRole(o.Lines, parsers.RoleSelected); n > 1 {
			note += fmt.Sprintf("; it was selected %d times, as the kernel selects a dying victim again until it has exited", n)
		}
		return []report.Victim{v}, victimHow{confidence: "medium", note: report.Note{Code: report.NoteVictimFromSelection, Text: note}}
	}
	if o.TaskIn {
		return nil, victimHow{confidence: "medium", note: report.Note{Code: report.NoteVictimFromTaskIn, Text: "the report's \"Task in … killed as a result of limit of …\" line, printed once the victim is chosen, names its cgroup; the kill line that would name the process is not in the log"}}
	}
	return nil, victimHow{confidence: "low", note: report.Note{Code: report.NoteOOMGroupOnly, Text: "only the memory.oom.group line is in the log: every task of " + o.Group + " was to be killed; the victims and the rest of the report are not shown"}}
}

func hasVictim(vs []report.Victim, pid int) bool { return victimIndex(vs, pid) >= 0 }

func victimIndex(vs []report.Victim, pid int) int {
	for i, v := range vs {
		if v.PID == pid {
			return i
		}
	}
	return -1
}

// capConfidence lowers c to at most max.
func capConfidence(c, max string) string {
	rank := map[string]int{"low": 0, "medium": 1, "high": 2}
	if max != "" && rank[c] > rank[max] {
		return max
	}
	return c
}

func newDeath(o *parsers.KernelOOM, cg parsers.CgroupPath, v verdict) *report.Death {
	d := &report.Death{
		Node: o.Host, PodUID: cg.PodUID, QoS: cg.QoS, ContainerID: cg.ContainerID,
		Runtime: cg.Runtime, Cgroup: cg.Path, Victims: []report.Victim{},
		Mechanism: v.mechanism, Confidence: v.confidence,
		Evidence: evidenceOf(o.Lines), Kernel: kernelOf(o), Advice: []string{}, Report: partsOf(o),
	}
	d.AddNotes(v.notes...)
	d.Time, d.BootTime = clocksOf(o.Decisive())
	if v.mechanism == report.CgroupOOM {
		d.LimitScope = limitCgroupPath(o).Level
		if d.LimitScope == "" && limitCgroup(o) != "" {
			d.LimitScope = "cgroup"
		}
		d.Memory = memoryOf(o)
	}
	if cg.Level == parsers.CgroupConmon {
		d.AddNote(report.NoteConmonCgroup, "the victim's cgroup "+cg.Path+" is CRI-O's conmon for container "+short(cg.ContainerID)+", not the container itself: the container lost its monitor")
	} else if cg.Path != "" && cg.Level != "" && cg.Level != parsers.CgroupContainer && cg.PodUID != "" {
		d.AddNote(report.NotePodCgroupOnly, "the victim's cgroup "+cg.Path+" names the pod but no container")
	}
	return d
}

// partsOf says which parts of the kernel's report the log shows and which it does not.
func partsOf(o *parsers.KernelOOM) *report.ReportParts {
	seen := o.Seen()
	p := &report.ReportParts{Seen: seen, NotSeen: []string{}}
	for _, part := range []string{parsers.PartHeader, parsers.PartMemory, parsers.PartTasks, parsers.PartCgroup, parsers.PartKill} {
		if !slices.Contains(seen, part) {
			p.NotSeen = append(p.NotSeen, part)
		}
	}
	return p
}

// limitCgroup is the memcg whose limit was hit; the stats dump starts with it.
func limitCgroup(o *parsers.KernelOOM) string {
	return limitCgroupPath(o).Path
}

// limitCgroupPath is limitCgroup as the parsers decoded it.
func limitCgroupPath(o *parsers.KernelOOM) parsers.CgroupPath {
	if o.OOMMemcg != "" {
		return o.OOMCgroup
	}
	if len(o.StatsCgroups) > 0 {
		return o.StatsCgroups[0]
	}
	return parsers.CgroupPath{}
}

// victimCgroup is the victim's memcg as the report names it (summary's task_memcg, pre-5.0
// "Task in"). A window of a pre-5.3 report may show only the stats lines of the OOMing
// hierarchy: when exactly one of them is a container, the victim was in it (the memcg OOM
// killer only picks tasks inside the hierarchy), which is reported as inferred.
func victimCgroup(o *parsers.KernelOOM) (parsers.CgroupPath, bool) {
	if o.TaskMemcg != "" {
		return o.TaskCgroup, false
	}
	var found []parsers.CgroupPath
	for _, c := range o.StatsCgroups {
		if c.Level == parsers.CgroupContainer {
			found = append(found, c)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return parsers.CgroupPath{}, false
}

func victimOf(k parsers.Kill) report.Victim {
	v := report.Victim{PID: k.PID, Process: k.Comm, OOMScoreAdj: k.OOMScoreAdj, From: "kill",
		TotalVMKiB: optKiB(k.TotalVMKiB), AnonRSSKiB: optKiB(k.AnonRSSKiB), FileRSSKiB: optKiB(k.FileRSSKiB), ShmemRSSKiB: optKiB(k.ShmemRSSKiB)}
	if k.Shared {
		v.From = "shared-mm"
	}
	if k.UID >= 0 {
		u := k.UID
		v.UID = &u
	}
	return v
}

// optKiB is a size the kernel may not have printed (-1).
func optKiB(n int64) *int64 {
	if n < 0 {
		return nil
	}
	return &n
}

func memoryOf(o *parsers.KernelOOM) *report.Memory {
	if o.Memory == nil {
		return nil
	}
	m := &report.Memory{LimitKiB: report.LimitOf(o.Memory.LimitKiB), UsageKiB: o.Memory.UsageKiB, Failcnt: o.Memory.Failcnt,
		LimitCgroup: limitCgroup(o), CgroupV2: o.Swap != nil}
	if o.Swap != nil {
		u := o.Swap.UsageKiB
		m.SwapUsageKiB, m.SwapLimitKiB = &u, report.LimitOf(o.Swap.LimitKiB)
	} else if o.MemSwap != nil && o.MemSwap.UsageKiB >= o.Memory.UsageKiB {
		// memory+swap holds memory; below it, the kernel does not account swap (swapaccount=0
		// leaves the counter at 0) and the swap figures say nothing.
		u := o.MemSwap.UsageKiB - o.Memory.UsageKiB
		m.SwapUsageKiB, m.SwapLimitKiB = &u, report.LimitOf(o.MemSwap.LimitKiB)
	}
	m.Stats = statsOf(o)
	return m
}

// statsOf carries the parser's memcg stats into the report, with v1's kmem: counter beside
// them since v1's stats do not say the kernel memory.
func statsOf(o *parsers.KernelOOM) *report.MemcgStats {
	st := o.Stats
	if st == nil {
		return nil
	}
	s := &report.MemcgStats{AnonKiB: st.AnonKiB, FileKiB: st.FileKiB, ShmemKiB: st.ShmemKiB, DirtyKiB: st.DirtyKiB,
		WritebackKiB: st.WritebackKiB, SlabKiB: st.SlabKiB, SockKiB: st.SockKiB}
	if st.KernelKiB >= 0 {
		k := st.KernelKiB
		s.KernelKiB = &k
	}
	if o.Kmem != nil {
		k := o.Kmem.UsageKiB
		s.KmemKiB = &k
	}
	return s
}

func kernelOf(o *parsers.KernelOOM) *report.Kernel {
	k := &report.Kernel{Constraint: o.Constraint, OOMMemcg: o.OOMMemcg, TaskMemcg: o.TaskMemcg,
		GlobalOOM: o.GlobalOOM, OOMGroup: o.Group, Tasks: len(o.Tasks), RateLimited: o.Trigger == nil}
	if o.Trigger != nil {
		order := o.Trigger.Order
		k.Trigger, k.GFPMask, k.Order = o.Trigger.Comm, o.Trigger.GFPMask, &order
		if o.Trigger.GFPFlags != "" {
			k.GFPMask += "(" + o.Trigger.GFPFlags + ")"
		}
	}
	return k
}

// evidenceOf converts proof lines, sorted by input and line, without duplicates.
func evidenceOf(lines []parsers.Evidence) []report.Evidence {
	sorted := append([]parsers.Evidence(nil), lines...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Input != sorted[j].Input {
			return sorted[i].Input < sorted[j].Input
		}
		return sorted[i].Line < sorted[j].Line
	})
	out := make([]report.Evidence, 0, len(sorted))
	for i, e := range sorted {
		if i > 0 && e.Pos == sorted[i-1].Pos {
			continue
		}
		ev := report.Evidence{Input: e.Input, Line: e.Line, Role: e.Role, Text: e.Text}
		ev.Time, ev.Boot = clocksOf(e)
		// The lines of one report mostly share their stamps: they share the values too, a
		// tenth of the evidence's memory with thousands of deaths.
		if n := len(out); n > 0 {
			prev := &out[n-1]
			if ev.Time != nil && prev.Time != nil && ev.Time.Equal(*prev.Time) && ev.Time.Location() == prev.Time.Location() {
				ev.Time = prev.Time
			}
			if ev.Boot != nil && prev.Boot != nil && *ev.Boot == *prev.Boot {
				ev.Boot = prev.Boot
			}
		}
		out = append(out, ev)
	}
	return out
}

// clocksOf returns a line's wall-clock time in UTC and its seconds since boot, each nil when
// unknown, as the JSON contract shows them.
func clocksOf(e parsers.Evidence) (*time.Time, *float64) {
	var wall *time.Time
	var boot *float64
	if !e.Wall.IsZero() {
		t := e.Wall.UTC()
		wall = &t
	}
	if e.HasBoot {
		s := e.Boot.Seconds()
		boot = &s
	}
	return wall, boot
}

// joinContainerDeaths merges deaths of one container instance: a container ID is never
// reused, so every kill in it belongs to one death (two processes of a v1 container killed
// one after the other). Without a container ID, kills in one pod within the window join.
// The deaths made so far are indexed by container (and pod), so a node with thousands of
// kills joins them in O(n log n), not by scanning every earlier death.
func joinContainerDeaths(ds []report.Death, window time.Duration, levels cgroupLevels) []report.Death {
	sortDeaths(ds)
	out := []report.Death{}
	idx := deathIndex{byContainer: map[instanceKey]int{}, byPod: map[podKey][]int{}}
	for _, d := range ds {
		if i := idx.find(out, d, window, levels); i >= 0 {
			joinDeath(&out[i], d)
			continue
		}
		idx.add(len(out), d, levels)
		out = append(out, d)
	}
	return out
}

// deathIndex finds the earlier death a kill joins. A death with a container ID is found by
// the ID (and whether its cgroup is conmon's: conmon's kills are not the container's); one
// without by node and pod, among the deaths of that pod in time order.
type deathIndex struct {
	byContainer map[instanceKey]int // the death of a container instance
	byPod       map[podKey][]int    // the deaths without a container ID, by time
}

type instanceKey struct {
	id     string
	conmon bool
}

type podKey struct{ node, podUID string }

func (x *deathIndex) add(i int, d report.Death, levels cgroupLevels) {
	if d.ContainerID != "" {
		x.byContainer[instanceKey{d.ContainerID, levels.conmon(d.Cgroup)}] = i
		return
	}
	k := podKey{d.Node, d.PodUID}
	x.byPod[k] = append(x.byPod[k], i)
}

// find returns the first death in out that d joins, or -1. The deaths come in sortDeaths
// order (by time, unknown times last), so a pod's deaths are in time order and the first
// within the window is found by binary search.
func (x *deathIndex) find(out []report.Death, d report.Death, window time.Duration, levels cgroupLevels) int {
	if d.ContainerID != "" {
		if i, ok := x.byContainer[instanceKey{d.ContainerID, levels.conmon(d.Cgroup)}]; ok {
			return i
		}
		return -1
	}
	list := x.byPod[podKey{d.Node, d.PodUID}]
	if len(list) == 0 {
		return -1
	}
	if d.Time == nil {
		return list[0]
	}
	j := sort.Search(len(list), func(j int) bool {
		o := &out[list[j]]
		return o.Time == nil || d.Time.Sub(*o.Time) <= window
	})
	if j == len(list) {
		return -1
	}
	return list[j]
}

func joinDeath(into *report.Death, d report.Death) {
	for _, v := range d.Victims {
		// The same PID killed in the same container within the window is one kill seen twice;
		// the kill line's record of it is the fuller one.
		if i := victimIndex(into.Victims, v.PID); i >= 0 {
			if into.Victims[i].From != "kill" && v.From == "kill" {
				into.Victims[i] = v
			}
			continue
		}
		into.Victims = append(into.Victims, v)
	}
	if len(into.Victims) > 0 {
		into.Victim = &into.Victims[0]
	}
	into.Evidence = append(into.Evidence, d.Evidence...)
	into.AddNotes(d.NoteList()...)
	if into.Node == "" {
		into.Node = d.Node
	}
	if d.Mechanism != into.Mechanism && d.Victim != nil {
		into.AddNote(report.NoteMixedMechanisms, fmt.Sprintf("another kill in this container (pid %d) was a %s", d.Victim.PID, d.Mechanism))
	}
}

// countRole counts the distinct lines of a role (the same line seen in two inputs once).
func countRole(lines []parsers.Evidence, role parsers.Role) int {
	seen := map[parsers.Pos]bool{}
	for _, l := range lines {
		if l.Role == role {
			seen[l.Pos] = true
		}
	}
	return len(seen)
}
