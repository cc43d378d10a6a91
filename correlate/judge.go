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

// scene is what a verdict may consult beyond the case itself.
type scene struct {
	window   time.Duration
	pressure []episode
	// reports are the kernel OOM reports the deaths came from, by the report part each
	// death shows: the task table, Mem-Info and kill line that the JSON does not carry.
	reports   map[*report.Kernel]*parsers.KernelOOM
	facts     []nodeFact
	kernelOn  map[string]bool                // nodes with a kernel OOM report in the inputs
	kubeletOn map[string]bool                // nodes with kubelet lines in the inputs
	events    bool                           // Kubernetes Events are among the inputs
	memory    map[string]*parsers.NodeMemory // nodes' capacity and allocatable (kubectl describe node)
	cgroups   cgroupLevels                   // the kernel reports' cgroups
}

// finish settles a case: its time, and for a case without a kernel report the mechanism the
// other evidence supports; then the eviction and kill details, and the caveats.
func finish(c *caseFile, sc *scene) report.Death {
	d := &c.d
	settleTime(c, sc.window)
	if c.kernel() {
		vols := ""
		if st := latestStatus(c); st != nil {
			vols = st.memoryVolumes
		}
		explain(d, vols, sc.cgroups.conmon(d.Cgroup))
		kernelExtras(c, sc)
	} else {
		judge(c, sc)
	}
	if d.Eviction != nil {
		linkEpisode(d, sc)
	}
	d.LeadUp = leadUp(c, sc)
	if note := humanNote(c); note != "" {
		d.AddNote(report.NoteKubectlText, note)
	}
	nodeMemoryNote(d, sc)
	return *d
}

// nodeMemoryNote gives a node-wide death the node's memory as kubectl describe node showed it.
func nodeMemoryNote(d *report.Death, sc *scene) {
	if m := sc.memory[nodeKey(d.Node)]; m != nil && d.Node != "" && (d.Mechanism == report.KernelOOM || d.Mechanism == report.KubeletEviction) {
		d.AddNote(report.NoteNodeAllocatable, "node "+d.Node+" has "+cmp.Or(m.Capacity, "?")+" of memory, "+cmp.Or(m.Allocatable, "?")+
			" of it allocatable to pods (kubectl describe node): the rest is kept for the system and the eviction threshold")
	}
}

// humanNote says what the kubectl output a death was read from leaves out, when no other
// input gave it, and which command shows it.
func humanNote(c *caseFile) string {
	forms := []string{}
	for _, s := range c.seen {
		if s.human == "" {
			return "" // an API object or a log line is among the evidence
		}
		forms = appendNew(forms, s.human)
	}
	if len(forms) == 0 {
		return ""
	}
	d := &c.d
	var lacks []string
	if d.Node == "" {
		lacks = append(lacks, "the node")
	}
	if d.Container == "" && !c.has(seenEvicted) {
		lacks = append(lacks, "the container")
	}
	if d.ContainerID == "" && d.Container != "" || d.ContainerID == "" && !c.has(seenEvicted) {
		lacks = append(lacks, "the container ID")
	}
	if d.ExitCode == nil && !c.has(seenEvicted) {
		lacks = append(lacks, "the exit code")
	}
	if d.Time == nil {
		lacks = append(lacks, "the time (ages are relative to when kubectl ran; --now dates them)")
	}
	if len(lacks) == 0 {
		return ""
	}
	cmd := "kubectl get pod " + cmp.Or(d.Pod, "NAME")
	if d.Namespace != "" {
		cmd += " -n " + d.Namespace
	}
	return "read from " + strings.Join(forms, " and ") + ", which does not show " + strings.Join(lacks, ", ") +
		"; `" + cmd + " -o json` and `kubectl get events -o json` give them, with the node's kernel log"
}

