package parsers

import (
	"bytes"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/sources"
	corev1 "k8s.io/api/core/v1"
)

// What people paste most after an OOM is not an API object but what kubectl printed for a
// human: `kubectl describe pod|node`, the table of `kubectl get events|pods`, a status
// fragment. kubectlReader reads that text line by line, by content, wherever in an input it
// starts: a paste often mixes it with kernel lines and shell prompts. It turns what it reads
// into the same events as API objects (PodStatus, KubeEvent), holding only the current
// block, and hands every line it does not claim back to the log pipeline.
type kubectlReader struct {
	input string
	now   time.Time // --now: the moment ages count back from; zero keeps them relative
	emit  func(Event)
	warn  func(line int, msg string)

	command   string                 // the kubectl command of the last shell prompt, "" when none
	namespace string                 // its -n/--namespace
	target    corev1.ObjectReference // the object it describes or gets by name
	desc      *describeBlock
	table     *tableBlock
	pending   *KubeEvent     // an Event row whose message may continue on the next line
	pendDesc  *describeBlock // the describe block the pending row belongs to, nil for a table
	frag      *fragment      // a pasted YAML or JSON status fragment being gathered
	pendLines int            // continuation lines taken
	seenRows  map[string]bool
	used      int // lines claimed
	isLogLine func([]byte) bool
}

func newKubectlReader(input string, now time.Time, emit func(Event), warn func(int, string)) *kubectlReader {
	return &kubectlReader{input: input, now: now, emit: emit, warn: warn, seenRows: map[string]bool{}}
}

// mayStart is the cheap test, run on lines while no kubectl block is open, that lets the
// reader look closer: a describe key at the start, a table header, an Event or pod row, an
// eviction message.
func mayStart(b []byte) bool {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i == len(b) {
		return false
	}
	switch c := b[i]; {
	case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '<', c == '$', c == '#', c == '"', c == '-':
		return true
	}
	return false
}

// feed offers one line (after quote and colour removal); it returns true when the line was
// kubectl output and is taken.
func (k *kubectlReader) feed(line int, raw []byte) bool {
	s := strings.TrimRight(string(raw), " \t\r")
	t := strings.TrimSpace(s)
	if cmd, ok := kubectlPrompt(t); ok {
		k.endAll()
		k.command, k.namespace = cmd, commandNamespace(cmd)
		k.target = commandTarget(cmd)
		k.target.Namespace = k.namespace
		return false // the pipeline skips the prompt itself
	}
	if r, ok := strings.CutPrefix(s, "# "); ok { // a paste marked as comments, line by line
		s, t = r, strings.TrimSpace(r)
	} else if t == "#" {
		s, t = "", ""
	}
	if k.frag != nil {
		if k.frag.feed(s, t) {
			k.used++
			return true
		}
		k.endFragment()
	}
	if k.pending != nil && k.continues(s, t) {
		k.used++
		return true
	}
	k.flushPending()
	if k.desc != nil {
		if k.desc.feed(k, line, s, t) {
			k.used++
			return true
		}
		k.endDescribe()
	}
	if k.table != nil {
		if k.table.feed(k, line, s, t) {
			k.used++
			return true
		}
		k.table = nil
	}
	if t == "" {
		return false
	}
	if f := startFragment(line, s, t); f != nil {
		k.endAll()
		k.frag = f
		k.used++
		return true
	}
	if b := startDescribe(k, line, s, t); b != nil {
		k.desc = b
		k.used++
		return true
	}
	if tb := startTable(s); tb != nil {
		k.table = tb
		k.used++
		return true
	}
	if k.headerlessRow(line, s, t) {
		k.used++
		return true
	}
	return false
}

// flush ends the input.
func (k *kubectlReader) flush() { k.endAll() }

func (k *kubectlReader) endAll() {
	k.endFragment()
	k.flushPending()
	k.endDescribe()
	k.table = nil
}

