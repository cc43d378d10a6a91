package parsers

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// kubectl describe pod|node (staging/src/k8s.io/kubectl/pkg/describe/describe.go) prints
// "Key:  value" lines, nested by indentation, through a tabwriter: spaces since kubectl 1.5,
// tabs before ("Name:\t\tnginx"). The reader keys on the words, not the indentation, since
// pastes re-indent: a container is a "name:" line with no value under Containers, its
// State and Last State own the Reason, Exit Code, Started and Finished that follow, and
// Limits and Requests own the resource lines that follow.
type describeBlock struct {
	line      int
	base      int  // the indentation of the block's top-level keys
	flat      bool // the paste lost the nesting: a container's name is at the top level
	node      bool // describe node: Roles, Capacity, Allocatable, Kubelet Version, node Conditions
	pod       corev1.Pod
	section   string // the top-level section the line is in: Containers, Conditions, Events, …
	cur       *corev1.ContainerStatus
	curSpec   *corev1.Container
	init      bool   // cur is an init container
	sub       string // within a container: State, Last State, Limits, Requests
	vol       *corev1.Volume
	topKey    string // the last top-level key, for values that continue on the next line
	events    *tableBlock
	capMem    string // Capacity memory (describe node)
	allocMem  string
	statuses  []corev1.ContainerStatus
	inits     []corev1.ContainerStatus
	specs     []corev1.Container
	initSpecs []corev1.Container
	rows      []*KubeEvent // the Events table's rows, emitted when the block ends and knows its object
}

// containerBlockKeys are the keys of a container block that open a nested list; any other
// key without a value there is the next container's name.
var containerBlockKeys = map[string]bool{
	"Limits": true, "Requests": true, "Environment": true, "Environment Variables": true, "Mounts": true,
	"QoS Tier": true, "Command": true, "Args": true, "Liveness": true, "Readiness": true, "Startup": true,
	"Environment Variables from": true, "Devices": true, "State": true, "Last State": true, "Ports": true,
	"Host Ports": true, "Resize Policy": true,
}

// topSections are describe's top-level keys that open a nested block.
var topSections = map[string]bool{
	"Containers": true, "Init Containers": true, "Ephemeral Containers": true, "Conditions": true,
	"Volumes": true, "Events": true, "Capacity": true, "Allocatable": true, "Allocated resources": true,
	"Non-terminated Pods": true, "System Info": true, "Addresses": true, "Labels": true, "Annotations": true,
	"Tolerations": true, "Node-Selectors": true, "Taints": true, "IPs": true, "Readiness Gates": true,
	"Lease": true, "Topology Spread Constraints": true,
}

// startDescribe opens a block at describe's first keys, or at a section header of a cut paste
// ("Events:", "Conditions:", "Containers:").
func startDescribe(k *kubectlReader, line int, s, t string) *describeBlock {
	key, val, ok := cutDescribeKey(t)
	if !ok {
		return nil
	}
	switch {
	case key == "Name" && val != "":
	case (key == "Events" || key == "Containers" || key == "Init Containers" || key == "Conditions") && val == "":
	case (key == "Status" || key == "Reason" || key == "Message" || key == "Namespace") && val != "" && isDescribeValueLine(t):
	default:
		return nil
	}
	b := &describeBlock{line: line, base: indentOf(s)}
	b.pod.Namespace = k.namespace
	if k.target.Kind != "" && k.command != "" && strings.Contains(k.command, "describe") {
		b.node = k.target.Kind == "Node"
		b.pod.Name = k.target.Name // until "Name:" says
	}
	b.feed(k, line, s, t)
	return b
}

// isDescribeValueLine: "Reason:  Evicted", with the run of spaces or a tab describe pads with.
func isDescribeValueLine(t string) bool {
	_, rest, _ := strings.Cut(t, ":")
	return strings.HasPrefix(rest, "  ") || strings.HasPrefix(rest, "\t")
}