// settleTime gives a case without a kernel time the time of its death (the best-ranked
// sighting, see caseFile.moment), never its first warning sign, and warns when node logs and
// the API disagree by more than the window (a zone or a clock).
func settleTime(c *caseFile, window time.Duration) {
	d := &c.d
	var logS, apiS *sighting
	for i := range c.seen {
		s := &c.seen[i]
		if s.at.IsZero() {
			continue
		}
		fromNode := s.byKubelet || s.kind == seenExit || s.kind == seenRuntimeOOM
		if fromNode {
			logS = betterMoment(logS, s)
		} else { // pod status, Events: stamped by the API's clients in UTC
			apiS = betterMoment(apiS, s)
		}
	}
	var logT, apiT time.Time
	if logS != nil {
		logT = logS.at
	}
	if apiS != nil {
		apiT = apiS.at
	}
	if d.Time != nil {
		logT = *d.Time
	}
	if d.Time == nil {
		t := logT
		if m := c.moment(); m != nil {
			t = m.at
		} else if t.IsZero() {
			t = apiT
		}
		if !t.IsZero() {
			t = t.UTC()
			d.Time = &t
			if c.kernel() {
				d.AddNote(report.NoteTimeFromAPI, "the time is taken from "+timeSourceOf(c, t)+": the kernel log gave only time since boot")
			}
		}
	}
	if d.Time == nil && d.BootTime == nil {
		d.Age = ageOf(c)
	}
	if !logT.IsZero() && !apiT.IsZero() {
		if gap := logT.Sub(apiT); gap > window || gap < -window {
			note := fmt.Sprintf("node logs and the API disagree about the time by %s: the node log's time zone (--tz) or the node's clock is off", roundGap(gap))
			if !c.kernel() { // the API's stamps carry their zone; a year-less node log may not
				t := apiT.UTC()
				d.Time = &t
				note += "; the time shown is the API's"
			}
			d.AddNote(report.NoteClocksDisagree, note)
		}
	}
}

// betterMoment keeps the sighting that dates a death better: a higher rank in deathOrder, then
// the earlier; a sighting of no rank (a probe failure) only when nothing better is there.
func betterMoment(best, s *sighting) *sighting {
	if best == nil {
		return s
	}
	rb, okb := deathOrder[best.kind]
	rs, oks := deathOrder[s.kind]
	switch {
	case oks && !okb:
		return s
	case okb && !oks:
		return best
	case oks && rs != rb:
		if rs < rb {
			return s
		}
		return best
	}
	if s.at.Before(best.at) {
		return s
	}
	return best
}

