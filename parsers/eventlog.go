package parsers

import (
	"cmp"
	"encoding/json"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// EventsProgram marks bare lines that are Kubernetes Events as a log shipper writes them, one
// per line: Grafana Alloy's loki.source.kubernetes_events in logfmt or JSON.
const EventsProgram = "k8s-events"

// eventLogParser reads Alloy's event lines (internal/component/loki/source/kubernetes_events):
//
//	name=web-7d9f kind=Pod action= objectAPIversion=v1 objectRV=123 eventRV=456
//	reportinginstance= reportingcontroller= sourcecomponent=kubelet sourcehost=node1
//	reason=Evicted type=Warning count=1 msg="The node was low on resource: memory. …"
//
// or the same keys as one JSON object, or as a document's fields (Metricbeat's
// kubernetes.event in Elasticsearch, namespace included). The involved object's namespace is
// else the stream's "namespace" label, and the line's time (lastTimestamp, else eventTime)
// is the entry's.
// Whole Event objects (kubernetes-event-exporter) are read by the object decoder instead.
type eventLogParser struct{}

// eventLogTriggers: every such line names its reason (never as its first key).
var eventLogTriggers = []string{" reason=", `"reason":`}

func (eventLogParser) Busy() bool { return false }
func (eventLogParser) Flush(Out)  {}

func (eventLogParser) Feed(m *Message, out Out) {
	if m.Program != EventsProgram {
		return
	}
	kv, ok := m.Fields, m.Fields != nil // a document's fields need no reading
	if !ok {
		kv, ok = eventFields(m.Text)
	}
	if !ok {
		out.Warn(Warning{Line: m.Line, Message: "event line in neither logfmt nor JSON, skipped"})
		return
	}
	e := &KubeEvent{Pos: Pos{m.Input, m.Line}, Reason: kv["reason"], Type: kv["type"], Message: kv["msg"],
		Component: cmp.Or(kv["reportingcontroller"], kv["sourcecomponent"]), Host: cmp.Or(kv["sourcehost"], kv["reportinginstance"]),
		FirstTime: m.Wall, LastTime: m.Wall, Count: 1}
	e.Object = corev1.ObjectReference{Kind: kv["kind"], Name: kv["name"], Namespace: m.Labels["namespace"], APIVersion: kv["objectAPIversion"]}
	if m.Fields != nil {
		e.Object.Namespace = m.Fields["namespace"]
	}
	if n, err := strconv.Atoi(kv["count"]); err == nil {
		e.Count = int32(n)
	}
	if e.Reason == "" || e.Object.Name == "" {
		out.Warn(Warning{Line: m.Line, Message: "event line without reason or object, skipped"})
		return
	}
	if !MemoryEventReasons[e.Reason] {
		return
	}
	ev := m.Evidence(RoleEvent)
	e.Line = &ev
	e.Line.Floating = false // the entry time carries its zone
	out.Event(e)
}

// eventFields reads logfmt (values bare or Go-quoted) or a flat JSON object.
func eventFields(line string) (map[string]string, bool) {
	line = strings.TrimSpace(line)
	if strings.HasPrefix(line, "{") {
		var raw map[string]any
		if json.Unmarshal([]byte(line), &raw) != nil {
			return nil, false
		}
		kv := map[string]string{}
		for k, v := range raw {
			switch x := v.(type) {
			case string:
				kv[k] = x
			case float64:
				kv[k] = strconv.FormatFloat(x, 'f', -1, 64)
			}
		}
		return kv, true
	}
	kv := parseKV(line)
	return kv, len(kv) > 0
}
