package correlate

import (
	"fmt"
	"sort"
	"time"

	"github.com/k8s-coroner/coroner/parsers"
)

// deathsOf turns one OOM report into deaths: one per container its kills hit (a
// memory.oom.group kill of a pod cgroup can hit several), or one host kill.
func deathsOf(o *parsers.KernelOOM, window time.Duration) []Death {
	v := classify(o)
	victimCg, inferred := victimCgroup(o)
	if inferred {
		v.notes = append(v.notes, "the report does not name the victim's cgroup; it is inferred from the only container memcg in the OOMing hierarchy ("+victimCg.Path+")")
		if v.confidence == "high" {
			v.confidence = "medium"
		}
	}
	var order []string
	groups := map[string]*Death{}
	for _, k := range o.Kills {
		cg := victimCg
		if o.Group != "" && len(o.Kills) > 1 {
			// Group kills name no cgroup per process: they are members of the group's memcg.
			if g := ParseCgroup(o.Group); g.Level == "container" || o.TaskMemcg == "" {
				cg = g
			}
		}
		key := cg.ContainerID + "|" + cg.PodUID
		d := groups[key]
		if d == nil {
			d = newDeath(o, cg, v)
			groups[key] = d
			order = append(order, key)
		}
		victim := victimOf(k)
		victim.Cgroup = cg.Path
		d.Victims = append(d.Victims, victim)
	}
	out := make([]Death, 0, len(order))
	for _, key := range order {
		d := groups[key]
		d.Victim = &d.Victims[0]
		out = append(out, *d)
	}
	return out
}

func newDeath(o *parsers.KernelOOM, cg Cgroup, v verdict) *Death {
	d := &Death{
		Node: o.Host, PodUID: cg.PodUID, QoS: cg.QoS, ContainerID: cg.ContainerID,
		Runtime: cg.Runtime, Cgroup: cg.Path,
		Mechanism: v.mechanism, Confidence: v.confidence, Notes: v.notes,
		Evidence: evidenceOf(o.Lines), Kernel: kernelOf(o), Advice: []string{},
	}
	d.Time, d.BootTime = clocksOf(o.Kills[0].Evidence)
	if v.mechanism == CgroupOOM {
		d.LimitScope = ParseCgroup(limitCgroup(o)).Level
		if d.LimitScope == "" && limitCgroup(o) != "" {
			d.LimitScope = "cgroup"
		}
		d.Memory = memoryOf(o)
	}
	if cg.Path != "" && cg.Level != "" && cg.Level != "container" && cg.PodUID != "" {
		d.Notes = append(d.Notes, "the victim's cgroup "+cg.Path+" names the pod but no container")
	}
	if cg.Path == "" {
		d.Notes = append(d.Notes, "the log does not show the victim's cgroup, so the container is unknown")
	}
	return d
}

// limitCgroup is the memcg whose limit was hit; the stats dump starts with it.
func limitCgroup(o *parsers.KernelOOM) string {
	if o.OOMMemcg != "" {
		return o.OOMMemcg
	}
	if len(o.StatsFor) > 0 {
		return o.StatsFor[0]
	}
	return ""
}

