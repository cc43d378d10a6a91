package correlate

import (
	"cmp"
	"sort"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"

	"github.com/k8s-coroner/coroner/parsers"
)

// Options tunes the correlation.
type Options struct {
	// BootTime is the wall-clock boot time for boot-relative stamps (--boot-time); zero
	// means learn it by aligning inputs, or leave such times boot-relative.
	BootTime time.Time
	// Window is how far apart kills in one pod (when no container ID is known) may be and
	// still be one death.
	Window time.Duration
	// Node is the live state of the node the logs came from (coroner node); nil otherwise.
	Node *report.NodeState
	// Archives are the sosreports, must-gathers and directories read, for the report.
	Archives []report.Archive
	// ZoneOf names a node's time zone for the report's local times; nil when unknown.
	ZoneOf func(node string) *time.Location
}

// DefaultWindow is the --window default: wide enough for one OOM episode, narrow enough
// that a restarted container's next death is its own.
const DefaultWindow = 2 * time.Minute

// Analyze correlates the events of all inputs into a report.
func Analyze(inputs []*parsers.InputResult, events []parsers.Event, opts Options) *report.Report {
	if opts.Window == 0 {
		opts.Window = DefaultWindow
	}
	rep := &report.Report{Schema: report.Schema, Deaths: []report.Death{}, HostKills: []report.Death{}, Incomplete: []report.Incomplete{}, Pressure: []report.Pressure{}}
	var ooms []*parsers.KernelOOM
	var incomplete []*parsers.IncompleteOOM
	var statuses []statusDeath
	sc := &scene{reports: map[*report.Kernel]*parsers.KernelOOM{}, window: opts.Window, kernelOn: map[string]bool{}, kubeletOn: map[string]bool{}, memory: map[string]*parsers.NodeMemory{}}
	for _, ev := range events {
		switch e := ev.(type) {
		case *parsers.KernelOOM:
			ooms = append(ooms, e)
			sc.kernelOn[nodeKey(e.Host)] = true
		case *parsers.IncompleteOOM:
			incomplete = append(incomplete, e)
		case *parsers.PodStatus:
			statuses = append(statuses, statusDeaths(e)...)
		case *parsers.KubeletLine:
			sc.kubeletOn[nodeKey(e.Host)] = true
		case *parsers.NodeMemory:
			sc.memory[nodeKey(e.Node)] = e
		case *parsers.KubeEvent:
			sc.events = sc.events || e.Line == nil
			ooms = append(ooms, e.Kernel...)
		}
	}
	btimes := map[string]time.Time{}
	for _, in := range inputs {
		if in.Archive != nil && !in.Archive.BootTime.IsZero() {
			btimes[in.Name] = in.Archive.BootTime
		}
	}
	clocks := alignClocks(ooms, opts.BootTime, btimes)
	ooms = clocks.aligned(ooms)
	rep.Inputs = describeInputs(inputs, clocks.boots, incomplete)

	var kernelDeaths []report.Death
	merged, skews := mergeDuplicates(ooms)
	sc.cgroups = levelsOf(merged)
	for _, r := range merged {
		for _, d := range deathsOf(r, opts.Window) {
			sc.reports[d.Kernel] = r
			d.Notes = append(d.Notes, skews[r]...)
			if d.ContainerID == "" && d.PodUID == "" {
				rep.HostKills = append(rep.HostKills, d)
			} else {
				attribute(&d, r)
				kernelDeaths = append(kernelDeaths, d)
			}
		}
	}
	kernelDeaths = joinContainerDeaths(kernelDeaths, opts.Window, sc.cgroups)
	sights, facts := sightingsOf(events, statuses)
	ids := newContainerIndex(events)
	sights = ids.prepare(sights)
	rep.HostKills = append(rep.HostKills, systemOOMKills(kernelDeaths, rep.HostKills, facts, opts.Window)...)
	cases := assemble(kernelDeaths, sights, opts.Window)
	for _, c := range cases {
		ids.name(&c.d)
	}
	rep.HostKills = adoptHostKills(cases, rep.HostKills, opts.Window)
	if rep.HostKills == nil {
		rep.HostKills = []report.Death{}
	}
	for _, c := range cases {
		// A pod over its own local storage limit is no sign of node pressure.
		if s := evictionSighting(c); s != nil && s.eviction.Scope != parsers.EvictionScopePod &&
			s.eviction.Scope != parsers.EvictionScopeContainer && s.eviction.Scope != parsers.EvictionScopeEmptyDir {
			facts = append(facts, nodeFact{node: cmp.Or(s.node, c.d.Node), at: s.at, ev: s.ev, evicted: podName(c.d.Namespace, c.d.Pod),
				resource: s.eviction.Resource})
		}
	}
	sc.facts = facts
	sc.pressure = episodes(facts)
	for _, c := range cases {
		d := finish(c, sc)
		if d.ContainerID != "" {
			d.ContainerIDPrefix = "" // the full ID is known
		}
		d.CgroupNow = cgroupNow(opts.Node, d.Cgroup)
		if d.Attribution == "" { // named by pod status, Events or kubelet lines
			d.Attribution = report.AttrContainer
			if d.Container == "" && d.ContainerID == "" {
				d.Attribution = report.AttrPod
			}
		}
		rep.Deaths = append(rep.Deaths, d)
	}
	for i := range rep.HostKills {
		attribute(&rep.HostKills[i], sc.reports[rep.HostKills[i].Kernel])
		explain(&rep.HostKills[i], "", sc.cgroups.conmon(rep.HostKills[i].Cgroup))
		nodeMemoryNote(&rep.HostKills[i], sc)
	}
	enrich(rep.Deaths, sc, opts.ZoneOf)
	enrich(rep.HostKills, sc, opts.ZoneOf)
	for i := range sc.pressure {
		p := &sc.pressure[i]
		for _, d := range rep.Deaths {
			linked := d.Eviction != nil && d.Eviction.Episode != nil && *d.Eviction.Episode == i
			if linked || d.Time != nil && sameNode(p.Node, d.Node) && covers(&p.Pressure, *d.Time, opts.Window) {
				p.Deaths++
			}
		}
		p.Summary = summarizePressure(&p.Pressure)
		rep.Pressure = append(rep.Pressure, p.Pressure)
	}
	for _, i := range incomplete {
		rep.Incomplete = append(rep.Incomplete, report.Incomplete{Input: i.Lines[0].Input, Node: i.Host,
			Reason: i.Why, Seen: append([]string{}, i.Seen...), Evidence: evidenceOf(i.Lines)})
	}
	rep.Node = opts.Node
	rep.Archives = opts.Archives
	sortDeaths(rep.Deaths)
	sortDeaths(rep.HostKills)
	Summarize(rep)
	return rep
}

