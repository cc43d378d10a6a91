package parsers

import (
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// Rows read by their cells' shapes, for tables whose header the paste left out or whose
// alignment it lost: an Event type is Normal or Warning, an age is a short duration, a
// READY cell is "n/m", an OBJECT is "kind/name".

type field struct {
	text  string
	start int
}

// fieldsAt splits a line at white space, keeping where each field starts.
func fieldsAt(s string) []field {
	var out []field
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		if j > i {
			out = append(out, field{s[i:j], i})
		}
		i = j
	}
	return out
}

func isEventType(s string) bool { return s == "Normal" || s == "Warning" }

// isReason: an Event reason is one CamelCase word.
func isReason(s string) bool {
	if s == "" || !(s[0] >= 'A' && s[0] <= 'Z') {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// takeAge reads an age at f[i], with describe's "(xN over D)" after it; it returns the
// index after it.
func takeAge(f []field, i int) (Age, int, bool) {
	if i >= len(f) {
		return Age{}, i, false
	}
	a, ok := parseAge(f[i].text)
	if !ok {
		return a, i, false
	}
	if i+3 < len(f) && strings.HasPrefix(f[i+1].text, "(x") && f[i+2].text == "over" && strings.HasSuffix(f[i+3].text, ")") {
		if r, ok := parseAge(f[i].text + " " + f[i+1].text + " " + f[i+2].text + " " + f[i+3].text); ok {
			return r, i + 4, true
		}
	}
	return a, i + 1, true
}

// takeSource reads describe's From: "kubelet", "kubelet, node1", "{kubelet node1}".
func takeSource(f []field, i int) (string, int) {
	if i >= len(f) {
		return "", i
	}
	switch {
	case strings.HasPrefix(f[i].text, "{"):
		j := i
		for j < len(f) && !strings.HasSuffix(f[j].text, "}") {
			j++
		}
		if j == len(f) {
			return f[i].text, i + 1
		}
		return joinFields(f[i : j+1]), j + 1
	case strings.HasSuffix(f[i].text, ",") && i+1 < len(f):
		return f[i].text + " " + f[i+1].text, i + 2
	}
	return f[i].text, i + 1
}

func joinFields(f []field) string {
	var parts []string
	for _, x := range f {
		parts = append(parts, x.text)
	}
	return strings.Join(parts, " ")
}

// rest is the line from field i on, as written.
func rest(t string, f []field, i int) string {
	if i >= len(f) {
		return ""
	}
	return strings.TrimSpace(t[f[i].start:])
}

// describeEventRow reads a row of describe's Events table: "Warning  Evicted  7m24s
// kubelet  The node was low on resource: memory. …", or in the 2015–2016 layout
// "1m  1m  1  {kubelet node1}  spec.containers{nginx}  Warning  BackOff  …".
func describeEventRow(t string, old bool) (*KubeEvent, bool) {
	f := fieldsAt(t)
	if len(f) >= 3 && isEventType(f[0].text) && isReason(f[1].text) {
		age, i, ok := takeAge(f, 2)
		if !ok {
			return nil, false
		}
		src, i := takeSource(f, i)
		e := &KubeEvent{Type: f[0].text, Reason: f[1].text, Age: &age, Message: rest(t, f, i)}
		e.Component, e.Host = eventSource(src)
		return e, true
	}
	if !old && !(len(f) > 0 && looksOldEventRow(f)) {
		return nil, false
	}
	return oldDescribeEventRow(t, f)
}

func looksOldEventRow(f []field) bool {
	if len(f) < 5 {
		return false
	}
	_, i, ok := takeAge(f, 0)
	if !ok {
		return false
	}
	_, i, ok = takeAge(f, i)
	return ok && i < len(f) && isDigits(f[i].text)
}

// oldDescribeEventRow: FirstSeen LastSeen Count From [SubobjectPath] [Type] Reason Message;
// the first two are ages, or in kubectl 1.0–1.1 RFC 1123 dates.
func oldDescribeEventRow(t string, f []field) (*KubeEvent, bool) {
	e := &KubeEvent{}
	i := 0
	first, i, ok := takeAgeOrDate(t, f, i, e, true)
	if !ok {
		return nil, false
	}
	last, i, ok := takeAgeOrDate(t, f, i, e, false)
	if !ok || i >= len(f) || !isDigits(f[i].text) {
		return nil, false
	}
	n, _ := strconv.Atoi(f[i].text)
	e.Count = int32(n)
	i++
	src, i := takeSource(f, i)
	e.Component, e.Host = eventSource(src)
	if i < len(f) && (strings.Contains(f[i].text, "{") || strings.HasPrefix(f[i].text, "spec.")) {
		e.Object.FieldPath = f[i].text
		i++
	}
	if i < len(f) && isEventType(f[i].text) {
		e.Type = f[i].text
		i++
	}
	if i >= len(f) || !isReason(f[i].text) {
		return nil, false
	}
	e.Reason = f[i].text
	e.Message = rest(t, f, i+1)
	if last != nil {
		a := *last
		if first != nil {
			a.First = first.Last
		}
		a.Count = e.Count
		e.Age = &a
	}
	return e, true
}

// takeAgeOrDate reads an age, or a "Thu, 12 Nov 2015 10:11:12 +0000" date (six fields) that it
// puts in the Event's times itself.
func takeAgeOrDate(t string, f []field, i int, e *KubeEvent, first bool) (*Age, int, bool) {
	if i+5 < len(f) && strings.HasSuffix(f[i].text, ",") {
		at := parseDescribeTime(t[f[i].start : f[i+5].start+len(f[i+5].text)])
		if !at.IsZero() {
			if first {
				e.FirstTime = at
			} else {
				e.LastTime = at
			}
			return nil, i + 6, true
		}
	}
	a, j, ok := takeAge(f, i)
	if !ok || j != i+1 {
		return nil, i, false
	}
	return &a, j, true
}

// getEventRowTokens reads a kubectl get events row without its header: "[namespace]
// 4m11s  Warning  Evicted  pod/egg  The node was low on resource: memory. …".
func getEventRowTokens(t string) (*KubeEvent, bool) {
	f := fieldsAt(t)
	for start := 0; start <= 1 && start < len(f); start++ {
		age, i, ok := takeAge(f, start)
		if !ok || i+2 >= len(f) {
			continue
		}
		if !isEventType(f[i].text) || !isReason(f[i+1].text) || !strings.Contains(f[i+2].text, "/") {
			continue
		}
		e := &KubeEvent{Type: f[i].text, Reason: f[i+1].text, Age: &age, Object: objectRef(f[i+2].text),
			Message: rest(t, f, i+3)}
		if start == 1 {
			e.Object.Namespace = f[0].text
		}
		return e, true
	}
	return nil, false
}

// oldGetEventRowTokens reads a row of kubectl get events before 1.14, whose alignment a paste
// lost: "5m  5m  1  name.hash  Pod  [spec.containers{c}]  Warning  Evicted  kubelet, node-7
// message".
func oldGetEventRowTokens(t string) (*KubeEvent, bool) {
	f := fieldsAt(t)
	last, i, ok := takeAge(f, 0)
	if !ok {
		return nil, false
	}
	first, i, ok := takeAge(f, i)
	if !ok || i+4 >= len(f) || !isDigits(f[i].text) {
		return nil, false
	}
	n, _ := strconv.Atoi(f[i].text)
	e := &KubeEvent{Count: int32(n)}
	e.Object.Name, e.Object.Kind = eventObjectName(f[i+1].text), f[i+2].text
	i += 3
	if strings.Contains(f[i].text, "{") || strings.HasPrefix(f[i].text, "spec.") {
		e.Object.FieldPath = f[i].text
		i++
	}
	if i+1 >= len(f) || !isEventType(f[i].text) || !isReason(f[i+1].text) {
		return nil, false
	}
	e.Type, e.Reason = f[i].text, f[i+1].text
	src, i := takeSource(f, i+2)
	e.Component, e.Host = eventSource(src)
	e.Message = rest(t, f, i)
	last.First, last.Count = first.Last, e.Count
	e.Age = &last
	return e, true
}

// A podRow is what a kubectl get pods row shows of a pod.
type podRow struct {
	namespace, name, status, restarts, node string
	reason, message                         string // -o custom-columns only
	custom                                  bool
}

// podRowTokens reads a kubectl get pods row without its header: "[namespace] name  0/1
// OOMKilled  2 (19s ago)  28s  [ip  node  nominated  gates]".
func podRowTokens(t string) (podRow, bool) {
	f := fieldsAt(t)
	for r := 1; r <= 2 && r+2 < len(f); r++ {
		if !isReady(f[r].text) || !isPodName(f[r-1].text) {
			continue
		}
		row := podRow{name: f[r-1].text, status: f[r+1].text}
		if r == 2 {
			row.namespace = f[0].text
		}
		i := r + 2
		if !isDigits(f[i].text) {
			return podRow{}, false
		}
		row.restarts = f[i].text
		i++
		if i+1 < len(f) && strings.HasPrefix(f[i].text, "(") && f[i+1].text == "ago)" {
			row.restarts += " " + f[i].text + " " + f[i+1].text
			i += 2
		}
		if i >= len(f) {
			return podRow{}, false
		}
		if _, ok := parseAge(f[i].text); !ok {
			return podRow{}, false
		}
		if i+2 < len(f) { // -o wide: IP, NODE
			row.node = f[i+2].text
		}
		return row, true
	}
	return podRow{}, false
}

// looksLikeRow: a line that is a row of its own, not the rest of the one before.
func looksLikeRow(t string) bool {
	if _, ok := describeEventRow(t, false); ok {
		return true
	}
	if _, ok := getEventRowTokens(t); ok {
		return true
	}
	_, ok := podRowTokens(t)
	return ok
}

// headerlessRow reads a row that came without its table's header.
func (k *kubectlReader) headerlessRow(line int, s, t string) bool {
	if e, ok := describeEventRow(t, false); ok {
		k.describedEvent(nil, e, line, t)
		return true
	}
	if e, ok := getEventRowTokens(t); ok {
		k.queueEvent(e, line, t, "kubectl get events output")
		return true
	}
	if e, ok := bareEventRow(t); ok {
		k.queueEvent(e, line, t, "a pasted Event")
		return true
	}
	if r, ok := podRowTokens(t); ok {
		k.podRow(line, r)
		return true
	}
	return k.looseLine(line, t)
}

// nodeReasons are the Event reasons recorded on the Node (the kubelet's and NPD's).
var nodeReasons = map[string]bool{"SystemOOM": true, "EvictionThresholdMet": true, "NodeHasInsufficientMemory": true,
	"NodeHasSufficientMemory": true, "OOMKilling": true, "ContainerGCFailed": true, "NodeHasDiskPressure": true,
	"NodeNotReady": true, "Rebooted": true, "KernelOops": true}

// describedEvent passes on a row of describe's Events: it is about the described object, or,
// in a cut paste, the pod or node its reason belongs to.
func (k *kubectlReader) describedEvent(b *describeBlock, e *KubeEvent, line int, row string) {
	human := "kubectl describe"
	switch {
	case b != nil:
		k.queueEvent(e, line, row, human)
		k.pendDesc = b // named when the block ends
		return
	case k.target.Kind != "" && strings.Contains(k.command, "describe"):
		e.Object = k.target
		human += " " + strings.ToLower(k.target.Kind)
	case nodeReasons[e.Reason]:
		e.Object = corev1.ObjectReference{Kind: "Node", Name: e.Host}
	default:
		e.Object = corev1.ObjectReference{Kind: "Pod", Namespace: k.namespace}
	}
	if e.Object.Kind == "Node" && e.Host == "" && e.Component == "kubelet" {
		e.Host = e.Object.Name
	}
	setFieldPath(e)
	k.queueEvent(e, line, row, human+" output")
}

// setFieldPath names the container of a pod's Event from its message, as the Event object's
// involvedObject.fieldPath would.
func setFieldPath(e *KubeEvent) {
	if e.Object.Kind == "Pod" && e.Object.FieldPath == "" {
		if c := eventContainer(e.Message); c != "" {
			e.Object.FieldPath = "spec.containers{" + c + "}"
		}
	}
}

// eventContainer reads the container a kubelet Event message names ("Stopping container
// x", "Container x failed liveness probe, will be restarted").
func eventContainer(msg string) string {
	for _, p := range []string{"Stopping container ", "Killing container ", "Created container ", "Started container "} {
		if r, ok := strings.CutPrefix(msg, p); ok {
			return firstWord(r)
		}
	}
	if r, ok := strings.CutPrefix(msg, "Container "); ok && strings.Contains(r, " failed ") {
		return firstWord(r)
	}
	return ""
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, " \t,"); i >= 0 {
		return s[:i]
	}
	return s
}

// queueEvent holds an Event row until the next line says whether its message continues.
// The row itself is its evidence.
func (k *kubectlReader) queueEvent(e *KubeEvent, line int, row, human string) {
	k.flushPending()
	e.Pos, e.Human = Pos{k.input, line}, human
	e.Line = &Evidence{Pos: e.Pos, Text: row, Body: row, Role: RoleEvent}
	if e.Object.Namespace == "" && e.Object.Kind == "Pod" {
		e.Object.Namespace = k.namespace
	}
	if e.Type == "" {
		e.Type = "Normal"
	}
	k.pending = e
}

// podRow turns a get pods row into the Pod it shows: an evicted pod, or a container that was
// OOMKilled or whose status was lost (ContainerStatusUnknown, which the kubelet gives exit
// code 137). Other states are no memory evidence.
func (k *kubectlReader) podRow(line int, r podRow) {
	if r.namespace == "" {
		r.namespace = k.namespace
	}
	status := strings.TrimPrefix(r.status, "Init:")
	p := &corev1.Pod{}
	p.Kind, p.Name, p.Namespace, p.Spec.NodeName = "Pod", r.name, r.namespace, r.node
	if p.Spec.NodeName == "<none>" {
		p.Spec.NodeName = ""
	}
	restarts, ago, _ := strings.Cut(r.restarts, " ")
	n, _ := strconv.Atoi(restarts)
	cs := corev1.ContainerStatus{RestartCount: int32(n)}
	reason := r.reason
	if reason == "" {
		reason = status
	}
	switch {
	case reason == "Evicted":
		p.Status.Reason, p.Status.Message = "Evicted", r.message
	case reason == "OOMKilled":
		cs.State.Terminated = &corev1.ContainerStateTerminated{Reason: "OOMKilled"}
	case reason == "ContainerStatusUnknown":
		cs.State.Terminated = &corev1.ContainerStateTerminated{Reason: "ContainerStatusUnknown", ExitCode: 137}
	case r.custom && r.message != "" && isEvictionMessage(r.message):
		p.Status.Reason, p.Status.Message = "Evicted", r.message
	default:
		return
	}
	key := "pod|" + r.namespace + "/" + r.name + "|" + reason + "|" + restarts + "|" + r.message
	if k.seenRows[key] {
		return
	}
	k.seenRows[key] = true
	human := "kubectl get pods output"
	if r.custom {
		human = "kubectl get pods -o custom-columns output"
	}
	if cs.State.Terminated != nil {
		if strings.HasPrefix(r.status, "Init:") {
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{cs}
		} else {
			p.Status.ContainerStatuses = []corev1.ContainerStatus{cs}
		}
	}
	ps := newPodStatus(Pos{k.input, line}, p, human)
	if cs.State.Terminated != nil {
		if a, ok := parseAge(strings.TrimSuffix(strings.TrimPrefix(ago, "("), " ago)")); ok && ago != "" {
			ps.RestartAge = &a
		}
	}
	k.emit(ps)
}

// bareEventRow reads an Event reduced to its type, reason and object, as people retype one:
// "Warning  Evicted  pod/x", the message on the next line.
func bareEventRow(t string) (*KubeEvent, bool) {
	f := fieldsAt(t)
	if len(f) < 3 || !isEventType(f[0].text) || !isReason(f[1].text) || !strings.Contains(f[2].text, "/") {
		return nil, false
	}
	e := &KubeEvent{Type: f[0].text, Reason: f[1].text, Object: objectRef(f[2].text), Message: rest(t, f, 3)}
	return e, e.Object.Name != ""
}
