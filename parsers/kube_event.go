package parsers

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
)

// PodStatus is one Pod object as an API server returned it (kubectl get pods -o json|yaml,
// a must-gather): its containers' states, QoS class, node, requests and limits.
type PodStatus struct {
	Pos Pos
	Pod PodFacts // decoded here, so the API types stop at the parser layer
	// Human names the kubectl output the Pod was read from ("kubectl describe pod", "kubectl
	// get pods"), "" for an API object; such a Pod holds only what that output shows.
	Human string
	// RestartAge is when the last restart happened, relative to when kubectl ran (the
	// RESTARTS column's "2 (19s ago)"); nil when not shown.
	RestartAge *Age
}

// First implements Event.
func (p *PodStatus) First() Pos { return p.Pos }

// KubeEvent is one Kubernetes Event, core/v1 or events.k8s.io/v1, in one shape.
type KubeEvent struct {
	Pos       Pos
	Object    corev1.ObjectReference // what the event is about (involvedObject / regarding)
	Reason    string
	Message   string // message (core/v1) or note (events.k8s.io/v1)
	Type      string // Normal or Warning
	Component string // source.component / reportingController
	Host      string // source.host / reportingInstance: the node for kubelet events
	FirstTime time.Time
	LastTime  time.Time // series.lastObservedTime, else lastTimestamp, eventTime, creationTimestamp
	Count     int32
	// Annotations are the Event object's: the kubelet's Evicted Event carries
	// offending_containers, offending_containers_usage, starved_resource (and offending_pod,
	// offending_pod_usage for pod-level resources).
	Annotations map[string]string
	// Line is the log line the event came from when a kubelet log recorded it ("Event
	// occurred"); nil for Event objects.
	Line *Evidence
	// Human names the kubectl output the Event was read from ("kubectl describe pod",
	// "kubectl get events"), "" for an API object or a log line.
	Human string
	// Age is when the Event happened relative to when kubectl ran, for a table that prints
	// ages; FirstTime and LastTime are zero then, unless --now gave that moment.
	Age *Age
	// Kernel holds the kernel reports node-problem-detector quotes in an OOMKilling Event
	// (see readNPDKill), nil for every other Event.
	Kernel []*KernelOOM
	// Eviction and EvictionAnnotations are what an Evicted Event's message and annotations
	// say; zero and nil for other Events.
	Eviction            Eviction
	EvictionAnnotations *EvictionAnnotations
	// OOMVictim is the process a SystemOOM or CgroupOOM Event names; nil when it names none
	// and for other Events.
	OOMVictim *OOMVictim
}

// First implements Event.
func (e *KubeEvent) First() Pos { return e.Pos }

// NodeMemory is a node's memory capacity and allocatable as kubectl describe node shows
// them: what the kubelet could give pods before it evicts, next to what the node has.
type NodeMemory struct {
	Pos         Pos
	Node        string
	Capacity    string // "8148452Ki", "" when not shown
	Allocatable string
}

// First implements Event.
func (n *NodeMemory) First() Pos { return n.Pos }

var (
	_ Event = (*PodStatus)(nil)
	_ Event = (*KubeEvent)(nil)
	_ Event = (*NodeMemory)(nil)
)

func fromCoreEvent(pos Pos, e *corev1.Event) *KubeEvent {
	k := &KubeEvent{Pos: pos, Object: e.InvolvedObject, Reason: e.Reason, Message: e.Message, Type: e.Type,
		Component: e.Source.Component, Host: e.Source.Host, FirstTime: e.FirstTimestamp.Time, Count: e.Count,
		Annotations: e.Annotations}
	if k.Component == "" {
		k.Component = e.ReportingController
	}
	if k.Host == "" {
		k.Host = e.ReportingInstance
	}
	var seriesLast time.Time
	var seriesCount int32
	if e.Series != nil {
		seriesLast, seriesCount = e.Series.LastObservedTime.Time, e.Series.Count
	}
	k.pickTimes(seriesLast, seriesCount, e.LastTimestamp.Time, e.EventTime.Time, e.CreationTimestamp.Time)
	return k
}

func fromEventsV1(pos Pos, e *eventsv1.Event) *KubeEvent {
	k := &KubeEvent{Pos: pos, Object: e.Regarding, Reason: e.Reason, Message: e.Note, Type: e.Type,
		Component: e.ReportingController, Host: e.ReportingInstance, FirstTime: e.DeprecatedFirstTimestamp.Time,
		Count: e.DeprecatedCount, Annotations: e.Annotations}
	if e.DeprecatedSource.Component != "" {
		k.Component, k.Host = e.DeprecatedSource.Component, e.DeprecatedSource.Host
	}
	var seriesLast time.Time
	var seriesCount int32
	if e.Series != nil {
		seriesLast, seriesCount = e.Series.LastObservedTime.Time, e.Series.Count
	}
	k.pickTimes(seriesLast, seriesCount, e.DeprecatedLastTimestamp.Time, e.EventTime.Time, e.CreationTimestamp.Time)
	return k
}

// pickTimes sets when the event last happened: a series' last observation (with its count),
// else lastTimestamp (legacy recorders, the kubelet's), eventTime (new-API recorders), and
// creationTimestamp as the last resort.
func (k *KubeEvent) pickTimes(seriesLast time.Time, seriesCount int32, last, eventTime, created time.Time) {
	switch {
	case !seriesLast.IsZero():
		k.LastTime, k.Count = seriesLast, seriesCount
	case !last.IsZero():
		k.LastTime = last
	case !eventTime.IsZero():
		k.LastTime = eventTime
	default:
		k.LastTime = created
	}
	if k.FirstTime.IsZero() {
		k.FirstTime = k.LastTime
	}
}