func describeInputs(inputs []*parsers.InputResult, clocks map[bootKey]*bootClock, inc []*parsers.IncompleteOOM) []report.Input {
	out := make([]report.Input, 0, len(inputs))
	for _, in := range inputs {
		ri := report.Input{Name: in.Name, Kind: in.Kind, Lines: in.Lines, Warnings: []report.Warning{}, Role: in.Role}
		if in.Archive != nil {
			ri.Archive, ri.Node = in.Archive.Name, in.Archive.Host
		}
		if !in.First.IsZero() {
			f, l := in.First.UTC(), in.Last.UTC()
			ri.First, ri.Last = &f, &l
		}
		if in.Err != nil {
			ri.Error = in.Err.Error()
		}
		for _, w := range in.Warnings {
			ri.Warnings = append(ri.Warnings, report.Warning(w))
		}
		for _, i := range inc {
			if i.Lines[0].Input == in.Name {
				ri.Warnings = append(ri.Warnings, report.Warning{Line: i.Lines[0].Line,
					Message: "OOM report without a kill line: " + i.Why})
			}
		}
		sort.SliceStable(ri.Warnings, func(i, j int) bool { return lineOrder(ri.Warnings[i].Line) < lineOrder(ri.Warnings[j].Line) })
		if c := clocks[bootKey{in.Name, 0}]; c != nil {
			cc := c.Clock
			ri.Clock = &cc
			if ri.Node == "" {
				ri.Node = c.host
			}
		}
		out = append(out, ri)
	}
	return out
}

// cgroupNow finds a cgroup among those still on the node.
func cgroupNow(node *report.NodeState, path string) *report.CgroupState {
	if node == nil || path == "" {
		return nil
	}
	for i := range node.Cgroups {
		if node.Cgroups[i].Path == path {
			return &node.Cgroups[i]
		}
	}
	return nil
}

// lineOrder puts warnings about the whole input (line 0) after those about a line.
func lineOrder(line int) int {
	if line == 0 {
		return int(^uint(0) >> 1)
	}
	return line
}

// sortDeaths orders by time (unknown times last, by boot time), then node and first line.
func sortDeaths(ds []report.Death) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		switch {
		case (a.Time == nil) != (b.Time == nil):
			return a.Time != nil
		case a.Time != nil && !a.Time.Equal(*b.Time):
			return a.Time.Before(*b.Time)
		case a.Node != b.Node:
			return a.Node < b.Node
		case a.BootTime != nil && b.BootTime != nil && *a.BootTime != *b.BootTime:
			return *a.BootTime < *b.BootTime
		}
		return firstBefore(a, b)
	})
}

func firstBefore(a, b report.Death) bool {
	if len(a.Evidence) == 0 || len(b.Evidence) == 0 {
		return len(a.Evidence) < len(b.Evidence)
	}
	x, y := a.Evidence[0], b.Evidence[0]
	if x.Input != y.Input {
		return x.Input < y.Input
	}
	return x.Line < y.Line
}

// podName is "ns/name", or what is known of it when a paste leaves out the name.
func podName(namespace, name string) string {
	if name == "" {
		return "(a pod the evidence does not name)"
	}
	return namespace + "/" + name
}
