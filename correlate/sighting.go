package correlate

import (
	"fmt"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"

	"github.com/k8s-coroner/coroner/parsers"
)

// A sighting is one source's word about one container (or pod) death: a termination in pod
// status, an eviction, a kill by the kubelet, a failed probe, an OOM or exit seen by the
// runtime. Sightings of one death merge into it; which of them a death has decides its
// mechanism when no kernel report does.
type sighting struct {
	kind                         sightKind
	node, namespace, pod, podUID string
	container, containerID       string
	idPrefix                     bool // containerID is a prefix (conmon prints 20 characters)
	runtime                      string
	at, from                     time.Time // when; from is the first time of a repeated event
	ev                           report.Evidence
	status                       *statusDeath
	message                      string           // eviction message, kill reason, probe output
	eviction                     parsers.Eviction // what an eviction's message says; zero for other kinds
	probe                        string           // Liveness, Startup
	exitCode                     *int
	byKubelet                    bool // from the kubelet's own log, not an Event or pod status
	component                    string
	evictionNotes                *parsers.EvictionAnnotations // an Evicted Event's offending_* and starved_resource
	qos                          string                       // pod status: the QoS class
	memcg                        bool                         // the OOM was inside a memory cgroup below the root (a CgroupOOM Event)
	oomVictim                    *parsers.OOMVictim           // the process a CgroupOOM Event names
	human                        string                       // the kubectl output it was read from ("kubectl get pods"), "" for objects and logs
}

type sightKind int

const (
	seenTerminated sightKind = iota // pod status: a container terminated
	seenRuntimeOOM                  // runtime or systemd: an OOM kill in the container's cgroup
	seenEvicted                     // the kubelet evicted the pod
	seenPreempted                   // the kubelet preempted the pod for a critical pod
	seenKilling                     // the kubelet killed (stopped) the container
	seenProbe                       // a liveness or startup probe failed
	seenShutdown                    // node shutdown killed the pod
	seenDied                        // PLEG: the container died
	seenExit                        // the runtime saw the container's init process exit
	seenBackOff                     // the container is in a restart back-off
)

// podLevel sightings are about every container of the pod.
func (s *sighting) podLevel() bool {
	return s.kind == seenEvicted || s.kind == seenPreempted || s.kind == seenShutdown
}

// creates says whether the sighting alone is a death worth a report; the others only add to
// a death that something else established.
func (s *sighting) creates() bool {
	switch s.kind {
	case seenTerminated, seenRuntimeOOM, seenEvicted, seenPreempted, seenShutdown:
		return true
	case seenKilling:
		return probeKillReason(s.message) != ""
	case seenDied, seenExit:
		// A SIGKILL the runtime or the PLEG saw is a death to explain, even with nothing else.
		return s.exitCode != nil && *s.exitCode == 137
	}
	return false
}

// sightingsOf turns the Kubernetes-side events into sightings, and collects what belongs to
// the node rather than a container (pressure, node OOMs) for the pressure episodes.
func sightingsOf(events []parsers.Event, statuses []statusDeath) ([]sighting, []nodeFact) {
	var out []sighting
	var facts []nodeFact
	for i := range statuses {
		s := &statuses[i]
		out = append(out, sighting{kind: seenTerminated, node: s.node, namespace: s.namespace, pod: s.pod, podUID: s.podUID,
			container: s.container, containerID: s.containerID, runtime: s.runtime, at: s.finished, ev: statusEvidence(*s), status: s,
			human: s.human})
		if s.podReason == "Evicted" || s.podReason == "Preempting" {
			kind := seenEvicted
			if s.podReason == "Preempting" {
				kind = seenPreempted
			}
			out = append(out, sighting{kind: kind, node: s.node, namespace: s.namespace, pod: s.pod, podUID: s.podUID,
				at: s.finished, ev: statusEvidence(*s), message: s.podMessage, eviction: s.podEviction, component: "pod status", human: s.human})
		}
	}
	for _, ev := range events {
		switch e := ev.(type) {
		case *parsers.PodStatus:
			s, f, ok := podLevelStatus(e, statuses)
			switch {
			case ok && f.refused != "":
				facts = append(facts, f)
			case ok:
				out = append(out, s)
			}
		case *parsers.KubeletLine:
			if s, ok := kubeletSighting(e); ok {
				out = append(out, s)
				for _, p := range e.Pods { // "pods a, b evicted, waiting for pod to be cleaned up"
					if e.Kind == parsers.KubeletEvicted && p != e.Pod {
						o := s
						o.namespace, o.pod, o.podUID = p.Namespace, p.Name, p.UID
						out = append(out, o)
					}
				}
			} else {
				facts = append(facts, nodeFact{kubelet: e, node: e.Host, at: e.Evidence.Wall, ev: lineEvidence(e.Evidence)})
			}
		case *parsers.RuntimeLine:
			if s, ok := runtimeSighting(e); ok {
				out = append(out, s)
			}
		case *parsers.KubeEvent:
			if !parsers.MemoryEventReasons[e.Reason] {
				continue
			}
			if s, ok := eventSighting(e); ok {
				out = append(out, s)
			} else {
				facts = append(facts, nodeFact{event: e, node: e.Node(), at: e.LastTime, ev: eventEvidence(e)})
			}
		}
	}
	return out, facts
}

