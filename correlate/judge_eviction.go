package correlate

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
)

// judgeEviction reads the eviction: which resource (from the message, else from the
// eviction manager's "attempting to reclaim"), and how sure that is. It returns what the
// kubelet measured of the offenders, for the request a fix proposes.
func judgeEviction(c *caseFile, sc *scene) []parsers.EvictionUsage {
	d := &c.d
	var em parsers.Eviction
	var raw string
	var ann *parsers.EvictionAnnotations
	byKubelet := false
	for _, s := range c.all(seenEvicted) {
		byKubelet = byKubelet || s.byKubelet
		if m := s.eviction; m.Resource != "" && em.Resource == "" {
			em, raw = m, strings.TrimSpace(s.message)
		}
		if s.evictionNotes != nil && ann == nil {
			ann = s.evictionNotes
		}
	}
	from := "the eviction message"
	annotated := false
	if ann != nil && em.Resource == "" && ann.Starved != "" {
		em.Resource, em.Scope, from = ann.Starved, parsers.EvictionScopeNode, "the Evicted Event's starved_resource annotation"
		annotated = true
	}
	if len(em.Usage) == 0 && ann != nil {
		em.Usage = ann.Offending
	}
	ev := &report.Eviction{Resource: em.Resource, Scope: em.Scope, Limit: em.Limit, Volume: em.Volume, Threshold: em.Threshold,
		Observed: em.Available, Usage: reportUsage(em.Usage), Message: raw, RankedPods: []string{}, Others: []string{}}
	if ev.Resource == "" {
		if p := episodeAt(sc.pressure, d.Node, c.when(), sc.window); p != nil && len(p.Resources) == 1 {
			ev.Resource, ev.Scope, from = p.Resources[0], parsers.EvictionScopeNode, "the eviction manager's \"attempting to reclaim\" line"
		} else if r := reclaimedInInput(c, sc); r != "" {
			ev.Resource, ev.Scope, from = r, parsers.EvictionScopeNode, "the eviction manager's \"attempting to reclaim\" line of the same input (its lines have no time)"
			annotated = true // says where it came from itself
		}
	}
	ev.Signal = signalOf(ev.Resource)
	d.Eviction = ev
	switch {
	case ev.Resource == "memory":
		d.Mechanism = report.KubeletEviction
		d.Confidence = "medium"
		if byKubelet && (em.Resource != "" || from != "the eviction message") {
			d.Confidence = "high"
		}
	case ev.Resource != "":
		d.Mechanism, d.Confidence = report.NotMemory, "medium"
		if byKubelet || em.Scope != parsers.EvictionScopeNode {
			d.Confidence = "high" // a local storage limit is named by the kubelet's own message
		}
		d.Kill = &report.Kill{Reason: "eviction", Message: "evicted by the kubelet for " + evictionCause(ev) + ", not memory", By: "kubelet"}
	default:
		d.Mechanism, d.Confidence = report.Unknown, "low"
		d.Kill = &report.Kill{Reason: "eviction", Message: "evicted by the kubelet; the evidence does not say for which resource", By: "kubelet"}
		d.AddNote(report.NoteEvictionResourceUnknown, "the pod was evicted, but the evidence does not show for which resource, so it is not taken for a memory eviction: the Evicted Event's message or the kubelet's eviction-manager lines would say")
	}
	if ev.Resource != "" && from != "the eviction message" {
		where := " on this node at that time"
		if annotated {
			where = ""
		}
		d.AddNote(report.NoteEvictionResourceFrom, "the resource is taken from "+from+where)
	}
	if c.has(seenRuntimeOOM) || d.Reason == "OOMKilled" {
		d.AddNote(report.NoteOOMKilledToo, "the container was also OOM-killed around the eviction")
	}
	if st := latestStatus(c); st != nil && st.request == "" && d.Mechanism == report.KubeletEviction {
		d.AddNote(report.NoteNoMemoryRequest, "the container has no memory request: under node pressure its whole usage counts against it")
	}
	return em.Usage
}

// reportUsage quotes the offenders as the report shows them: the kubelet's words.
func reportUsage(us []parsers.EvictionUsage) []report.Usage {
	var out []report.Usage
	for _, u := range us {
		out = append(out, report.Usage{Container: u.Container, Usage: u.Usage, Request: u.Request})
	}
	return out
}