func (k *kubectlReader) endDescribe() {
	if k.desc != nil {
		k.desc.end(k)
		k.desc = nil
	}
}

// continues appends a line to the pending Event's message when it is the rest of it: an
// Event message may hold a newline (node-problem-detector's OOMKilling message is the
// kernel's two lines), and mail and chat wrap long rows onto an indented next line.
func (k *kubectlReader) continues(s, t string) bool {
	if t == "" || k.pendLines >= 3 || looksLikeRow(t) || isDescribeKey(s) || isTableHeader(s) {
		return false
	}
	if !(s[0] == ' ' || s[0] == '\t' || startsKernelContinuation(t) || k.pending.Reason == "Evicted" && isUsageFragment(t)) {
		return false
	}
	if k.pending.Message == "" {
		k.pending.Message = t
	} else {
		k.pending.Message += "\n" + t
	}
	if k.pending.Line != nil {
		k.pending.Line.Text += " " + t
	}
	k.pendLines++
	return true
}

// isUsageFragment: the container part of an eviction message on a line of its own.
func isUsageFragment(t string) bool {
	return (strings.HasPrefix(t, "Container ") || strings.HasPrefix(t, "Pod ")) && strings.Contains(t, " was using ")
}

// startsKernelContinuation: the second line of a kernel OOM message that NPD quotes.
func startsKernelContinuation(t string) bool {
	return strings.HasPrefix(t, "Killed process ") || strings.HasPrefix(t, "Task in ") ||
		strings.HasPrefix(t, "oom-kill:") || strings.HasPrefix(t, "Memory cgroup out of memory")
}

func (k *kubectlReader) flushPending() {
	switch {
	case k.pending == nil:
		return
	case k.pendDesc != nil: // emitted with the block, once it knows what it describes
		k.pendDesc.rows = append(k.pendDesc.rows, k.pending)
	default:
		k.emitEvent(k.pending)
	}
	k.pending, k.pendDesc, k.pendLines = nil, nil, 0
}

// emitEvent passes on an Event read from kubectl's text, with its times when the moment is
// known, once per distinct row (kubectl get -w repeats rows).
func (k *kubectlReader) emitEvent(e *KubeEvent) {
	key := e.Object.Kind + "/" + e.Object.Namespace + "/" + e.Object.Name + "|" + e.Reason + "|" + e.Message
	if e.Age != nil {
		key += "|" + e.Age.Text
	}
	if e.LastTime.IsZero() && e.Age != nil {
		e.FirstTime, e.LastTime = e.Age.at(k.now)
		if e.Age.Count > 1 {
			e.Count = e.Age.Count
		}
	}
	if e.Line != nil {
		e.Line.Wall = e.LastTime
	}
	if k.seenRows[key] {
		return
	}
	k.seenRows[key] = true
	if MemoryEventReasons[e.Reason] {
		k.emit(e)
	}
}

// kubectlPrompt reads a shell prompt's kubectl (or oc, or an alias ending in kubectl's
// verbs) command: "$ kubectl describe pod -n default x".
func kubectlPrompt(t string) (string, bool) {
	rest, ok := shellPrompt([]byte(t))
	if !ok {
		if strings.HasPrefix(t, "kubectl ") || strings.HasPrefix(t, "oc ") || strings.HasPrefix(t, "k ") {
			rest, ok = []byte(t), true
		}
	}
	if !ok {
		return "", false
	}
	cmd := strings.TrimSpace(string(rest))
	f := strings.Fields(cmd)
	if len(f) < 2 {
		return "", false
	}
	switch f[0] {
	case "kubectl", "oc", "k", "kc", "microk8s.kubectl", "k3s":
		return cmd, true
	}
	if strings.HasPrefix(f[0], "kget") || strings.HasPrefix(f[0], "kdesc") || strings.HasSuffix(f[0], "kubectl") {
		return cmd, true
	}
	return "", false
}

