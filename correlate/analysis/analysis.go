// Package analysis is coroner's one entry point: it streams the inputs of some sources
// through the parsers, gives archive members the node and zone their archive names, and
// correlates everything into one report. The CLI's analyze, node and batch commands and the
// golden tests all call Analyze, so they cannot drift apart.
package analysis

import (
	"runtime"
	"time"

	"github.com/k8s-coroner/coroner/correlate"
	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
	"github.com/k8s-coroner/coroner/sources"
)

// Options are what the caller knows beyond the evidence.
type Options struct {
	// ParseOptions gives the clock for one input's zone-less stamps (--year, --tz NAME=ZONE,
	// --now); nil means every input's own modification time and UTC.
	ParseOptions func(input string) parsers.Options
	// Zone is the zone of report times for nodes whose archive names none (--tz); nil: UTC.
	Zone *time.Location
	// BootTime is the wall-clock boot for boot-relative stamps (--boot-time); zero: learned.
	BootTime time.Time
	// Window is how far apart kills in one pod without a container ID may be and still be
	// one death; zero means correlate.DefaultWindow.
	Window time.Duration
	// Node is the live state of the node coroner runs on (coroner node), nil elsewhere.
	Node *report.NodeState
}

// Result is the report and what became of each input.
type Result struct {
	Report *report.Report
	// Inputs says what became of every input, Unreadable those that could not be read at
	// all, Faulted those a read or decoding error ended early (InputResult.Fault).
	Inputs     []*parsers.InputResult
	Unreadable []*parsers.InputResult
	Faulted    []*parsers.InputResult
}

// Understood: some input was read and something in it was understood. An input that was
// read but of which nothing was understood (kubectl describe output, binary data) has said
// so in its warnings; when that is all there is, the run fails like one with nothing to read.
func (r *Result) Understood() bool {
	for _, res := range r.Inputs {
		if res.Err == nil && res.Unrecognised == "" {
			return true
		}
	}
	return false
}

// Analyze reads every input of every source and correlates the events into one report.
// Inputs a source lets be read later are parsed several at once, one per core; the events
// and results are then taken in the sources' order, so the report is the same as if each
// input had been read in turn. An input that cannot be opened or read at all is kept, with its error, in
// Result.Unreadable.
func Analyze(srcs []sources.Source, opts Options) *Result {
	parseOptions := opts.ParseOptions
	if parseOptions == nil {
		parseOptions = func(string) parsers.Options { return parsers.Options{} }
	}
	r := &Result{}
	var parsed []*parsedInput
	slots := make(chan struct{}, max(runtime.GOMAXPROCS(0), 1))
	for _, src := range srcs {
		for in, err := range src.Inputs() {
			pi := &parsedInput{done: make(chan struct{})}
			parsed = append(parsed, pi)
			switch {
			case err != nil:
				pi.res = &parsers.InputResult{Name: in.Name, Kind: sources.KindUnknown, Err: err}
				close(pi.done)
			case in.Detached:
				slots <- struct{}{} // at most one input per core at once: memory stays bounded
				go func() {
					defer func() { <-slots; close(pi.done) }()
					pi.parse(in, parseOptions(in.Name))
				}()
			default: // a part of the source's stream: read it before the source goes on
				pi.parse(in, parseOptions(in.Name))
				close(pi.done)
			}
		}
	}
	var events []parsers.Event
	for _, pi := range parsed { // in the order the sources gave them, as if read one by one
		<-pi.done
		events = append(events, pi.events...)
		if pi.res.Err != nil {
			r.Unreadable = append(r.Unreadable, pi.res)
		}
		if pi.res.Fault != nil {
			r.Faulted = append(r.Faulted, pi.res)
		}
		r.Inputs = append(r.Inputs, pi.res)
	}
	archives := archivesOf(srcs)
	localize(r.Inputs, events, parseOptions)
	r.Report = correlate.Analyze(r.Inputs, events, correlate.Options{
		BootTime: opts.BootTime,
		Window:   opts.Window,
		Archives: reportArchives(archives),
		Node:     opts.Node,
		ZoneOf:   zoneOfNode(archives, opts.Zone),
	})
	return r
}

// parsedInput is one input's result and events, parsed on its own goroutine when its source
// lets it be read later (sources.Input.Detached).
type parsedInput struct {
	res    *parsers.InputResult
	events []parsers.Event
	done   chan struct{}
}

func (pi *parsedInput) parse(in *sources.Input, opts parsers.Options) {
	pi.res = parsers.ParseInput(in, opts, func(e parsers.Event) { pi.events = append(pi.events, e) })
}

// archiver is a source that reads archives and directories and can list them once read.
type archiver interface {
	ArchivesRead() []*sources.ArchiveInfo
}

func archivesOf(srcs []sources.Source) []*sources.ArchiveInfo {
	var out []*sources.ArchiveInfo
	for _, src := range srcs {
		if a, ok := src.(archiver); ok {
			out = append(out, a.ArchivesRead()...)
		}
	}
	return out
}

// zoneOfNode names the zone of a node's report times: the one its archive names, else the
// zone the user gave.
func zoneOfNode(archives []*sources.ArchiveInfo, zone *time.Location) func(string) *time.Location {
	byHost := map[string]*time.Location{}
	for _, a := range archives {
		if a.Host != "" && a.Location() != nil {
			byHost[a.Host] = a.Location()
		}
	}
	return func(node string) *time.Location {
		if loc := byHost[node]; loc != nil {
			return loc
		}
		return zone
	}
}
