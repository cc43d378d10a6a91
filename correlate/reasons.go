package correlate

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"

	"github.com/k8s-coroner/coroner/parsers"
)

// enrich completes each death for the reader once all deaths are known: why the other
// mechanisms are ruled out, which proof lines are decisive, the node's local time, how often
// this container died, and for a node-wide OOM the processes that held the memory. The
// sentences it writes are shared with the other deaths' (intern.go).
func enrich(deaths []report.Death, sc *scene, zoneOf func(node string) *time.Location) {
	repeats := map[string]int{}
	for _, d := range deaths {
		if k := containerKey(d); k != "" {
			repeats[k]++
		}
	}
	for i := range deaths {
		d := &deaths[i]
		if k := containerKey(*d); k != "" && repeats[k] > 1 {
			d.Repeats = repeats[k]
		}
		if d.Time != nil && zoneOf != nil {
			if loc := zoneOf(d.Node); loc != nil && loc != time.UTC {
				d.LocalTime = d.Time.In(loc).Format("2006-01-02 15:04:05 MST")
			}
		}
		d.RuledOut = ruledOut(d, sc)
		markDecisive(d)
		if d.Mechanism == report.KernelOOM && d.Kernel != nil {
			if oom := sc.reports[d.Kernel]; oom != nil {
				d.TopTasks = slices.Clone(oom.topTasks)
				d.NodeMemory = nodeMemoryOf(oom.mem)
			}
			adviseHog(d)
		}
		// the rest was shared when the death was judged (judgeCases, explainHostKills)
		sc.texts.shareAll(d.RuledOut)
		sc.texts.shareAll(d.Advice)
	}
}

// containerKey names a container across its restarts.
func containerKey(d report.Death) string {
	if d.Pod == "" || d.Container == "" {
		return ""
	}
	return d.Namespace + "/" + d.Pod + "/" + d.Container
}

// ruledOut says, in words a newcomer follows, why the death is not the other mechanisms —
// only what the evidence supports; where the evidence is silent it says so.
func ruledOut(d *report.Death, sc *scene) []string {
	node := cmp.Or(d.Node, "the node")
	var out []string
	kubeletSeen := sc.kubeletOn[nodeKey(d.Node)]
	noEviction := func() {
		switch {
		case d.Eviction != nil:
		case kubeletSeen && episodeAt(sc.pressure, d.Node, timeOf(d), sc.window) == nil:
			out = append(out, fmt.Sprintf("not an eviction: the kubelet log of %s shows no eviction-manager activity around this time", node))
		case d.Reason != "" && d.Reason != "Evicted":
			out = append(out, fmt.Sprintf("not an eviction: pod status gives the reason %s, not Evicted", d.Reason))
		}
	}
	switch d.Mechanism {
	case report.CgroupOOM:
		if d.Kernel != nil && d.Kernel.Constraint != "" {
			out = append(out, "not a node-wide OOM: the kernel's report says "+d.Kernel.Constraint+", a memory cgroup's limit")
		} else if d.Kernel != nil && d.Memory != nil {
			out = append(out, "not a node-wide OOM: the kernel printed the memory cgroup's usage against its limit, which it does only for a cgroup OOM")
		}
		noEviction()
	case report.KernelOOM:
		if d.Kernel != nil && (d.Kernel.Constraint == "CONSTRAINT_NONE" || d.Kernel.GlobalOOM) {
			out = append(out, "not the container's own limit: the kernel's report says CONSTRAINT_NONE (global OOM), the whole node ran out")
		} else if oom := sc.reports[d.Kernel]; oom != nil && oom.memInfo {
			out = append(out, "not the container's own limit: the kernel's report holds the node's Mem-Info, not a memory cgroup's usage and limit")
		} else if oom != nil && strings.HasPrefix(oom.killReason, "Out of memory") {
			out = append(out, "not the container's own limit: the kernel says \"Out of memory\" (the node-wide OOM killer), not \"Memory cgroup out of memory\"")
		}
		noEviction()
	case report.KubeletEviction:
		if sc.kernelOn[nodeKey(d.Node)] {
			out = append(out, fmt.Sprintf("not an OOM kill: the kernel log of %s has no OOM report for this container", node))
		}
	case report.NotMemory:
		if d.Kill != nil && d.Kill.Reason != "eviction" {
			out = append(out, "not memory: no OOM kill, OOMKilled status or eviction was seen for this container")
		}
	}
	return out
}

func timeOf(d *report.Death) time.Time {
	if d.Time == nil {
		return time.Time{}
	}
	return *d.Time
}

// decisiveRoles are the lines a verdict rests on, per mechanism.
var decisiveRoles = map[report.Mechanism][]report.Role{
	report.CgroupOOM:       {parsers.RoleKill, parsers.RoleSummary, parsers.RoleTaskIn, parsers.RoleMemcgUsage, parsers.RoleContainerdOOM, parsers.RoleSystemdOOM, parsers.RoleConmonOOM, parsers.RoleEventOOMKilling},
	report.KernelOOM:       {parsers.RoleKill, parsers.RoleSummary, parsers.RoleMeminfo, parsers.RoleEventSystemOOM, parsers.RoleKubeletSystemOOM, parsers.RoleEventOOMKilling},
	report.KubeletEviction: {parsers.RoleKubeletEvicted, parsers.RoleKubeletEvicting, parsers.RoleEventEvicted, parsers.RolePodStatus},
	report.NotMemory:       {parsers.RoleEventKilling, parsers.RoleKubeletKilling, parsers.RoleKubeletProbeFailed, parsers.RoleEventUnhealthy, parsers.RoleKubeletEvicted, parsers.RoleEventEvicted, parsers.RoleKubeletPreempting, parsers.RoleEventPreempting, parsers.RoleKubeletShutdownKill},
	report.Unknown:         {parsers.RolePodStatus},
}

func markDecisive(d *report.Death) {
	roles := decisiveRoles[d.Mechanism]
	for i := range d.Evidence {
		for _, r := range roles {
			if d.Evidence[i].Role == r {
				d.Evidence[i].Decisive = true
			}
		}
	}
}

// topTasks are the largest processes of the task table (RSS in 4 KiB pages, as x86-64 and
// arm64 with 4K pages print it).
func topTasks(rows []parsers.TaskRow, n int) []report.Task {
	sorted := append([]parsers.TaskRow(nil), rows...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].RSSPages > sorted[j].RSSPages })
	var out []report.Task
	for _, r := range sorted {
		if len(out) == n || r.RSSPages <= 0 {
			break
		}
		out = append(out, report.Task{PID: r.PID, Name: strings.TrimSpace(r.Name), RSSKiB: r.RSSPages * 4, OOMScoreAdj: r.OOMScoreAdj})
	}
	return out
}

// nodeMemoryOf is the Mem-Info picture in the report's terms. A conversion, not a field
// copy, so a field added on one side and not the other fails to compile.
func nodeMemoryOf(m *parsers.MemPicture) *report.NodeMemory {
	if m == nil {
		return nil
	}
	n := report.NodeMemory(*m)
	return &n
}
