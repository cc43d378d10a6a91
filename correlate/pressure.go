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

// A nodeFact is evidence about a node rather than a container: eviction-manager activity,
// thresholds met, refused admissions, node OOMs, the kubelet's thresholds.
type nodeFact struct {
	node     string
	at       time.Time
	ev       report.Evidence
	kubelet  *parsers.KubeletLine
	event    *parsers.KubeEvent
	evicted  string // ns/name of a pod evicted (from an eviction sighting)
	resource string // the resource its eviction message names
	// refused is the ns/name of a pod refused at admission, as its pod status says, and
	// conditions the resources of the node conditions it names (disk for "[DiskPressure]").
	refused    string
	conditions []string
}

// end is when the fact ends: a kubelet line with repeats folded into it lasts until the last.
func (f nodeFact) end() time.Time {
	if f.kubelet != nil && !f.kubelet.Until.IsZero() {
		return f.kubelet.Until
	}
	return f.at
}

// episodeGap splits a node's pressure evidence into episodes: the eviction manager runs every
// 10 s while a threshold is met, so a silence this long means the pressure was over.
const episodeGap = 5 * time.Minute

// episodes groups node facts into pressure episodes, per node, in time order.
// episode is a pressure episode with every ranking the kubelet logged in it, for each
// eviction's own.
type episode struct {
	report.Pressure
	rankings []ranking       // in time order, a ranking the same as the one before left out
	evicted  map[string]bool // Pressure.Evicted, to look a pod up
}

type ranking struct {
	at   time.Time
	pods []string
}

func episodes(facts []nodeFact) []episode {
	var thresholds = map[string][]string{}
	byNode := map[string][]nodeFact{}
	var nodes []string
	for _, f := range facts {
		if f.kubelet != nil && f.kubelet.Kind == parsers.KubeletThresholds {
			for _, t := range f.kubelet.Thresholds {
				thresholds[nodeKey(f.node)] = appendNew(thresholds[nodeKey(f.node)], fmt.Sprintf("%s<%s", t.Signal, t.Value))
			}
			continue
		}
		if !isPressure(f) {
			continue
		}
		k := nodeKey(f.node)
		if f.at.IsZero() { // pasted kubectl output: relative ages, or no time at all
			k = "\x00" + k
			if f.node == "" { // unnamed nodes of different pastes are not one node
				k += "\x00" + f.ev.Input
			}
		}
		if _, ok := byNode[k]; !ok {
			nodes = append(nodes, k)
		}
		byNode[k] = append(byNode[k], f)
	}
	sort.Strings(nodes)
	out := []episode{}
	for _, n := range nodes {
		fs := byNode[n]
		if strings.HasPrefix(n, "\x00") { // timeless facts of one node make one episode without a span
			p := episodeOf(fs)
			p.Start, p.End = nil, nil
			out = append(out, p)
			continue
		}
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].at.Before(fs[j].at) })
		start, end := 0, fs[0].end()
		for i := 1; i <= len(fs); i++ {
			if i == len(fs) || fs[i].at.Sub(end) > episodeGap {
				p := episodeOf(fs[start:i])
				p.Thresholds = thresholds[n]
				out = append(out, p)
				start = i
			}
			if i < len(fs) && (i == start || fs[i].end().After(end)) {
				end = fs[i].end()
			}
		}
	}
	return out
}

// isPressure says whether a fact is a sign of node pressure (an eviction of a pod is, the
// kubelet's startup config is not).
func isPressure(f nodeFact) bool {
	if f.evicted != "" || f.refused != "" {
		return true
	}
	if f.event != nil {
		switch f.event.Reason {
		case "EvictionThresholdMet", "NodeHasInsufficientMemory", "SystemOOM", "Evicted":
			return true
		}
		return false
	}
	return f.kubelet != nil
}