// cutDescribeKey splits "Key:   value"; a key is words of letters, digits, spaces, dots,
// dashes and slashes ("Restart Count", "ephemeral-storage", "hugepages-2Mi").
func cutDescribeKey(t string) (key, val string, ok bool) {
	i := strings.IndexByte(t, ':')
	if i <= 0 || i > 40 {
		return "", "", false
	}
	key = t[:i]
	for _, c := range key {
		if !(c == ' ' || c == '-' || c == '.' || c == '/' || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return "", "", false
		}
	}
	rest := t[i+1:]
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return "", "", false
	}
	return strings.TrimSpace(key), strings.TrimSpace(rest), key == strings.TrimSpace(key)
}

// feed takes one line of the block; false ends it.
func (b *describeBlock) feed(k *kubectlReader, line int, s, t string) bool {
	if b.section == "Events" && b.events != nil {
		if t == "" {
			b.section, b.events = "", nil
			return true
		}
		if b.events.feed(k, line, s, t) {
			return true
		}
		b.events = nil
		b.section = ""
	}
	if t == "" {
		return true // describe of several objects: blank lines between them, or none
	}
	key, val, ok := cutDescribeKey(t)
	if !ok {
		if e, isRow := describeEventRow(t, false); isRow { // an Events table whose header the paste cut
			b.section, b.events = "Events", &tableBlock{kind: tableDescribeEvents}
			k.describedEvent(b, e, line, t)
			return true
		}
		return b.nonKey(k, line, s, t)
	}
	if key == "Name" && b.pod.Name != "" && b.section == "" {
		return false // the next object
	}
	if b.isTop(s, key, val) {
		b.top(k, line, key, val)
		return true
	}
	switch b.section {
	case "Containers", "Init Containers", "Ephemeral Containers":
		if val == "" && !containerBlockKeys[key] && !isResourceName(key) {
			if indentOf(s) <= b.base {
				b.flat = true
			}
			b.openContainer(key, b.section == "Init Containers")
			return true
		}
		b.containerKey(key, val)
	case "Volumes":
		if val == "" && indentOf(s) <= b.base+2 && key != "Type" {
			b.pod.Spec.Volumes = append(b.pod.Spec.Volumes, corev1.Volume{Name: key})
			b.vol = &b.pod.Spec.Volumes[len(b.pod.Spec.Volumes)-1]
			return true
		}
		b.volumeKey(key, val)
	case "Capacity", "Allocatable":
		b.node = true
		if key == "memory" {
			if b.section == "Capacity" {
				b.capMem = val
			} else {
				b.allocMem = val
			}
		}
	case "Conditions", "Labels", "Annotations", "Tolerations", "Node-Selectors", "Taints", "IPs", "System Info",
		"Addresses", "Allocated resources", "Non-terminated Pods", "Readiness Gates", "Lease", "Topology Spread Constraints":
	default:
		if isDescribeKey(s) || describeKeys[key] {
			b.top(k, line, key, val)
		}
	}
	return true
}

// isTop says whether a key line is at the top level: by its indentation, or, in a paste
// that lost it, by what the key can be inside the current section.
func (b *describeBlock) isTop(s, key, val string) bool {
	if !(topSections[key] && val == "" || isTopKey(key)) {
		return false
	}
	if indentOf(s) > b.base {
		return false
	}
	if b.flat && b.cur != nil && (b.sub == "State" || b.sub == "Last State") && (key == "Reason" || key == "Message") {
		return false
	}
	return true
}

// indentOf measures a line's indentation, a tab counting as 8.
func indentOf(s string) int {
	n := 0
	for _, c := range s {
		switch c {
		case ' ':
			n++
		case '\t':
			n += 8
		default:
			return n
		}
	}
	return n
}

