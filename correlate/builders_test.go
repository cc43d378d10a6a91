package correlate

import (
	"sort"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
)

// Builders for the reason tables of judge, join and pressure: each row names only what
// matters to its case; everything else is a default (node n1, pod shop/api, container app,
// at t0).

// t0 is the moment the tables' deaths happen around.
var t0 = time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)

// win is the correlation window the tables use.
const win = 2 * time.Minute

// opt changes one field of a sighting under construction.
type opt func(*sighting)

// sight builds a sighting of the kind for container shop/api/app on node n1 at t0; its
// evidence text is the tag, so tables can tell which sightings a case holds.
func sight(kind sightKind, tag string, opts ...opt) sighting {
	s := sighting{kind: kind, node: "n1", namespace: "shop", pod: "api", container: "app", at: t0,
		ev: report.Evidence{Input: "in", Text: tag}}
	if s.podLevel() {
		s.container = ""
	}
	for _, o := range opts {
		o(&s)
	}
	return s
}

func on(node string) opt             { return func(s *sighting) { s.node = node } }
func ns(namespace string) opt        { return func(s *sighting) { s.namespace = namespace } }
func ofPod(name string) opt          { return func(s *sighting) { s.pod = name } }
func uid(u string) opt               { return func(s *sighting) { s.podUID = u } }
func ctr(name string) opt            { return func(s *sighting) { s.container = name } }
func cid(id string) opt              { return func(s *sighting) { s.containerID = id } }
func cidPrefix(id string) opt        { return func(s *sighting) { s.containerID, s.idPrefix = id, true } }
func at(off time.Duration) opt       { return func(s *sighting) { s.at = t0.Add(off) } }
func timeless() opt                  { return func(s *sighting) { s.at = time.Time{} } }
func msg(m string) opt               { return func(s *sighting) { s.message = m } }
func byKubelet() opt                 { return func(s *sighting) { s.byKubelet = true } }
func input(name string) opt          { return func(s *sighting) { s.ev.Input = name } }
func probeOf(kind string) opt        { return func(s *sighting) { s.probe = kind } }
func memcg(v *parsers.OOMVictim) opt { return func(s *sighting) { s.memcg, s.oomVictim = true, v } }
func exit(code int) opt              { return func(s *sighting) { s.exitCode = &code } }

// spanFrom makes a repeated event: first seen at from, last at the sighting's time.
func spanFrom(off time.Duration) opt { return func(s *sighting) { s.from = t0.Add(off) } }

// evict gives an eviction sighting what its message says.
func evict(resource, scope string) opt {
	return func(s *sighting) { s.eviction = parsers.Eviction{Resource: resource, Scope: scope} }
}

// starved gives an eviction sighting an Evicted Event's starved_resource annotation.
func starved(resource string) opt {
	return func(s *sighting) { s.evictionNotes = &parsers.EvictionAnnotations{Starved: resource} }
}

// withStatus attaches pod status to a seenTerminated sighting; the status takes the
// sighting's names and time.
func withStatus(st statusDeath) opt {
	return func(s *sighting) {
		st.node, st.namespace, st.pod, st.podUID, st.container, st.containerID = s.node, s.namespace, s.pod, s.podUID, s.container, s.containerID
		if st.finished.IsZero() {
			st.finished = s.at
		}
		s.status = &st
	}
}

// oomKilled is pod status of an OOMKilled container with the memory limit ("" for none).
func oomKilled(limit string) statusDeath {
	return statusDeath{reason: "OOMKilled", exitCode: 137, limit: limit}
}

// sigkilled is pod status of a container that exited 137 with no OOMKilled reason.
func sigkilled() statusDeath { return statusDeath{reason: "Error", exitCode: 137, limit: "512Mi"} }

// evictedStatus is pod status of a container of an evicted pod.
func evictedStatus() statusDeath {
	return statusDeath{reason: "Error", exitCode: 137, podReason: "Evicted", request: "128Mi"}
}

// status is a seenTerminated sighting carrying the status st.
func status(tag string, st statusDeath, opts ...opt) sighting {
	return sight(seenTerminated, tag, append(opts, withStatus(st))...)
}

// caseOf builds a case the way assemble does: the first sighting starts it, the others attach.
func caseOf(ss ...sighting) *caseFile {
	c := newCase(ss[0])
	for _, s := range ss[1:] {
		attach(c, s)
	}
	return c
}

// tagsOf renders a case as its sightings' tags, sorted and joined by "+", prefixed "K:" when
// a kernel report started it.
func tagsOf(c *caseFile) string {
	var tags []string
	for _, s := range c.seen {
		tags = append(tags, s.ev.Text)
	}
	sort.Strings(tags)
	out := strings.Join(tags, "+")
	if c.kernel() {
		out = "K:" + out
	}
	return out
}

// casesOf renders cases as tagsOf, sorted.
func casesOf(cs []*caseFile) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, tagsOf(c))
	}
	sort.Strings(out)
	return out
}

// sceneOf is the scene the judge tables judge in: the window, and the node facts given.
func sceneOf(facts ...nodeFact) *scene {
	return &scene{window: win, facts: facts, pressure: episodes(facts), kernelOn: map[string]bool{}, kubeletOn: map[string]bool{}}
}

// kubeletFact is a node fact from a kubelet line of the kind on the node, off from t0.
func kubeletFact(kind, node string, off time.Duration, resource string) nodeFact {
	return nodeFact{node: node, at: t0.Add(off), kubelet: &parsers.KubeletLine{Kind: kind, Host: node, Resource: resource},
		ev: report.Evidence{Input: "kubelet", Text: kind}}
}

// eventFact is a node fact from a node Event of the reason on the node, off from t0.
func eventFact(reason, node string, off time.Duration) nodeFact {
	return nodeFact{node: node, at: t0.Add(off), event: &parsers.KubeEvent{Reason: reason, Count: 1},
		ev: report.Evidence{Input: "events", Text: reason}}
}

// hasNote is the one place the tables look into a death's notes, so that it can follow
// notes when they carry codes.
func hasNote(d report.Death, substr string) bool {
	for _, n := range d.Notes {
		if strings.Contains(n, substr) {
			return true
		}
	}
	return false
}