// leadUp lists what came before the death, each with its own time: failed probes, back-offs,
// the kubelet's kill or eviction when something later dates the death, and the first signs
// of the node's pressure episode.
func leadUp(c *caseFile, sc *scene) []report.LeadUp {
	d := &c.d
	if d.Time == nil {
		return nil
	}
	var out []report.LeadUp
	add := func(at time.Time, what string, ev report.Evidence) {
		if at.IsZero() || at.After(*d.Time) || at.Before(d.Time.Add(-leadUpSpan)) {
			return
		}
		t := at.UTC()
		out = append(out, report.LeadUp{Time: &t, What: what, Input: ev.Input, Line: ev.Line})
	}
	m := c.moment()
	for i := range c.seen {
		s := &c.seen[i]
		if s == m {
			continue
		}
		switch s.kind {
		case seenProbe:
			what := s.probe + " probe failed" + messageSuffix(s.message)
			if strings.HasPrefix(s.message, s.probe+" probe") {
				what = strings.Join(strings.Fields(s.message), " ")
			}
			if !s.from.IsZero() && s.from.Before(s.at) {
				what += " (repeated since " + s.from.UTC().Format("15:04:05") + ")"
			}
			add(s.at, what, s.ev)
		case seenBackOff:
			add(s.at, "restart back-off", s.ev)
		case seenKilling:
			add(s.at, "the kubelet killed the container"+messageSuffix(s.message), s.ev)
		case seenEvicted:
			add(s.at, "the kubelet evicted the pod", s.ev)
		}
	}
	if p := episodeAt(sc.pressure, d.Node, *d.Time, sc.window); p != nil && len(p.Evidence) > 0 {
		e := p.Evidence[0]
		if e.Time != nil {
			what := "node pressure began"
			switch {
			case len(p.Resources) > 0:
				what += " (" + strings.Join(p.Resources, " and ") + ")"
			case len(p.Conditions) > 0:
				what += " (node conditions " + strings.Join(p.Conditions, ", ") + ")"
			case p.NodeOOMs > 0:
				what += " (node-wide OOM kills)"
			}
			add(*e.Time, what, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(*out[j].Time) })
	return out
}

// leadUpSpan is how long before a death its lead-up is looked for.
const leadUpSpan = 15 * time.Minute

func messageSuffix(msg string) string {
	if msg = strings.Join(strings.Fields(msg), " "); msg != "" {
		if len(msg) > 160 {
			msg = msg[:160] + "…"
		}
		return ": " + msg
	}
	return ""
}

func timeSourceOf(c *caseFile, t time.Time) string {
	for _, s := range c.seen {
		if s.at.UTC().Equal(t) {
			switch s.kind {
			case seenTerminated:
				return "the container's finishedAt in pod status (whole seconds)"
			case seenExit:
				return "the runtime's exit time"
			}
			return "the " + s.component + " line"
		}
	}
	return "other evidence"
}

func roundGap(d time.Duration) time.Duration {
	if d < 0 {
		d = -d
	}
	return d.Round(time.Second)
}

// judge decides the mechanism of a death no kernel report explains, from the strongest
// evidence it has: an eviction, an OOM seen by the runtime or in pod status, a kill for a
// failed probe, preemption or shutdown; else "unknown". The order matters: a probe that failed
// because the container was short of memory still makes the kill a probe kill, while an
// eviction is an eviction whatever else was seen.
func judge(c *caseFile, sc *scene) {
	d := &c.d
	st := latestStatus(c)
	missing := missingNotes(c, sc)
	probe := probeKill(c)
	var measured []parsers.EvictionUsage
	switch {
	case c.has(seenEvicted):
		measured = judgeEviction(c, sc)
	case c.has(seenRuntimeOOM) || (st != nil && st.reason == "OOMKilled"):
		judgeOOM(c, sc, st)
	case probe != nil:
		d.Mechanism, d.Kill = report.NotMemory, probe
		d.Confidence = "medium"
		if c.has(seenKilling) && probeKillingMessage(c) != "" {
			d.Confidence = "high"
		}
		d.AddNote(report.NoteNoMemoryEvidence, "no OOM kill, OOMKilled status or eviction was seen for this container")
	case c.has(seenPreempted):
		s := c.all(seenPreempted)[0]
		d.Mechanism, d.Confidence = report.NotMemory, "high"
		d.Kill = &report.Kill{Reason: "preemption", Message: cmp.Or(s.message, "preempted by the kubelet to admit a critical pod"), By: "kubelet"}
	case c.has(seenShutdown):
		d.Mechanism, d.Confidence = report.NotMemory, "high"
		d.Kill = &report.Kill{Reason: "node-shutdown", Message: "killed by the kubelet's graceful node shutdown", By: "kubelet"}
	case c.has(seenKilling):
		// The kubelet stopped it (a deletion, a rollout, a restart policy) and it did not exit
		// within its grace period: SIGKILL, not memory.
		s := c.all(seenKilling)[0]
		d.Mechanism, d.Confidence = report.NotMemory, "medium"
		d.Kill = &report.Kill{Reason: "stopped", Message: cmp.Or(strings.Join(strings.Fields(s.message), " "), "the kubelet stopped the container"), By: cmp.Or(s.component, "kubelet")}
		d.AddNote(report.NoteKubeletKilledFirst, "the kubelet stopped the container (Killing) before it died; a container that does not exit within its grace period is killed with SIGKILL (exit 137)")
	default:
		d.Mechanism, d.Confidence = report.Unknown, "low"
		code := "unknown"
		if d.ExitCode != nil {
			code = fmt.Sprint(*d.ExitCode)
		}
		d.AddNote(report.NoteKilledWithoutPressure, fmt.Sprintf("the container was killed (exit code %s, reason %s) and no evidence shows memory pressure, an eviction, a probe failure, preemption or shutdown", code, cmp.Or(d.Reason, "none")))
	}
	if e := d.Eviction; e != nil && e.Scope != parsers.EvictionScopeNode && e.Scope != "" {
		missing = nil // a pod over its own storage limit: neither the kernel nor the ranking would add to it
	}
	d.Missing = append(d.Missing, missing...)
	d.Summary, d.Advice = explainJudged(d, st, measured)
	memoryVolumeNote(c)
}

// memoryVolumeNote says that a memory death's pod writes to tmpfs: an emptyDir with medium
// Memory is charged to the pod's memory cgroup, so files there count against its limits and
// its working set under node pressure.
func memoryVolumeNote(c *caseFile) {
	d := &c.d
	st := latestStatus(c)
	if st == nil || st.memoryVolumes == "" {
		return
	}
	switch d.Mechanism {
	case report.CgroupOOM, report.KernelOOM, report.KubeletEviction:
		d.AddNote(report.NoteMemoryVolume, "the pod has emptyDir volumes with medium: Memory ("+st.memoryVolumes+"): what is written there is memory, charged to the pod's cgroup and counted against its limits and its usage under node pressure")
	}
}

func latestStatus(c *caseFile) *statusDeath {
	var st *statusDeath
	for _, s := range c.all(seenTerminated) {
		if st == nil || s.status.finished.After(st.finished) {
			st = s.status
		}
	}
	return st
}

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

// judgeOOM decides between the container's own limit and the node for an OOM kill that no
// kernel report in the inputs describes.
func judgeOOM(c *caseFile, sc *scene, st *statusDeath) {
	d := &c.d
	runtimeSaw := c.has(seenRuntimeOOM)
	sysOOM := nodeOOMNear(sc, d.Node, c.when())
	limit := ""
	if st != nil {
		limit = st.limit
	}
	switch {
	case sysOOM != nil:
		d.Mechanism, d.Confidence = report.KernelOOM, "medium"
		d.AddNote(report.NoteWatcherSystemOOM, "the kubelet's OOM watcher reported a node-wide (global) OOM on this node at "+sysOOM.at.UTC().Format("15:04:05")+" UTC ("+
			sysOOM.ev.Input+"), and the kernel report itself is not in the inputs")
		if !containsEvidence(d.Evidence, sysOOM.ev) {
			d.Evidence = append(d.Evidence, sysOOM.ev)
		}
	case memcgEvent(c) != nil:
		s := memcgEvent(c)
		d.Mechanism, d.Confidence = report.CgroupOOM, "medium"
		d.AddNote(report.NoteWatcherCgroupOOM, "the kubelet's OOM watcher recorded a CgroupOOM Event ("+s.message+"): the kernel's OOM killer acted inside a memory cgroup below the root, so a cgroup's own limit was hit, not the node's memory")
		if v := s.oomVictim; v != nil && len(d.Victims) == 0 {
			d.Victims = append(d.Victims, report.Victim{PID: v.PID, Process: v.Comm, From: "event"})
			d.Victim = &d.Victims[0]
		}
	case limit != "":
		d.Mechanism, d.Confidence = report.CgroupOOM, "low"
		if runtimeSaw && (sc.events || sc.kubeletOn[nodeKey(d.Node)]) {
			d.Confidence = "medium"
		}
		d.AddNote(report.NoteOwnLimitLikely, "OOM-killed with a memory limit of "+limit+" and no sign of a node-wide OOM, so its own limit is the likely cause; the kernel's OOM report, which would show the limit and usage, is not in the inputs")
	case st != nil && st.limitUnknown:
		d.Mechanism, d.Confidence = report.Unknown, "low"
		d.AddNote(report.NoteLimitUnknown, "OOMKilled, so the kernel's OOM killer killed it, but "+cmp.Or(st.human, "the pod status given")+" does not show the container's memory limit: whether its own limit or the node ran out is not known")
	case st != nil:
		d.Mechanism, d.Confidence = report.KernelOOM, "low"
		d.AddNote(report.NoteNoOwnLimit, "OOM-killed without a memory limit of its own, so its own cgroup could not OOM: the node (or the kubepods cgroup of node allocatable) ran out")
	default:
		d.Mechanism, d.Confidence = report.Unknown, "low"
		d.AddNote(report.NoteRuntimeOOMOnly, "the runtime saw an OOM kill in this container; without the kernel's report or the container's limit the evidence does not say whose limit was hit")
	}
}

// ageOf is the relative age that dates a death known only from kubectl's tables: the age of
// its best-ranked sighting that has one.
func ageOf(c *caseFile) string {
	best, rank := "", 1<<30
	for i := range c.seen {
		s := &c.seen[i]
		r, ok := deathOrder[s.kind]
		if !ok {
			r = 100
		}
		if s.ev.Age != "" && r < rank {
			best, rank = s.ev.Age, r
		}
	}
	return best
}

// memcgEvent is the case's CgroupOOM Event, nil when it has none.
func memcgEvent(c *caseFile) *sighting {
	for _, s := range c.all(seenRuntimeOOM) {
		if s.memcg {
			return s
		}
	}
	return nil
}

// nodeOOMNear finds a node-wide OOM (kubelet OOM watcher, SystemOOM event) on the node
// within the window.
func nodeOOMNear(sc *scene, node string, t time.Time) *nodeFact {
	for i := range sc.facts {
		f := &sc.facts[i]
		global := (f.kubelet != nil && f.kubelet.Kind == parsers.KubeletSystemOOM) || (f.event != nil && f.event.Reason == "SystemOOM")
		if !global || !sameNode(f.node, node) {
			continue
		}
		if t.IsZero() || f.at.IsZero() || absDur(f.at.Sub(t)) <= sc.window {
			return f
		}
	}
	return nil
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// probeKill says whether a failed liveness or startup probe explains the kill: the kubelet
// said so (Killing "failed liveness probe, will be restarted"), or the probe failed shortly
// before the death.
func probeKill(c *caseFile) *report.Kill {
	if msg := probeKillingMessage(c); msg != "" {
		return &report.Kill{Reason: probeKillReason(msg), Message: msg, By: "kubelet"}
	}
	for _, s := range c.all(seenProbe) {
		reason := strings.ToLower(s.probe) + "-probe"
		msg := s.message
		if msg == "" {
			msg = s.probe + " probe failed"
		}
		return &report.Kill{Reason: reason, Message: strings.Join(strings.Fields(msg), " "), By: cmp.Or(s.component, "kubelet")}
	}
	return nil
}

func probeKillingMessage(c *caseFile) string {
	for _, s := range c.all(seenKilling) {
		if probeKillReason(s.message) != "" {
			return s.message
		}
	}
	return ""
}

// missingNotes says which evidence would have raised confidence.
func missingNotes(c *caseFile, sc *scene) []string {
	node := cmp.Or(c.d.Node, "(unknown node)")
	var out []string
	if !sc.kernelOn[nodeKey(c.d.Node)] {
		out = append(out, "no kernel OOM report of node "+node+" is in the inputs")
	}
	if !sc.kubeletOn[nodeKey(c.d.Node)] && c.has(seenEvicted) {
		out = append(out, "no kubelet log of node "+node+": the eviction manager's thresholds and ranking are not shown")
	}
	return out
}

// kernelExtras adds to a death the kernel explained what the Kubernetes side says about it.
func kernelExtras(c *caseFile, sc *scene) {
	d := &c.d
	if c.has(seenEvicted) {
		judgeEvictionDetails(c, sc)
		d.AddNote(report.NoteEvictedToo, "the kubelet also evicted this pod around the kill")
	}
	if k := probeKill(c); k != nil {
		d.AddNote(report.NoteProbeFailedToo, "a "+k.Reason+" failure was also reported for this container: the probe may have failed because the container was short of memory")
	}
	memoryVolumeNote(c)
	if d.Mechanism == report.KernelOOM || d.LimitScope == "pod" {
		if note := sidecarNote(c, sc); note != "" {
			d.AddNote(report.NoteSidecarTrap, note)
		}
	}
}

// judgeEvictionDetails fills the eviction object of a death whose mechanism the kernel
// already gave.
func judgeEvictionDetails(c *caseFile, sc *scene) {
	mech, conf, kill, notes := c.d.Mechanism, c.d.Confidence, c.d.Kill, c.d.Notes
	judgeEviction(c, sc)
	c.d.Mechanism, c.d.Confidence, c.d.Kill, c.d.Notes = mech, conf, kill, notes
}

// sidecarNote names the sidecar trap: in a Burstable pod each container's
// oom_score_adj comes from its own request, so a sidecar with a tiny request is the first
// victim of a node OOM even when the main container used the memory.
func sidecarNote(c *caseFile, sc *scene) string {
	st := latestStatus(c)
	v := c.d.Victim
	if v == nil || v.OOMScoreAdj == nil || *v.OOMScoreAdj < 900 || *v.OOMScoreAdj >= 1000 { // 1000 is BestEffort, not a small request
		return ""
	}
	if st != nil && st.neighbours != "" {
		return fmt.Sprintf("the victim had oom_score_adj %d while its pod neighbours (%s) had larger memory requests and lower scores: a container with a small request is killed first even when another container used the memory (the sidecar trap); give it a realistic request", *v.OOMScoreAdj, st.neighbours)
	}
	low := 1000
	if oom := sc.reports[c.d.Kernel]; oom != nil {
		for _, t := range oom.Tasks {
			if t.OOMScoreAdj > -997 && t.OOMScoreAdj < low {
				low = t.OOMScoreAdj
			}
		}
	}
	if low <= *v.OOMScoreAdj-500 {
		return fmt.Sprintf("the victim had oom_score_adj %d while other tasks in the report ran as low as %d: it was chosen for its score more than its size — if it is a sidecar with a tiny request next to a big container, that is the sidecar trap; give it a realistic request", *v.OOMScoreAdj, low)
	}
	return ""
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
		if !sameNode(p.Node, d.Node) || !(covers(&p.Pressure, t, sc.window) || slices.Contains(p.Evicted, me)) {
			continue
		}
		idx := i
		d.Eviction.Episode = &idx
		d.Eviction.RankedPods = rankingFor(p, me, t)
		for _, o := range p.Evicted {
			if o != me {
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
	out := append([]string{}, p.RankedPods...)
	for _, r := range p.rankings {
		if r.at.After(t.Add(time.Second)) {
			break
		}
		if slices.Contains(r.pods, pod) {
			out = append([]string{}, r.pods...)
		}
	}
	return out
}
