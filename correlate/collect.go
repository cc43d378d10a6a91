package correlate

import (
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
)

// collected is the events sorted by what the phases after need of them.
type collected struct {
	ooms       []*parsers.KernelOOM // the kernel's reports, and those NPD's OOMKilling Events quote
	incomplete []*parsers.IncompleteOOM
	statuses   []statusDeath
	kernelOn   map[string]bool // nodes with a kernel OOM report
	kubeletOn  map[string]bool // nodes with kubelet lines
	events     bool            // Kubernetes Events from objects or kubectl are among the inputs
	memory     map[string]*parsers.NodeMemory
}

// collect is the first phase: one pass over the events.
func collect(events []parsers.Event) *collected {
	got := &collected{kernelOn: map[string]bool{}, kubeletOn: map[string]bool{}, memory: map[string]*parsers.NodeMemory{}}
	for _, ev := range events {
		switch e := ev.(type) {
		case *parsers.KernelOOM:
			got.ooms = append(got.ooms, e)
			got.kernelOn[nodeKey(e.Host)] = true
		case *parsers.IncompleteOOM:
			got.incomplete = append(got.incomplete, e)
		case *parsers.PodStatus:
			got.statuses = append(got.statuses, statusDeaths(e)...)
		case *parsers.KubeletLine:
			got.kubeletOn[nodeKey(e.Host)] = true
		case *parsers.KubeEvent:
			got.events = got.events || e.Line == nil
			got.ooms = append(got.ooms, e.Kernel...)
		case *parsers.NodeMemory:
			got.memory[nodeKey(e.Node)] = e
		}
	}
	return got
}

// scene starts the state the later phases share.
func (got *collected) scene(window time.Duration) *scene {
	return &scene{reports: map[*report.Kernel]*kernelFacts{}, window: window, kernelOn: got.kernelOn,
		kubeletOn: got.kubeletOn, memory: got.memory, events: got.events}
}

// scene is what a verdict may consult beyond the case itself.
type scene struct {
	window   time.Duration
	pressure []episode
	// reports are what the kernel OOM reports the deaths came from say beyond the deaths,
	// by the report part each death shows: of the task table, Mem-Info and kill line that the
	// JSON does not carry, only what the later phases read.
	reports   map[*report.Kernel]*kernelFacts
	facts     []nodeFact
	kernelOn  map[string]bool                // nodes with a kernel OOM report in the inputs
	kubeletOn map[string]bool                // nodes with kubelet lines in the inputs
	events    bool                           // Kubernetes Events are among the inputs
	memory    map[string]*parsers.NodeMemory // nodes' capacity and allocatable (kubectl describe node)
	cgroups   cgroupLevels                   // the kernel reports' cgroups
}