func episodeOf(fs []nodeFact) episode {
	p := episode{Pressure: report.Pressure{Node: fs[0].node, Resources: []string{}, RankedPods: []string{}, Evicted: []string{},
		AdmissionRefused: []string{}, CriticalNotEvicted: []string{}, Evidence: []report.Evidence{}}, evicted: map[string]bool{}}
	first, last := fs[0].at.UTC(), fs[len(fs)-1].at.UTC()
	kubeletMet, eventMet, folded := 0, 0, 0
	for _, f := range fs {
		if e := f.end().UTC(); e.After(last) {
			last = e
		}
	}
	p.Start, p.End = &first, &last
	for _, f := range fs {
		if p.Node == "" {
			p.Node = f.node
		}
		p.Evidence = append(p.Evidence, f.ev)
		if f.evicted != "" {
			if !p.evicted[f.evicted] {
				p.evicted[f.evicted] = true
				p.Evicted = append(p.Evicted, f.evicted)
			}
			p.Resources = appendNew(p.Resources, f.resource)
			continue
		}
		if f.refused != "" {
			p.AdmissionRefused = appendNew(p.AdmissionRefused, f.refused)
			p.Conditions = appendAll(p.Conditions, f.conditions)
			continue
		}
		if e := f.event; e != nil {
			switch e.Reason {
			case "EvictionThresholdMet":
				eventMet += int(max(e.Count, 1))
				if r := strings.TrimPrefix(e.Message, "Attempting to reclaim "); r != e.Message {
					p.Resources = appendNew(p.Resources, r)
				}
			case "NodeHasInsufficientMemory":
				p.Resources = appendNew(p.Resources, "memory")
			case "SystemOOM":
				p.NodeOOMs += int(max(e.Count, 1))
			case "Evicted": // an admission refusal ("The node had condition: [MemoryPressure]")
				p.AdmissionRefused = appendNew(p.AdmissionRefused, e.Object.Namespace+"/"+e.Object.Name)
				p.Conditions = appendAll(p.Conditions, e.Eviction.ConditionResources)
			}
			continue
		}
		l := f.kubelet
		folded += l.Repeats
		switch l.Kind {
		case parsers.KubeletReclaim:
			kubeletMet += 1 + l.Repeats
			p.Resources = appendNew(p.Resources, l.Resource)
		case parsers.KubeletMustEvict, parsers.KubeletReclaimedNoPod:
			p.Resources = appendNew(p.Resources, l.Resource)
		case parsers.KubeletRanked:
			var pods []string
			for _, r := range l.Pods {
				pods = append(pods, r.String())
			}
			if len(p.RankedPods) == 0 {
				p.RankedPods = pods
			}
			if n := len(p.rankings); n == 0 || !slices.Equal(p.rankings[n-1].pods, pods) {
				p.rankings = append(p.rankings, ranking{f.at, pods})
			}
		case parsers.KubeletCriticalPod:
			p.CriticalNotEvicted = appendNew(p.CriticalNotEvicted, l.Pod.String())
		case parsers.KubeletNoPodsToEvict, parsers.KubeletUnableToEvict:
			p.NoPodsToEvict = true
		case parsers.KubeletAdmitRejected:
			p.AdmissionRefused = appendNew(p.AdmissionRefused, l.Pod.String())
			p.Conditions = appendAll(p.Conditions, l.ConditionResources)
		case parsers.KubeletSystemOOM:
			p.NodeOOMs++
		}
	}
	// The kubelet's lines and its EvictionThresholdMet Events count the same thresholds.
	p.ThresholdsMet = max(kubeletMet, eventMet)
	sort.SliceStable(p.Evidence, func(i, j int) bool { return evidenceBefore(p.Evidence[i], p.Evidence[j]) })
	p.Evidence, p.EvidenceOmitted = keepEnds(p.Evidence, report.MaxListed/2)
	p.EvidenceOmitted += folded // the repeats the kubelet parser folded into one line
	return p
}

// keepEnds keeps, of each role's lines, the first and the last n, in their order, and counts
// the others: the decisive lines of a long episode are where it starts and where it ends.
func keepEnds(lines []report.Evidence, n int) ([]report.Evidence, int) {
	total := map[report.Role]int{}
	for _, l := range lines {
		total[l.Role]++
	}
	seen := map[report.Role]int{}
	out := lines[:0]
	for _, l := range lines {
		i := seen[l.Role]
		seen[l.Role]++
		if i < n || i >= total[l.Role]-n {
			out = append(out, l)
		}
	}
	return out, len(lines) - len(out)
}

func evidenceBefore(a, b report.Evidence) bool {
	if a.Time != nil && b.Time != nil && !a.Time.Equal(*b.Time) {
		return a.Time.Before(*b.Time)
	}
	if a.Input != b.Input {
		return a.Input < b.Input
	}
	return a.Line < b.Line
}

