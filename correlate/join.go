package correlate

import (
	"sort"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// A caseFile is one death being assembled from everything that saw it.
type caseFile struct {
	d    report.Death
	seen []sighting
}

func (c *caseFile) kernel() bool { return c.d.Kernel != nil }

// has reports whether the case holds a sighting of the kind.
func (c *caseFile) has(k sightKind) bool {
	for i := range c.seen {
		if c.seen[i].kind == k {
			return true
		}
	}
	return false
}

func (c *caseFile) all(k sightKind) []*sighting {
	var out []*sighting
	for i := range c.seen {
		if c.seen[i].kind == k {
			out = append(out, &c.seen[i])
		}
	}
	return out
}

// when is the case's best time so far: the moment it died (see moment), else any sighting's.
func (c *caseFile) when() time.Time {
	if c.d.Time != nil {
		return *c.d.Time
	}
	if s := c.moment(); s != nil {
		return s.at
	}
	var best time.Time
	for _, s := range c.seen {
		if !s.at.IsZero() && (best.IsZero() || s.at.Before(best)) {
			best = s.at
		}
	}
	return best
}

// deathOrder ranks the sightings by how closely they date the death itself: the runtime's
// exit and OOM event, the PLEG's ContainerDied, the termination's finishedAt (whole
// seconds), then the kubelet's act (eviction, kill, preemption, shutdown). A failed probe, a
// back-off or a pressure sign comes before the death: it is its lead-up, never its time.
var deathOrder = map[sightKind]int{
	seenExit: 1, seenRuntimeOOM: 2, seenDied: 3, seenTerminated: 4,
	seenEvicted: 5, seenKilling: 6, seenPreempted: 7, seenShutdown: 8,
}

// moment is the sighting that dates the death: the best rank, the earliest of that rank.
func (c *caseFile) moment() *sighting {
	var best *sighting
	for i := range c.seen {
		s := &c.seen[i]
		r, ok := deathOrder[s.kind]
		if !ok || s.at.IsZero() {
			continue
		}
		if best == nil || r < deathOrder[best.kind] || (r == deathOrder[best.kind] && s.at.Before(best.at)) {
			best = s
		}
	}
	return best
}

// assemble merges sightings into the kernel's deaths and into each other: one case per
// container instance. A shared container ID joins whatever the times say (IDs are never
// reused); otherwise the pod (by UID, else namespace/name) and container name must agree and
// the times lie within the window. Pod-level sightings (evictions) join every container of
// the pod. A sighting that matches nothing starts a case when it is a death on its own.
func assemble(kernelDeaths []report.Death, sights []sighting, window time.Duration) []*caseFile {
	cases := make([]*caseFile, 0, len(kernelDeaths))
	var left []sighting // sightings that joined no case and make none on their own
	idx := caseIndex{byID: map[string]*caseFile{}}
	for _, d := range kernelDeaths {
		c := &caseFile{d: d}
		cases = append(cases, c)
		idx.add(c)
	}
	sort.SliceStable(sights, func(i, j int) bool {
		if sights[i].kind != sights[j].kind {
			return sights[i].kind < sights[j].kind
		}
		return sights[i].at.Before(sights[j].at)
	})
	for _, s := range sights {
		if s.podLevel() {
			matched := false
			for _, c := range cases {
				if samePod(c, &s, window) {
					attach(c, s)
					matched = true
				}
			}
			if !matched && s.creates() {
				c := newCase(s)
				cases = append(cases, c)
				idx.add(c)
			}
			continue
		}
		if c := idx.best(cases, &s, window); c != nil {
			attach(c, s)
			idx.named(c)
		} else if s.creates() {
			c := newCase(s)
			cases = append(cases, c)
			idx.add(c)
		} else {
			left = append(left, s)
		}
	}
	return append(cases, probeKills(left, window)...)
}

// probeKills makes a case of a failed liveness or startup probe that the kubelet's kill or
// the container's death followed, when nothing else (an exit code, pod status) made one: the
// kubelet's kill line names no reason, but a probe failure before it does.
func probeKills(left []sighting, window time.Duration) []*caseFile {
	var out []*caseFile
	for i := range left {
		p := &left[i]
		if p.kind != seenProbe {
			continue
		}
		if c := joinedProbe(out, p, window); c != nil { // another failure of the same probe
			attach(c, *p)
			continue
		}
		var c *caseFile
		for j := range left {
			s := &left[j]
			if (s.kind != seenKilling && s.kind != seenDied) || s.at.Before(p.at) || s.at.Sub(p.at) > window {
				continue
			}
			if !sameContainer(p, s) {
				continue
			}
			if c == nil {
				c = newCase(*p)
			}
			attach(c, *s)
			s.kind = -1 // used
		}
		if c != nil {
			out = append(out, c)
		}
	}
	return out
}

// joinedProbe finds the probe-kill case of p's container that p's time falls in.
func joinedProbe(cases []*caseFile, p *sighting, window time.Duration) *caseFile {
	for _, c := range cases {
		if sameContainer(&c.seen[0], p) && absDur(c.when().Sub(p.at)) <= window {
			return c
		}
	}
	return nil
}

// sameContainer says whether two sightings name one container: by ID, else pod and name.
func sameContainer(a, b *sighting) bool {
	if a.containerID != "" && b.containerID != "" {
		return a.containerID == b.containerID
	}
	samePod := (a.podUID != "" && a.podUID == b.podUID) || (a.pod != "" && a.pod == b.pod && a.namespace == b.namespace)
	return samePod && (a.container == "" || b.container == "" || a.container == b.container) && sameNode(a.node, b.node)
}

// bestContainer finds the case of the sighting's container instance, the nearest in time
// when a restarting container died several times.
func bestContainer(cases []*caseFile, s *sighting, window time.Duration) *caseFile {
	var best *caseFile
	var bestGap time.Duration
	for _, c := range cases {
		if s.containerID != "" && c.d.ContainerID != "" {
			if sameID(c.d.ContainerID, s.containerID, s.idPrefix) {
				return c
			}
			continue
		}
		if s.idPrefix && c.d.ContainerIDPrefix != "" {
			// conmon on cgroup v1 logs "OOM event received" and "OOM received" for one OOM
			if strings.HasPrefix(c.d.ContainerIDPrefix, s.containerID) || strings.HasPrefix(s.containerID, c.d.ContainerIDPrefix) {
				return c
			}
			continue
		}
		if !samePodIdentity(c, s) || !sameNode(c.d.Node, s.node) {
			continue
		}
		if s.container != "" && c.d.Container != "" && s.container != c.d.Container {
			continue
		}
		gap, ok := timeGap(c, s, window)
		if !ok {
			continue
		}
		if best == nil || gap < bestGap {
			best, bestGap = c, gap
		}
	}
	return best
}

// caseIndex finds a sighting's case by its container ID without scanning every case: the
// first case of each full ID, and the cases that had no ID when they were made (the only
// others an ID's sighting can join, by pod and time), in case order. It gives what
// bestContainer over all cases gives: a case gains an ID only from a sighting no case of that
// ID matched, so the first case of an ID is the first to have it.
type caseIndex struct {
	byID map[string]*caseFile
	noID []*caseFile
}

func (x *caseIndex) add(c *caseFile) {
	if c.d.ContainerID == "" {
		x.noID = append(x.noID, c)
	}
	x.named(c)
}

// named notes the case's container ID, once it has one.
func (x *caseIndex) named(c *caseFile) {
	if id := c.d.ContainerID; id != "" && x.byID[id] == nil {
		x.byID[id] = c
	}
}

// best is bestContainer(cases, s, window).
func (x *caseIndex) best(cases []*caseFile, s *sighting, window time.Duration) *caseFile {
	if s.containerID == "" || s.idPrefix {
		return bestContainer(cases, s, window)
	}
	if c := x.byID[s.containerID]; c != nil {
		return c
	}
	return bestContainer(x.noID, s, window)
}

// samePod says whether a pod-level sighting is about the case's pod. An evicted or
// preempted pod is evicted once, so when pod status says so the times need not agree
// (node logs in local time against Events in UTC).
func samePod(c *caseFile, s *sighting, window time.Duration) bool {
	if !samePodIdentity(c, s) || !sameNode(c.d.Node, s.node) {
		return false
	}
	if s.podUID != "" && s.podUID == c.d.PodUID {
		return true
	}
	for _, t := range c.all(seenTerminated) {
		if t.status.podReason == "Evicted" || t.status.podReason == "Preempting" {
			return true
		}
	}
	_, ok := timeGap(c, s, window)
	return ok
}

func samePodIdentity(c *caseFile, s *sighting) bool {
	switch {
	case s.podUID != "" && c.d.PodUID != "":
		return s.podUID == c.d.PodUID
	case s.pod != "" && c.d.Pod != "":
		// a pasted row or message may not show the namespace: the name alone then decides
		return s.pod == c.d.Pod && (s.namespace == c.d.Namespace || s.namespace == "" || c.d.Namespace == "")
	}
	return false
}

func sameID(a, b string, prefix bool) bool {
	if prefix {
		return strings.HasPrefix(a, b)
	}
	return a == b
}

// timeGap is how far the sighting lies from the case's time; a repeated event covers its
// whole span (first to last time). Unknown times match at the window's edge.
func timeGap(c *caseFile, s *sighting, window time.Duration) (time.Duration, bool) {
	t := c.when()
	if t.IsZero() || s.at.IsZero() {
		return window, true
	}
	from := s.from
	if from.IsZero() || from.After(s.at) {
		from = s.at
	}
	var gap time.Duration
	switch {
	case t.Before(from):
		gap = from.Sub(t)
	case t.After(s.at):
		gap = t.Sub(s.at)
	}
	return gap, gap <= window
}

func newCase(s sighting) *caseFile {
	c := &caseFile{d: report.Death{Victims: []report.Victim{}, Advice: []string{}, Evidence: []report.Evidence{}}}
	attach(c, s)
	return c
}

// attach adds a sighting to a case and fills the names the case lacked.
func attach(c *caseFile, s sighting) {
	c.seen = append(c.seen, s)
	d := &c.d
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fill(&d.Node, s.node)
	fill(&d.Namespace, s.namespace)
	fill(&d.Pod, s.pod)
	fill(&d.PodUID, s.podUID)
	if !s.podLevel() {
		fill(&d.Container, s.container)
		if !s.idPrefix {
			fill(&d.ContainerID, s.containerID)
		} else if d.ContainerID == "" {
			fill(&d.ContainerIDPrefix, s.containerID)
		}
	}
	fill(&d.Runtime, runtimeName(s.runtime))
	fill(&d.QoS, s.qos)
	if st := s.status; st != nil {
		fill(&d.QoS, st.qos)
		if d.Owner == nil && st.owner != nil {
			d.Owner = st.owner
		}
		if st.restarts > d.Restarts {
			d.Restarts = st.restarts
		}
		if d.Reason == "" {
			d.Reason = st.reason
			if !st.exitUnknown {
				code := int(st.exitCode)
				d.ExitCode = &code
			}
		}
	}
	if (s.kind == seenExit || s.kind == seenDied) && d.ExitCode == nil && s.exitCode != nil {
		code := *s.exitCode
		d.ExitCode = &code
	}
	if !containsEvidence(d.Evidence, s.ev) {
		d.Evidence = append(d.Evidence, s.ev)
	}
}

func containsEvidence(list []report.Evidence, e report.Evidence) bool {
	for _, x := range list {
		if x.Input == e.Input && x.Line == e.Line && x.Text == e.Text {
			return true
		}
	}
	return false
}

// evictionSighting is the one sighting that places a case's eviction in its node's pressure
// episode: the kubelet's own line when there is one (its clock is the node's, like the
// rest of the episode), else the earliest.
func evictionSighting(c *caseFile) *sighting {
	var best *sighting
	for _, s := range c.all(seenEvicted) {
		switch {
		case best == nil, s.byKubelet && !best.byKubelet:
			best = s
		case s.byKubelet == best.byKubelet && s.at.Before(best.at):
			best = s
		}
	}
	return best
}
