package correlate

import (
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

// Analyze correlates the events of all inputs into a report. It reads its inputs and
// never changes them. Its phases, each in its own file, run in this order:
//
//	collect     sort the events by type and note which nodes have which logs  (collect.go)
//	align       give boot-relative kernel stamps wall-clock times              (clock.go)
//	kernel      one death per container an OOM report's kills hit            (deaths.go)
//	sightings   each other source's word on a death                          (sighting.go)
//	join        sightings of one container into one case; host kills adopted (join.go)
//	pressure    node pressure facts into episodes                            (pressure.go)
//	judge       each case's mechanism, confidence and caveats                (judge.go)
//	explain     summaries, advice and the report's totals                    (explain.go, reasons.go)
func Analyze(inputs []*parsers.InputResult, events []parsers.Event, opts Options) *report.Report {
	if opts.Window == 0 {
		opts.Window = DefaultWindow
	}
	got, sc := collect(events, opts.Window)
	// The sightings are read before the kernel phase, which does not change them, so that the
	// parsed events are no longer needed once it starts: its reports are the aligned copies,
	// let go of as the deaths are made, so thousands of reports are never held twice.
	sights, facts := sightingsOf(events, got.statuses)
	ids := newContainerIndex(events)
	sights = ids.prepare(sights)
	clocks := alignClocks(got.ooms, opts.BootTime, bootTimesOf(inputs))
	aligned := clocks.aligned(got.ooms)
	got.ooms = nil
	deaths, hostKills := kernelDeaths(aligned, sc)
	hostKills = append(hostKills, systemOOMKills(deaths, hostKills, facts, opts.Window)...)
	cases := assemble(deaths, sights, opts.Window)
	for _, c := range cases {
		ids.name(&c.d)
	}
	hostKills = adoptHostKills(cases, hostKills, opts.Window)

	sc.facts = append(facts, evictionFacts(cases)...)
	sc.pressure = episodes(sc.facts)

	rep := &report.Report{Schema: report.Schema, Inputs: describeInputs(inputs, clocks.boots, got.incomplete)}
	rep.Deaths = judgeCases(cases, sc, opts.Node)
	rep.HostKills = explainHostKills(hostKills, sc)
	enrich(rep.Deaths, sc, opts.ZoneOf)
	enrich(rep.HostKills, sc, opts.ZoneOf)
	rep.Pressure = pressureReport(sc, rep.Deaths)
	rep.Incomplete = incompleteReport(got.incomplete)
	rep.Node = opts.Node
	rep.Archives = opts.Archives
	sortDeaths(rep.Deaths)
	sortDeaths(rep.HostKills)
	Summarize(rep)
	return rep
}

// bootTimesOf gives the boot times the archives recorded, by input.
func bootTimesOf(inputs []*parsers.InputResult) map[string]time.Time {
	out := map[string]time.Time{}
	for _, in := range inputs {
		if in.Archive != nil && !in.Archive.BootTime.IsZero() {
			out[in.Name] = in.Archive.BootTime
		}
	}
	return out
}