func lineEvidence(e parsers.Evidence) report.Evidence {
	ev := report.Evidence{Input: e.Input, Line: e.Line, Role: e.Role, Text: e.Text}
	ev.Time, ev.Boot = clocksOf(e)
	return ev
}

func kubeletSighting(l *parsers.KubeletLine) (sighting, bool) {
	s := sighting{node: l.Host, namespace: l.Pod.Namespace, pod: l.Pod.Name, podUID: l.Pod.UID, container: l.Container,
		containerID: l.ContainerID, runtime: l.Runtime, at: l.Evidence.Wall, ev: lineEvidence(l.Evidence), byKubelet: true,
		message: l.Message, eviction: l.Eviction, component: "kubelet"}
	switch l.Kind {
	case parsers.KubeletEvicted, parsers.KubeletEvicting:
		s.kind = seenEvicted
	case parsers.KubeletKilling:
		s.kind = seenKilling
	case parsers.KubeletProbeFailed:
		if l.ProbeType != "Liveness" && l.ProbeType != "Startup" {
			return s, false // a failed readiness probe kills nothing
		}
		s.kind, s.probe = seenProbe, l.ProbeType
	case parsers.KubeletContainerDied:
		s.kind, s.exitCode = seenDied, l.ExitCode
	case parsers.KubeletPreempting:
		s.kind = seenPreempted
	case parsers.KubeletShutdownKill:
		s.kind = seenShutdown
	default:
		return s, false
	}
	return s, true
}

func runtimeSighting(r *parsers.RuntimeLine) (sighting, bool) {
	s := sighting{node: r.Host, containerID: r.ContainerID, idPrefix: r.IDPrefix, at: r.Evidence.Wall,
		ev: lineEvidence(r.Evidence), component: r.Source}
	if r.Unit != "" {
		cg := r.UnitCgroup
		if cg.ContainerID == "" && cg.PodUID == "" {
			return s, false // not a container or pod unit
		}
		s.containerID, s.podUID, s.runtime = cg.ContainerID, cg.PodUID, cg.Runtime
	}
	switch r.Kind {
	case parsers.RuntimeOOM:
		s.kind = seenRuntimeOOM
	default: // created, sandbox exits: facts about IDs (containerIndex), no sighting
		return s, false
	case parsers.RuntimeExit:
		s.kind, s.exitCode = seenExit, r.ExitStatus
		if !r.ExitedAt.IsZero() {
			s.at = r.ExitedAt
		}
	}
	switch r.Source {
	case "containerd":
		s.runtime = "containerd"
	case "conmon", "cri-o": // conmon is CRI-O's monitor
		s.runtime = "cri-o"
	}
	return s, s.containerID != "" || s.podUID != ""
}