// reclaimedInInput names the one resource the eviction manager tried to reclaim in the input
// of a timeless eviction line (a paste that cut the klog headers): without times, the input is
// the episode.
func reclaimedInInput(c *caseFile, sc *scene) string {
	inputs := map[string]bool{}
	for _, s := range c.all(seenEvicted) {
		if s.at.IsZero() {
			inputs[s.ev.Input] = true
		}
	}
	var found []string
	for _, f := range sc.facts {
		if l := f.kubelet; l != nil && f.at.IsZero() && inputs[f.ev.Input] && (l.Kind == parsers.KubeletReclaim || l.Kind == parsers.KubeletMustEvict) {
			found = appendNew(found, l.Resource)
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	return ""
}

// evictionCause says what was over: the node's resource, or a pod's, a container's or an
// emptyDir's local storage limit.
func evictionCause(ev *report.Eviction) string {
	switch ev.Scope {
	case parsers.EvictionScopePod:
		return "ephemeral-storage: the pod used more local storage than its containers' limits together (" + ev.Limit + ")"
	case parsers.EvictionScopeContainer:
		who := "a container"
		if len(ev.Usage) > 0 {
			who = "container " + ev.Usage[0].Container
		}
		return "ephemeral-storage: " + who + " exceeded its local storage limit " + ev.Limit
	case parsers.EvictionScopeEmptyDir:
		return "ephemeral-storage: emptyDir volume " + ev.Volume + " exceeded its sizeLimit " + ev.Limit
	}
	return ev.Resource + " (the node was low on it)"
}

// judgeEvictionDetails fills the eviction object of a death whose mechanism the kernel
// already gave.
func judgeEvictionDetails(c *caseFile, sc *scene) {
	mech, conf, kill, notes := c.d.Mechanism, c.d.Confidence, c.d.Kill, c.d.Notes
	judgeEviction(c, sc)
	c.d.Mechanism, c.d.Confidence, c.d.Kill, c.d.Notes = mech, conf, kill, notes
}

// linkEpisode ties an eviction to the node's pressure episode: the ranking the kubelet
// logged, the other pods evicted, and the grace of a hard threshold it configured.
func linkEpisode(d *report.Death, sc *scene) {
	t := time.Time{}
	if d.Time != nil {
		t = *d.Time
	}
	for i := range sc.pressure {
		p := &sc.pressure[i]
		me := d.Namespace + "/" + d.Pod
		if !sameNode(p.Node, d.Node) || !(covers(&p.Pressure, t, sc.window) || p.evicted[me]) {
			continue
		}
		idx := i
		d.Eviction.Episode = &idx
		d.Eviction.RankedPods = rankingFor(p, me, t)
		for _, o := range p.Evicted {
			if o == me {
				continue
			}
			if d.Eviction.OthersCount++; len(d.Eviction.Others) < report.MaxListed {
				d.Eviction.Others = append(d.Eviction.Others, o)
			}
		}
		for _, th := range p.Thresholds {
			if d.Eviction.Signal != "" && th == d.Eviction.Signal+"<"+d.Eviction.Threshold {
				d.Eviction.Grace = "0s"
			}
		}
		return
	}
}

func covers(p *report.Pressure, t time.Time, window time.Duration) bool {
	if t.IsZero() || p.Start == nil {
		return false
	}
	return !t.Before(p.Start.Add(-window)) && !t.After(p.End.Add(window))
}

func episodeAt(ps []episode, node string, t time.Time, window time.Duration) *episode {
	for i := range ps {
		if sameNode(ps[i].Node, node) && covers(&ps[i].Pressure, t, window) {
			return &ps[i]
		}
	}
	return nil
}

// rankingFor is the last ranking before the eviction that names the pod; the episode's first
// when none does.
func rankingFor(p *episode, pod string, t time.Time) []string {
	// The rankings are in time order: the last one by then that holds the pod, found from
	// the end, so that thousands of evictions do not each scan every ranking.
	n := sort.Search(len(p.rankings), func(i int) bool { return p.rankings[i].at.After(t.Add(time.Second)) })
	for i := n - 1; i >= 0; i-- {
		if slices.Contains(p.rankings[i].pods, pod) {
			return append([]string{}, p.rankings[i].pods...)
		}
	}
	return append([]string{}, p.RankedPods...)
}
