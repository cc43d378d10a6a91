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
	Pod *corev1.Pod
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
}

// First implements Event.
func (e *KubeEvent) First() Pos { return e.Pos }

var (
	_ Event = (*PodStatus)(nil)
	_ Event = (*KubeEvent)(nil)
)

func fromCoreEvent(pos Pos, e *corev1.Event) *KubeEvent {
	k := &KubeEvent{Pos: pos, Object: e.InvolvedObject, Reason: e.Reason, Message: e.Message, Type: e.Type,
		Component: e.Source.Component, Host: e.Source.Host, FirstTime: e.FirstTimestamp.Time, Count: e.Count}
	if k.Component == "" {
		k.Component = e.ReportingController
	}
	if k.Host == "" {
		k.Host = e.ReportingInstance
	}
	switch {
	case e.Series != nil && !e.Series.LastObservedTime.IsZero():
		k.LastTime, k.Count = e.Series.LastObservedTime.Time, e.Series.Count
	case !e.LastTimestamp.IsZero():
		k.LastTime = e.LastTimestamp.Time
	case !e.EventTime.IsZero():
		k.LastTime = e.EventTime.Time
	default:
		k.LastTime = e.CreationTimestamp.Time
	}
	if k.FirstTime.IsZero() {
		k.FirstTime = k.LastTime
	}
	return k
}

func fromEventsV1(pos Pos, e *eventsv1.Event) *KubeEvent {
	k := &KubeEvent{Pos: pos, Object: e.Regarding, Reason: e.Reason, Message: e.Note, Type: e.Type,
		Component: e.ReportingController, Host: e.ReportingInstance, FirstTime: e.DeprecatedFirstTimestamp.Time,
		Count: e.DeprecatedCount}
	if e.DeprecatedSource.Component != "" {
		k.Component, k.Host = e.DeprecatedSource.Component, e.DeprecatedSource.Host
	}
	switch {
	case e.Series != nil && !e.Series.LastObservedTime.IsZero():
		k.LastTime, k.Count = e.Series.LastObservedTime.Time, e.Series.Count
	case !e.DeprecatedLastTimestamp.IsZero():
		k.LastTime = e.DeprecatedLastTimestamp.Time
	case !e.EventTime.IsZero():
		k.LastTime = e.EventTime.Time
	default:
		k.LastTime = e.CreationTimestamp.Time
	}
	if k.FirstTime.IsZero() {
		k.FirstTime = k.LastTime
	}
	return k
}