// isTopKey: keys only the top level has.
func isTopKey(key string) bool {
	switch key {
	case "Name", "Namespace", "Node", "Status", "Reason", "Message", "QoS Class", "Start Time", "Priority",
		"Priority Class Name", "Service Account", "Controlled By", "IP", "Roles", "CreationTimestamp",
		"Unschedulable", "Kubelet Version", "Nominated Node Name":
		return true
	}
	return false
}

func (b *describeBlock) top(k *kubectlReader, line int, key, val string) {
	b.closeContainer()
	b.section, b.topKey, b.sub = "", key, ""
	if topSections[key] && val == "" {
		b.section = key
		if key == "Events" {
			b.events = &tableBlock{kind: tableDescribeEvents}
		}
		return
	}
	switch key {
	case "Name":
		b.pod.Name = val
	case "Namespace":
		b.pod.Namespace = val
	case "Node":
		if n, _, _ := strings.Cut(val, "/"); n != "<none>" {
			b.pod.Spec.NodeName = n
		}
	case "Status":
		b.pod.Status.Phase = corev1.PodPhase(val)
	case "Reason":
		b.pod.Status.Reason = val
	case "Message":
		b.pod.Status.Message = val
	case "QoS Class":
		b.pod.Status.QOSClass = corev1.PodQOSClass(val)
	case "Start Time":
		b.pod.Status.StartTime = metaTime(val)
	case "Roles", "Kubelet Version", "Unschedulable", "CreationTimestamp":
		b.node = true
	case "Controlled By":
		kind, name, _ := strings.Cut(val, "/")
		b.pod.OwnerReferences = []metav1.OwnerReference{{Kind: kind, Name: name}}
	}
}

// nonKey reads a line without a key: a container's name, a continued message, a row of a
// section's table.
func (b *describeBlock) nonKey(k *kubectlReader, line int, s, t string) bool {
	if strings.HasSuffix(t, ":") && !strings.ContainsAny(t, " \t") {
		name := strings.TrimSuffix(t, ":")
		switch b.section {
		case "Containers", "Init Containers", "Ephemeral Containers":
			if indentOf(s) <= b.base {
				b.flat = true
			}
			b.openContainer(name, b.section == "Init Containers")
			return true
		case "Volumes":
			b.pod.Spec.Volumes = append(b.pod.Spec.Volumes, corev1.Volume{Name: name})
			b.vol = &b.pod.Spec.Volumes[len(b.pod.Spec.Volumes)-1]
			return true
		}
	}
	switch {
	case b.section == "Conditions":
		b.condition(k, t)
	case b.section == "" && b.topKey == "Message" && indentOf(s) > b.base:
		b.pod.Status.Message += " " + t // a message wrapped by the paste
	case b.section == "" && looksLikeRow(t):
		return false
	}
	return true
}

func (b *describeBlock) openContainer(name string, init bool) {
	b.closeContainer()
	b.cur = &corev1.ContainerStatus{Name: name}
	b.curSpec = &corev1.Container{Name: name}
	b.init, b.sub = init, ""
}

func (b *describeBlock) closeContainer() {
	if b.cur == nil {
		return
	}
	if b.init {
		b.inits, b.initSpecs = append(b.inits, *b.cur), append(b.initSpecs, *b.curSpec)
	} else {
		b.statuses, b.specs = append(b.statuses, *b.cur), append(b.specs, *b.curSpec)
	}
	b.cur, b.curSpec = nil, nil
}

