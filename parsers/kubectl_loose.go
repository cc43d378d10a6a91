package parsers

import (
	"regexp"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// The kubelet's eviction and admission messages (pkg/kubelet/eviction/helpers.go, the
// eviction manager's admission handler) are pasted everywhere on their own: a cell of a
// custom-columns table, a jsonpath or yq answer, an issue title, a sentence in backticks.
// Each is proof of an eviction (or of a refused admission), so a line holding one counts,
// with whatever names the text before it gives.

// evictionPhrases start every eviction and admission message, in every kubelet era.
var evictionPhrases = []string{
	"The node was low on resource: ",
	"The node had condition: ",
	"Pod ephemeral local storage usage exceeds the total limit of containers ",
	"Usage of EmptyDir volume ",
}

var reCtrStorageLoose = regexp.MustCompile(`Container \S+ exceeded its local ephemeral storage limit `)

// evictionStart finds where an eviction message starts in a line, -1 when none does. The
// kubelet's admission message carries a "Pod " prefix in pod status ("Pod The node had
// condition: [DiskPressure]."), and newer kubelets "Pod was rejected: ".
func evictionStart(t string) int {
	at := -1
	for _, p := range evictionPhrases {
		if i := strings.Index(t, p); i >= 0 && (at < 0 || i < at) {
			at = i
		}
	}
	if loc := reCtrStorageLoose.FindStringIndex(t); loc != nil && (at < 0 || loc[0] < at) {
		at = loc[0]
	}
	if at < 0 {
		return -1
	}
	for _, prefix := range []string{"Pod was rejected: ", "Pod "} {
		if strings.HasSuffix(t[:at], prefix) {
			return at - len(prefix)
		}
	}
	return at
}

// isEvictionMessage says whether a status message is the kubelet's eviction or admission
// message.
func isEvictionMessage(msg string) bool { return evictionStart(msg) >= 0 }

// reGeneratedName: a pod name a controller generated, ending in a random suffix.
var reGeneratedName = regexp.MustCompile(`-[a-z0-9]{5}$`)

// humanPastedEviction is the Human of an Event read from an eviction message outside any
// table; such an Event may name no pod (a message pasted alone).
const humanPastedEviction = "a pasted eviction message"

// looseLine reads a line holding an eviction message outside any table: "pod/x … message",
// "name  ns  Evicted  node  message", "Evicted: message", or the message alone. A log line
// (the kubelet logs these messages too) is left to the log parsers.
func (k *kubectlReader) looseLine(line int, t string) bool {
	at := evictionStart(t)
	if at < 0 || (k.isLogLine != nil && k.isLogLine([]byte(t))) {
		return false
	}
	msg := strings.Trim(strings.TrimSpace(t[at:]), "`\"'")
	e := &KubeEvent{Type: "Warning", Reason: "Evicted", Message: msg, Object: corev1.ObjectReference{Kind: "Pod"}}
	before := strings.Fields(strings.Trim(t[:at], "`\"' \t"))
	var names []string
	for _, w := range before {
		w = strings.TrimSuffix(w, ":")
		switch {
		case strings.HasPrefix(w, "pod/") || strings.HasPrefix(w, "pods/"):
			e.Object.Name = w[strings.IndexByte(w, '/')+1:]
		case w == "Evicted" || w == "Failed" || isEventType(w) || w == "kubelet" || w == "default-scheduler":
		case isAge(w) || isDigits(w):
		case isPodName(w) && len(names) < 3 && len(before) <= 6:
			names = append(names, w)
		}
	}
	if e.Object.Name == "" && len(names) > 0 {
		e.Object.Name, e.Object.Namespace = pickPodName(names)
	}
	if e.Object.Name == "" && k.target.Kind == "Pod" { // the answer of "kubectl get pod x -o jsonpath=…"
		e.Object.Name, e.Object.Namespace = k.target.Name, k.target.Namespace
	}
	if e.Object.Namespace == "" {
		e.Object.Namespace = k.namespace
	}
	k.queueEvent(e, line, t, humanPastedEviction)
	return true
}

// pickPodName chooses the pod among the names a row gives before the message: the one with a
// generated suffix, the other one then being its namespace; else the first, namespace unknown.
func pickPodName(names []string) (pod, namespace string) {
	for i, n := range names {
		if reGeneratedName.MatchString(n) {
			if len(names) == 2 {
				return n, names[1-i]
			}
			return n, ""
		}
	}
	return names[0], ""
}
