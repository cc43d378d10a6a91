package correlate

import (
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
)

// collected is the events the later phases take by type.
type collected struct {
	ooms       []*parsers.KernelOOM // the kernel's reports, and those NPD's OOMKilling Events quote
	incomplete []*parsers.IncompleteOOM
	statuses   []statusDeath
}

// collect is the first phase: one pass over the events, which also starts the scene the
// later phases share with what it says about the nodes.
func collect(events []parsers.Event, window time.Duration) (*collected, *scene) {
	got := &collected{}
	sc := &scene{reports: map[*report.Kernel]*kernelFacts{}, window: window, kernelOn: map[string]bool{},
		kubeletOn: map[string]bool{}, memory: map[string]*parsers.NodeMemory{}}
	for _, ev := range events {
		switch e := ev.(type) {
		case *parsers.KernelOOM:
			got.ooms = append(got.ooms, e)
			sc.kernelOn[nodeKey(e.Host)] = true
		case *parsers.IncompleteOOM:
			got.incomplete = append(got.incomplete, e)
		case *parsers.PodStatus:
			got.statuses = append(got.statuses, statusDeaths(e)...)
		case *parsers.KubeletLine:
			sc.kubeletOn[nodeKey(e.Host)] = true
		case *parsers.KubeEvent:
			sc.events = sc.events || e.Line == nil
			got.ooms = append(got.ooms, e.Kernel...)
		case *parsers.NodeMemory:
			sc.memory[nodeKey(e.Node)] = e
		}
	}
	return got, sc
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
	texts     sentences                      // the deaths' sentences, each kept once (intern.go)
}