// containerKey reads a key inside a container block.
func (b *describeBlock) containerKey(key, val string) {
	c := b.cur
	if c == nil {
		return
	}
	switch key {
	case "State", "Last State":
		b.sub = key
		st := &c.State
		if key == "Last State" {
			st = &c.LastTerminationState
		}
		switch {
		case strings.HasPrefix(val, "Terminated"):
			st.Terminated = &corev1.ContainerStateTerminated{}
		case strings.HasPrefix(val, "Running"):
			st.Running = &corev1.ContainerStateRunning{}
		case strings.HasPrefix(val, "Waiting"):
			st.Waiting = &corev1.ContainerStateWaiting{}
		}
		return
	case "Limits", "Requests":
		b.sub = key
		return
	case "Container ID":
		c.ContainerID = val
	case "Restart Count":
		n, _ := strconv.Atoi(val)
		c.RestartCount = int32(n)
	}
	switch b.sub {
	case "State", "Last State":
		st := c.State
		if b.sub == "Last State" {
			st = c.LastTerminationState
		}
		b.stateKey(st, key, val)
	case "Limits", "Requests":
		if q, err := resource.ParseQuantity(val); err == nil && isResourceName(key) {
			rl := &b.curSpec.Resources.Limits
			if b.sub == "Requests" {
				rl = &b.curSpec.Resources.Requests
			}
			if *rl == nil {
				*rl = corev1.ResourceList{}
			}
			(*rl)[corev1.ResourceName(key)] = q
		} else {
			b.sub = ""
		}
	}
}

func isResourceName(key string) bool {
	return key == "memory" || key == "cpu" || key == "ephemeral-storage" || strings.HasPrefix(key, "hugepages-") ||
		strings.Contains(key, "/")
}

// stateKey fills a container state's termination.
func (b *describeBlock) stateKey(st corev1.ContainerState, key, val string) {
	switch {
	case st.Terminated != nil:
		t := st.Terminated
		switch key {
		case "Reason":
			t.Reason = val
		case "Message":
			t.Message = val
		case "Exit Code":
			n, _ := strconv.Atoi(val)
			t.ExitCode = int32(n)
		case "Signal":
			n, _ := strconv.Atoi(val)
			t.Signal = int32(n)
		case "Started":
			t.StartedAt = metaTimeValue(val)
		case "Finished":
			t.FinishedAt = metaTimeValue(val)
		case "Ready", "Restart Count", "Environment", "Mounts", "Image", "Image ID", "Port", "Host Port":
			b.sub = ""
		}
	case st.Waiting != nil && key == "Reason":
		st.Waiting.Reason = val
	}
}

// volumeKey reads "Type: EmptyDir (…)", "Medium: Memory", "SizeLimit: 1Gi".
func (b *describeBlock) volumeKey(key, val string) {
	v := b.vol
	if v == nil {
		return
	}
	switch key {
	case "Type":
		if strings.HasPrefix(val, "EmptyDir") {
			v.EmptyDir = &corev1.EmptyDirVolumeSource{}
		}
	case "Medium":
		if v.EmptyDir != nil {
			v.EmptyDir.Medium = corev1.StorageMedium(val)
		}
	case "SizeLimit":
		if q, err := resource.ParseQuantity(val); err == nil && v.EmptyDir != nil {
			v.EmptyDir.SizeLimit = &q
		}
	}
}

// condition reads a row of the Conditions table. A node's pressure condition that is True
// is what the kubelet records as an Event when it turns so (NodeHasInsufficientMemory, …):
// pressure since its LastTransitionTime.
func (b *describeBlock) condition(k *kubectlReader, t string) {
	cols := columns(strings.ReplaceAll(t, "\t", "  "))
	if len(cols) < 2 || cols[0] == "Type" || strings.HasPrefix(cols[0], "---") {
		return
	}
	if cols[0] == "DisruptionTarget" && cols[1] == "True" {
		b.pod.Status.Conditions = append(b.pod.Status.Conditions, corev1.PodCondition{Type: "DisruptionTarget", Status: "True"})
	}
	reason, ok := map[string]string{"MemoryPressure": "NodeHasInsufficientMemory", "DiskPressure": "NodeHasDiskPressure",
		"PIDPressure": "NodeHasInsufficientPID"}[cols[0]]
	if !ok || cols[1] != "True" {
		return
	}
	b.node = true
	var at time.Time
	if len(cols) >= 4 {
		at = parseDescribeTime(cols[3])
	}
	e := &KubeEvent{Pos: Pos{k.input, b.line}, Object: corev1.ObjectReference{Kind: "Node", Name: b.pod.Name},
		Reason: reason, Type: "Normal", Component: "kubelet", Host: b.pod.Name, FirstTime: at, LastTime: at,
		Message: "condition " + cols[0] + " is True", Human: "kubectl describe node output"}
	k.emitEvent(e)
}