// victimCgroup is the victim's memcg as the report names it (summary's task_memcg, pre-5.0
// "Task in"). A window of a pre-5.3 report may show only the stats lines of the OOMing
// hierarchy: when exactly one of them is a container, the victim was in it (the memcg OOM
// killer only picks tasks inside the hierarchy), which is reported as inferred.
func victimCgroup(o *parsers.KernelOOM) (Cgroup, bool) {
	if o.TaskMemcg != "" {
		return ParseCgroup(o.TaskMemcg), false
	}
	var found []Cgroup
	for _, p := range o.StatsFor {
		if c := ParseCgroup(p); c.Level == "container" {
			found = append(found, c)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return Cgroup{}, false
}

func victimOf(k parsers.Kill) Victim {
	v := Victim{PID: k.PID, Process: k.Comm, OOMScoreAdj: k.OOMScoreAdj, AnonRSSKiB: k.AnonRSSKiB,
		FileRSSKiB: k.FileRSSKiB, TotalVMKiB: k.TotalVMKiB}
	if k.ShmemRSSKiB >= 0 {
		s := k.ShmemRSSKiB
		v.ShmemRSSKiB = &s
	}
	if k.UID >= 0 {
		u := k.UID
		v.UID = &u
	}
	return v
}

func memoryOf(o *parsers.KernelOOM) *Memory {
	if o.Memory == nil {
		return nil
	}
	m := &Memory{LimitKiB: o.Memory.LimitKiB, UsageKiB: o.Memory.UsageKiB, Failcnt: o.Memory.Failcnt,
		LimitCgroup: limitCgroup(o), CgroupV2: o.Swap != nil}
	if o.Swap != nil {
		u, l := o.Swap.UsageKiB, o.Swap.LimitKiB
		m.SwapUsageKiB, m.SwapLimitKiB = &u, &l
	} else if o.MemSwap != nil {
		u, l := o.MemSwap.UsageKiB-o.Memory.UsageKiB, o.MemSwap.LimitKiB
		m.SwapUsageKiB, m.SwapLimitKiB = &u, &l
	}
	return m
}

func kernelOf(o *parsers.KernelOOM) *Kernel {
	k := &Kernel{Constraint: o.Constraint, OOMMemcg: o.OOMMemcg, TaskMemcg: o.TaskMemcg,
		GlobalOOM: o.GlobalOOM, OOMGroup: o.Group, Tasks: len(o.Tasks), RateLimited: o.Trigger == nil}
	for _, t := range o.Tasks {
		k.taskAdjs = append(k.taskAdjs, t.OOMScoreAdj)
	}
	k.tasks, k.mem = o.Tasks, o.Mem
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
func evidenceOf(lines []parsers.Evidence) []Evidence {
	sorted := append([]parsers.Evidence(nil), lines...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Input != sorted[j].Input {
			return sorted[i].Input < sorted[j].Input
		}
		return sorted[i].Line < sorted[j].Line
	})
	out := make([]Evidence, 0, len(sorted))
	for i, e := range sorted {
		if i > 0 && e.Pos == sorted[i-1].Pos {
			continue
		}
		ev := Evidence{Input: e.Input, Line: e.Line, Role: e.Role, Text: e.Text}
		ev.Time, ev.Boot = clocksOf(e)
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
func joinContainerDeaths(ds []Death, window time.Duration) []Death {
	sortDeaths(ds)
	out := []Death{}
	for _, d := range ds {
		if i := findSame(out, d, window); i >= 0 {
			joinDeath(&out[i], d)
			continue
		}
		out = append(out, d)
	}
	return out
}

func findSame(out []Death, d Death, window time.Duration) int {
	for i := range out {
		o := &out[i]
		switch {
		case d.ContainerID != "":
			if o.ContainerID == d.ContainerID {
				return i
			}
		case o.ContainerID == "" && o.PodUID == d.PodUID && o.Node == d.Node:
			if o.Time == nil || d.Time == nil || d.Time.Sub(*o.Time) <= window {
				return i
			}
		}
	}
	return -1
}

func joinDeath(into *Death, d Death) {
	into.Victims = append(into.Victims, d.Victims...)
	into.Victim = &into.Victims[0]
	into.Evidence = append(into.Evidence, d.Evidence...)
	for _, n := range d.Notes {
		if !contains(into.Notes, n) {
			into.Notes = append(into.Notes, n)
		}
	}
	if into.Node == "" {
		into.Node = d.Node
	}
	if d.Mechanism != into.Mechanism {
		into.Notes = append(into.Notes, fmt.Sprintf("another kill in this container (pid %d) was a %s", d.Victim.PID, d.Mechanism))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