// eventSighting reads a pod Event; node Events and Events of other objects are node facts.
func eventSighting(e *parsers.KubeEvent) (sighting, bool) {
	if e.Object.Kind != "Pod" {
		return sighting{}, false
	}
	s := sighting{node: e.Node(), namespace: e.Object.Namespace, pod: e.Object.Name, podUID: string(e.Object.UID),
		container: parsers.ContainerOfFieldPath(e.Object.FieldPath), at: e.LastTime, from: e.FirstTime, ev: eventEvidence(e),
		message: e.Message, eviction: e.Eviction, component: e.Component, evictionNotes: e.EvictionAnnotations, human: e.Human}
	switch e.Reason {
	case "Evicted":
		if e.Eviction.Admission {
			return s, false // refused at admission: pressure, not a death
		}
		s.kind = seenEvicted
	case "Killing":
		s.kind = seenKilling
	case "CgroupOOM": // the kubelet's OOM watcher, for a kill inside the pod's cgroup: "Cgroup OOM encountered, victim process: x, pid: N"
		s.kind, s.memcg, s.oomVictim = seenRuntimeOOM, true, e.OOMVictim
	case "Unhealthy":
		switch {
		case strings.HasPrefix(e.Message, "Liveness probe"):
			s.kind, s.probe = seenProbe, "Liveness"
		case strings.HasPrefix(e.Message, "Startup probe"):
			s.kind, s.probe = seenProbe, "Startup"
		default:
			return s, false
		}
	case "Preempting", "Preempted", "PreemptContainer":
		s.kind = seenPreempted
	case "BackOff":
		s.kind = seenBackOff
	default:
		return s, false
	}
	return s, true
}

// eventEvidence quotes an Event as a line of proof: the kubelet's log line when it came from
// one, else the object's position and a one-line rendering.
func eventEvidence(e *parsers.KubeEvent) report.Evidence {
	if e.Line != nil {
		ev := lineEvidence(*e.Line)
		ev.Role = parsers.EventRole(e.Reason)
		if e.Age != nil && ev.Time == nil {
			ev.Age = e.Age.Text
		}
		return ev
	}
	ev := report.Evidence{Input: e.Pos.Input, Line: e.Pos.Line, Role: parsers.EventRole(e.Reason), Text: e.Quote()}
	if !e.LastTime.IsZero() {
		t := e.LastTime.UTC()
		ev.Time = &t
	}
	return ev
}

// probeKillReason reads why the kubelet killed a container from a Killing event's message
// (kuberuntime: "Container x failed liveness probe, will be restarted", "Stopping container
// x"); "" when the kill was an ordinary stop.
func probeKillReason(msg string) string {
	switch {
	case strings.Contains(msg, "failed liveness probe"):
		return "liveness-probe"
	case strings.Contains(msg, "failed startup probe"):
		return "startup-probe"
	}
	return ""
}

// podLevelStatus reads what a Pod says beyond its containers' terminations: a pod refused at
// admission ("The node had condition: [DiskPressure]", which never ran) is pressure on its
// node, not a death; an evicted pod whose containers show no termination is still an
// eviction of the pod.
func podLevelStatus(ps *parsers.PodStatus, statuses []statusDeath) (sighting, nodeFact, bool) {
	p := &ps.Pod
	if p.Reason != "Evicted" {
		return sighting{}, nodeFact{}, false
	}
	at := p.EvictedAt
	ev := report.Evidence{Input: ps.Pos.Input, Line: ps.Pos.Line, Role: parsers.RolePodStatus,
		Text: fmt.Sprintf("pod %s/%s: %s: %s", p.Namespace, p.Name, p.Reason, strings.TrimSpace(p.Message))}
	if !at.IsZero() {
		t := at.UTC()
		ev.Time = &t
	}
	if m := p.Eviction; m.Admission {
		if at.IsZero() { // it never ran: it was refused when it was created
			at = p.Created
			if !at.IsZero() {
				t := at.UTC()
				ev.Time = &t
			}
		}
		return sighting{}, nodeFact{node: p.Node, at: at, ev: ev, refused: p.Namespace + "/" + p.Name, conditions: m.ConditionResources}, true
	}
	for _, st := range statuses {
		if st.pos == ps.Pos {
			return sighting{}, nodeFact{}, false // its containers' terminations carry the eviction
		}
	}
	return sighting{kind: seenEvicted, node: p.Node, namespace: p.Namespace, pod: p.Name, podUID: p.UID,
		at: at, ev: ev, message: p.Message, eviction: p.Eviction, component: "pod status", qos: strings.ToLower(p.QoS),
		human: ps.Human}, nodeFact{}, true
}