// end emits the block: a pod's status as a PodStatus, then the Events its table held about
// it. A paste cut above "Name:" still names its pod in the scheduler's Event ("Successfully
// assigned default/x to node1").
func (b *describeBlock) end(k *kubectlReader) {
	b.closeContainer()
	if b.node && (b.capMem != "" || b.allocMem != "") {
		k.emit(&NodeMemory{Pos: Pos{k.input, b.line}, Node: b.pod.Name, Capacity: b.capMem, Allocatable: b.allocMem})
	}
	if b.pod.Name == "" && !b.node {
		for _, e := range b.rows {
			if sm := reScheduled.FindStringSubmatch(e.Message); e.Reason == "Scheduled" && sm != nil {
				b.pod.Name, b.pod.Spec.NodeName = sm[2], sm[3]
				if sm[1] != "" {
					b.pod.Namespace = sm[1]
				}
			}
		}
	}
	obj := b.describeObject()
	human := "kubectl describe " + strings.ToLower(obj.Kind) + " output"
	evictedRow := false
	for _, e := range b.rows {
		e.Object.Kind, e.Object.Name, e.Object.Namespace = obj.Kind, obj.Name, obj.Namespace
		if e.Host == "" && e.Component == "kubelet" {
			e.Host = b.pod.Spec.NodeName
			if b.node {
				e.Host = b.pod.Name
			}
		}
		e.Human = human
		setFieldPath(e)
		evictedRow = evictedRow || e.Reason == "Evicted"
	}
	if !b.node && (b.pod.Name != "" || !evictedRow) && (b.pod.Status.Reason != "" || len(b.statuses)+len(b.inits) > 0) {
		p := b.pod
		p.Kind = "Pod"
		p.Status.ContainerStatuses, p.Status.InitContainerStatuses = b.statuses, b.inits
		p.Spec.Containers, p.Spec.InitContainers = b.specs, b.initSpecs
		if p.Status.Reason == "" && isEvictionMessage(p.Status.Message) {
			p.Status.Reason = "Evicted" // a paste cut between Reason and Message
		}
		k.emit(newPodStatus(Pos{k.input, b.line}, &p, "kubectl describe pod output"))
	}
	for _, e := range b.rows {
		k.emitEvent(e)
	}
	b.rows = nil
}

// The scheduler's Event: "Successfully assigned ns/name to node" (the namespace since 1.12).
var reScheduled = regexp.MustCompile(`^Successfully assigned (?:([^/\s]+)/)?(\S+) to (\S+)`)

// describeObject is what the Events table of this block is about.
func (b *describeBlock) describeObject() corev1.ObjectReference {
	if b.node {
		return corev1.ObjectReference{Kind: "Node", Name: b.pod.Name}
	}
	return corev1.ObjectReference{Kind: "Pod", Name: b.pod.Name, Namespace: b.pod.Namespace}
}

// describe prints times as RFC 1123 with a numeric zone ("Mon, 01 Jan 0001 00:00:00 +0000"
// for a zero time); kubectl 1.0–1.4 also wrote the zone's name.
func parseDescribeTime(s string) time.Time {
	for _, layout := range []string{time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", time.RFC3339Nano} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			if t.Year() <= 1 {
				return time.Time{}
			}
			return t
		}
	}
	return time.Time{}
}

func metaTime(s string) *metav1.Time {
	t := parseDescribeTime(s)
	if t.IsZero() {
		return nil
	}
	return &metav1.Time{Time: t}
}

func metaTimeValue(s string) metav1.Time { return metav1.Time{Time: parseDescribeTime(s)} }