// commandNamespace is the namespace a kubectl command names with -n or --namespace.
func commandNamespace(cmd string) string {
	f := strings.Fields(cmd)
	for i, a := range f {
		switch {
		case (a == "-n" || a == "--namespace") && i+1 < len(f):
			return f[i+1]
		case strings.HasPrefix(a, "--namespace="):
			return strings.TrimPrefix(a, "--namespace=")
		case strings.HasPrefix(a, "-n") && len(a) > 2 && !strings.HasPrefix(a, "--"):
			return a[2:]
		}
	}
	return ""
}

// kubectlLine offers a line to the kubectl reader. Past the first lines of an input that
// showed no kubectl output, only a line that opens a describe block or a table is offered,
// so a long log pays one byte test per line.
func (p *run) kubectlLine(line int, b []byte) bool {
	k := p.kubectl
	if k == nil || p.verbose != nil {
		return false
	}
	if !k.open() {
		if !mayStart(b) {
			return false
		}
		if line > kindSample && k.used == 0 && !strongStart(b) {
			return false
		}
	}
	return k.feed(line, b)
}

// open: a describe block, a table or an Event row is being read.
func (k *kubectlReader) open() bool {
	return k.desc != nil || k.table != nil || k.pending != nil || k.frag != nil
}

// strongStart: a line that opens kubectl output unmistakably.
// It runs on every line of a long log, so it compares bytes and allocates nothing.
// It runs on every line of a long log, so it compares bytes and allocates nothing.
func strongStart(b []byte) bool {
	t := bytes.TrimLeft(b, " \t")
	if len(t) == 0 || !strongFirst[t[0]] { // most log lines: no header starts with their byte
		return false
	}
	for _, p := range strongStarts {
		if bytes.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

var strongStarts = [][]byte{[]byte("Events:"), []byte("Name:"), []byte("Containers:"), []byte("Conditions:"),
	[]byte("NAME "), []byte("NAMESPACE "), []byte("LAST SEEN "), []byte("Type "), []byte("FirstSeen")}

// strongFirst marks the first bytes of strongStarts.
var strongFirst = func() (first [256]bool) {
	for _, s := range strongStarts {
		first[s[0]] = true
	}
	return first
}()

// isLogLine says whether a line is a log line some framing reads (the kubelet logs eviction
// messages too); the bare framing, which takes any kernel-like text, does not count.
func (p *run) isLogLine(b []byte) bool {
	for i := range Framings {
		if Framings[i].Name == sources.KindBare {
			continue
		}
		c := p.clock
		var m Message
		if Framings[i].Frame(b, &c, &m) {
			return true
		}
	}
	return false
}

// commandTarget reads what a kubectl describe or get command names: "describe po nginx",
// "describe pod/liveness-http", "get pod -n default x", "describe no" (a kind alone).
func commandTarget(cmd string) corev1.ObjectReference {
	f := strings.Fields(strings.SplitN(cmd, "|", 2)[0])
	var args []string
	verb := ""
	for i := 1; i < len(f); i++ {
		a := f[i]
		switch {
		case a == "-n" || a == "--namespace" || a == "-l" || a == "--selector" || a == "-o" || a == "--context" || a == "--kubeconfig":
			i++ // the flag's value
		case strings.HasPrefix(a, "-"):
		case verb == "":
			verb = a
		default:
			args = append(args, a)
		}
	}
	var ref corev1.ObjectReference
	if verb != "describe" && verb != "get" || len(args) == 0 {
		return ref
	}
	kind, name, slash := strings.Cut(args[0], "/")
	if !slash && len(args) > 1 {
		name = args[1]
	}
	switch strings.ToLower(kind) {
	case "po", "pod", "pods":
		ref.Kind = "Pod"
	case "no", "node", "nodes":
		ref.Kind = "Node"
	default:
		return corev1.ObjectReference{}
	}
	if strings.Contains(name, ",") { // several objects
		name = ""
	}
	ref.Name = name
	return ref
}
