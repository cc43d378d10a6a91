package parsers

import (
	"regexp"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
)

// MemoryEventReasons are the Event reasons that can explain, or rule out, a memory death
// (docs/formats.md §7.1). Events with other reasons are not evidence.
var MemoryEventReasons = map[string]bool{
	"Evicted": true, "Killing": true, "OOMKilling": true, "SystemOOM": true,
	"EvictionThresholdMet": true, "NodeHasInsufficientMemory": true, "NodeHasSufficientMemory": true,
	"Preempting": true, "Preempted": true, "Unhealthy": true, "BackOff": true,
	"PreemptContainer": true, "ContainerGCFailed": true, "Shutdown": true, "CgroupOOM": true,
}

// The event broadcaster's log line, printf era (StartLogging):
// Event(v1.ObjectReference{Kind:"Pod", Namespace:"ns", Name:"n", UID:"u", APIVersion:"v1",
// ResourceVersion:"1", FieldPath:""}): type: 'Warning' reason: 'Evicted' message text
var reEventPrintf = regexp.MustCompile(`^Event\(v1\.ObjectReference\{(.*?)\}\): type: '(\w*)' reason: '(\w*)' ?(.*)$`)
var reRefField = regexp.MustCompile(`(\w+):"((?:[^"\\]|\\.)*)"`)

// eventLine turns a kubelet "Event occurred" line into the same KubeEvent an Event object
// gives, so that kubelet logs with events (V(3)) and archived Events read alike. The
// line's time is the event's time.
func eventLine(m *Message, k *klogLine) (Event, *Warning) {
	e := &KubeEvent{Pos: Pos{m.Input, m.Line}, Host: m.Host, FirstTime: m.Wall, LastTime: m.Wall, Count: 1}
	if k.Structured {
		e.Reason, e.Type, e.Message = k.KV["reason"], k.KV["type"], k.KV["message"]
		e.Object = corev1.ObjectReference{Kind: k.KV["kind"], APIVersion: k.KV["apiVersion"], FieldPath: k.KV["fieldPath"]}
		obj := k.KV["object"]
		if ns, name, ok := strings.Cut(obj, "/"); ok {
			e.Object.Namespace, e.Object.Name = ns, name
		} else {
			e.Object.Name = obj
		}
	} else {
		sm := reEventPrintf.FindStringSubmatch(k.Msg)
		if sm == nil {
			return nil, &Warning{Line: m.Line, Message: "kubelet event line not understood, skipped"}
		}
		for _, f := range reRefField.FindAllStringSubmatch(sm[1], -1) {
			switch f[1] {
			case "Kind":
				e.Object.Kind = f[2]
			case "Namespace":
				e.Object.Namespace = f[2]
			case "Name":
				e.Object.Name = f[2]
			case "UID":
				e.Object.UID = types.UID(f[2])
			case "FieldPath":
				e.Object.FieldPath = f[2]
			}
		}
		e.Type, e.Reason, e.Message = sm[2], sm[3], sm[4]
	}
	if !MemoryEventReasons[e.Reason] {
		return nil, nil
	}
	if e.Object.Name == "" || e.Object.Kind == "" {
		return nil, &Warning{Line: m.Line, Message: "kubelet event line without an object, skipped"}
	}
	e.Component = "kubelet"
	ev := m.Evidence(RoleEvent)
	e.Line = &ev
	return e, nil
}
