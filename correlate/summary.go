package correlate

import (
	"cmp"
	"regexp"
	"sort"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// podSuffix matches what controllers append to a pod's name: a ReplicaSet's hash and a random
// 5-character suffix (web-7d9f6c5b8-x2kqz), a Job's (etl-28443210-vq5cm), a StatefulSet's ordinal.
var podSuffix = regexp.MustCompile(`(-[0-9a-f]{6,10})?-[bcdfghjklmnpqrstvwxz2456789]{5}$|-\d+$`)

// WorkloadOf names the workload of a pod from its name.
func WorkloadOf(pod string) string {
	if w := podSuffix.ReplaceAllString(pod, ""); w != "" {
		return w
	}
	return pod
}

// Summarize computes the report's summary from its deaths, host kills and episodes.
func Summarize(rep *report.Report) {
	s := &report.Summary{Deaths: len(rep.Deaths), HostKills: len(rep.HostKills), ByMechanism: map[string]int{},
		ByNamespace: map[string]int{}, ByNode: map[string]int{}, TopWorkloads: []report.Workload{}, Pressure: len(rep.Pressure)}
	type key struct{ ns, name, container string }
	workloads := map[key]*report.Workload{}
	var order []key
	for _, d := range rep.Deaths {
		s.ByMechanism[string(d.Mechanism)]++
		s.ByNamespace[cmp.Or(d.Namespace, "(unknown)")]++
		s.ByNode[cmp.Or(d.Node, "(unknown)")]++
		if d.Pod == "" {
			continue
		}
		k := key{d.Namespace, WorkloadOf(d.Pod), d.Container}
		w := workloads[k]
		if w == nil {
			w = &report.Workload{Namespace: k.ns, Name: k.name, Container: k.container, ByMech: map[string]int{}}
			workloads[k] = w
			order = append(order, k)
		}
		w.Deaths++
		w.ByMech[string(d.Mechanism)]++
	}
	for _, k := range order {
		if w := workloads[k]; w.Deaths > 1 {
			s.TopWorkloads = append(s.TopWorkloads, *w)
		}
	}
	sort.SliceStable(s.TopWorkloads, func(i, j int) bool { return s.TopWorkloads[i].Deaths > s.TopWorkloads[j].Deaths })
	if len(s.TopWorkloads) > 10 {
		s.TopWorkloads = s.TopWorkloads[:10]
	}
	rep.Summary = s
}

// Filter keeps the deaths of one mechanism, namespace or pod (empty: no filter); host kills
// have no namespace and stay only when no namespace or pod is asked for.
func Filter(rep *report.Report, mechanism, namespace, pod string) {
	keep := func(d report.Death) bool {
		return (mechanism == "" || string(d.Mechanism) == mechanism) && (namespace == "" || d.Namespace == namespace) &&
			(pod == "" || d.Pod == pod)
	}
	var deaths, hosts []report.Death
	for _, d := range rep.Deaths {
		if keep(d) {
			deaths = append(deaths, d)
		}
	}
	for _, d := range rep.HostKills {
		if namespace == "" && pod == "" && keep(d) {
			hosts = append(hosts, d)
		}
	}
	rep.Deaths, rep.HostKills = append([]report.Death{}, deaths...), append([]report.Death{}, hosts...)
}