// summarizePressure says in one sentence what happened on the node, naming only the
// resources the evidence shows: what the kubelet tried to reclaim, else the conditions that
// refused admissions, else just what was seen (a node OOM is not "memory pressure" the
// kubelet saw).
func summarizePressure(p *report.Pressure) string {
	node := cmp.Or(p.Node, "an unnamed node")
	what := ""
	switch {
	case len(p.Resources) > 0:
		what = strings.Join(p.Resources, " and ") + " pressure"
	case len(p.Conditions) > 0:
		what = "node conditions refusing pods (" + strings.Join(p.Conditions, ", ") + ")"
	case p.NodeOOMs > 0:
		what = "node-wide OOM kills"
	default:
		what = "signs of pressure for a resource the evidence does not name"
	}
	span := "at a time the evidence does not give"
	if p.Start != nil {
		span = p.Start.Format("15:04:05")
		if !p.End.Equal(*p.Start) {
			span += "–" + p.End.Format("15:04:05")
		}
	}
	var parts []string
	if p.ThresholdsMet > 0 {
		parts = append(parts, fmt.Sprintf("an eviction threshold was met %s", times(p.ThresholdsMet)))
	}
	if n := len(p.Evicted); n > 0 {
		names := strings.Join(p.Evicted[:min(n, report.MaxListed)], ", ")
		if n > report.MaxListed {
			names += fmt.Sprintf(" and %d more", n-report.MaxListed)
		}
		parts = append(parts, fmt.Sprintf("%s evicted (%s)", count(n, "pod"), names))
	}
	if n := len(p.AdmissionRefused); n > 0 {
		parts = append(parts, fmt.Sprintf("%s refused admission", count(n, "pod")))
	}
	if n := len(p.CriticalNotEvicted); n > 0 {
		parts = append(parts, fmt.Sprintf("%s could not be evicted", count(n, "critical pod")))
	}
	if p.NoPodsToEvict {
		parts = append(parts, "no pod was left to evict")
	}
	if p.NodeOOMs > 0 {
		parts = append(parts, fmt.Sprintf("the kernel's global OOM killer acted %s", times(p.NodeOOMs)))
	}
	if len(parts) == 0 {
		parts = append(parts, "the kubelet reported it")
	}
	if p.Start != nil {
		span = "on " + span + " UTC"
	}
	return fmt.Sprintf("Node %s had %s %s: %s.", node, what, span, strings.Join(parts, "; "))
}

// count says "1 pod", "2 pods".
func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// times says "once", "2 times".
func times(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}

func appendNew(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// nodeKey compares node names as the evidence writes them: the kernel's host name may be
// short where the kubelet's node name is a FQDN, and case differs between tools.
func nodeKey(n string) string {
	n = strings.ToLower(n)
	if i := strings.IndexByte(n, '.'); i > 0 && !isIPv4(n) {
		n = n[:i]
	}
	return n
}

func isIPv4(s string) bool {
	return strings.Count(s, ".") == 3 && strings.Trim(s, "0123456789.") == ""
}

// sameNode says whether two node names can be the same node; an unknown name matches any.
func sameNode(a, b string) bool {
	return a == b || a == "" || b == "" || nodeKey(a) == nodeKey(b)
}

func appendAll(list, items []string) []string {
	for _, it := range items {
		list = appendNew(list, it)
	}
	return list
}

// evictionFacts are the signs of node pressure the evicted cases give. A pod over its own
// local storage limit is no sign of node pressure.
func evictionFacts(cases []*caseFile) []nodeFact {
	var out []nodeFact
	for _, c := range cases {
		if s := evictionSighting(c); s != nil && s.eviction.Scope != parsers.EvictionScopePod &&
			s.eviction.Scope != parsers.EvictionScopeContainer && s.eviction.Scope != parsers.EvictionScopeEmptyDir {
			out = append(out, nodeFact{node: cmp.Or(s.node, c.d.Node), at: s.at, ev: s.ev, evicted: podName(c.d.Namespace, c.d.Pod),
				resource: s.eviction.Resource})
		}
	}
	return out
}

// pressureReport gives the report its episodes, each with the deaths it covers.
func pressureReport(sc *scene, deaths []report.Death) []report.Pressure {
	out := []report.Pressure{}
	for i := range sc.pressure {
		p := &sc.pressure[i]
		for _, d := range deaths {
			linked := d.Eviction != nil && d.Eviction.Episode != nil && *d.Eviction.Episode == i
			if linked || d.Time != nil && sameNode(p.Node, d.Node) && covers(&p.Pressure, *d.Time, sc.window) {
				p.Deaths++
			}
		}
		p.Summary = summarizePressure(&p.Pressure)
		out = append(out, p.Pressure)
	}
	return out
}
