package correlate

import (
	"regexp"
	"strings"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// evictionMessage is what the kubelet's eviction message says (pkg/kubelet/eviction/helpers.go,
// docs/formats.md §5.4). Node pressure, every era:
//
//	The node was low on resource: memory. Threshold quantity: 100Mi, available: 87624Ki.
//	Container app was using 1Gi, request is 100Mi, has larger consumption of memory.
//
// with the 2018–2022 container fragment "Container app was using 1Gi, which exceeds its
// request of 100Mi." and, for pod-level resources, "Pod … was using …". Local storage limits
// (localStorageEviction): "Pod ephemeral local storage usage exceeds the total limit of
// containers 2Gi.", "Container app exceeded its local ephemeral storage limit "1Gi".",
// "Usage of EmptyDir volume "cache" exceeds the limit "1Gi".". Admission refusals, of pods that
// never ran: "The node had condition: [DiskPressure]." and before 1.9 "The node was low on
// resource: [MemoryPressure].".
type evictionMessage struct {
	resource   string // memory, ephemeral-storage, nodefs, …; "" when the message names none
	scope      string // what was over: node (pressure), pod, container or emptyDir (a storage limit)
	limit      string // the local storage limit that was exceeded
	volume     string // the emptyDir volume over its sizeLimit
	threshold  string
	available  string
	usage      []report.Usage
	admission  bool   // a refusal at admission, not an eviction
	conditions string // the node conditions of an admission refusal
}

// Scopes of an eviction message.
const (
	scopeNode      = "node"
	scopePod       = "pod"
	scopeContainer = "container"
	scopeEmptyDir  = "emptyDir"
)

var (
	reLowOn        = regexp.MustCompile(`The node was low on resource: ([\w.-]+)\.`)
	reLowOnOld     = regexp.MustCompile(`The node was low on resource: (\[[^\]]*\])`) // < 1.9 admission
	reThreshold    = regexp.MustCompile(`Threshold quantity: ([^,]+), available: ([^ ]+?)\.(?:\s|$)`)
	reUsageNew     = regexp.MustCompile(`(?:Container|Pod) (\S+) was using (\S+), request is (\S+?), has larger consumption of`)
	reUsageOld     = regexp.MustCompile(`(?:Container|Pod) (\S+) was using (\S+), which exceeds its request of (\S+?)\.(?:\s|$)`)
	reCondition    = regexp.MustCompile(`The node had condition: (\[[^\]]*\])`)
	rePodStorage   = regexp.MustCompile(`Pod ephemeral local storage usage exceeds the total limit of containers (\S+?)\.(?:\s|$)`)
	reCtrStorage   = regexp.MustCompile(`Container (\S+) exceeded its local ephemeral storage limit "([^"]*)"`)
	reEmptyDirSize = regexp.MustCompile(`Usage of EmptyDir volume "([^"]*)" exceeds the limit "([^"]*)"`)
)

func parseEvictionMessage(msg string) evictionMessage {
	// YAML folding and copy-paste turn the message's spaces into newlines.
	msg = strings.Join(strings.Fields(msg), " ")
	var e evictionMessage
	switch {
	case reLowOn.MatchString(msg):
		e.resource, e.scope = reLowOn.FindStringSubmatch(msg)[1], scopeNode
	case rePodStorage.MatchString(msg):
		e.resource, e.scope, e.limit = "ephemeral-storage", scopePod, rePodStorage.FindStringSubmatch(msg)[1]
	case reCtrStorage.MatchString(msg):
		sm := reCtrStorage.FindStringSubmatch(msg)
		e.resource, e.scope, e.limit = "ephemeral-storage", scopeContainer, sm[2]
		e.usage = append(e.usage, report.Usage{Container: sm[1]})
	case reEmptyDirSize.MatchString(msg):
		sm := reEmptyDirSize.FindStringSubmatch(msg)
		e.resource, e.scope, e.volume, e.limit = "ephemeral-storage", scopeEmptyDir, sm[1], sm[2]
	}
	if sm := reThreshold.FindStringSubmatch(msg); sm != nil {
		e.threshold, e.available = strings.TrimSpace(sm[1]), sm[2]
	}
	for _, re := range []*regexp.Regexp{reUsageNew, reUsageOld} {
		for _, sm := range re.FindAllStringSubmatch(msg, -1) {
			e.usage = append(e.usage, report.Usage{Container: sm[1], Usage: sm[2], Request: sm[3]})
		}
	}
	if e.resource == "" {
		if sm := reCondition.FindStringSubmatch(msg); sm != nil {
			e.admission, e.conditions = true, sm[1]
		} else if sm := reLowOnOld.FindStringSubmatch(msg); sm != nil {
			e.admission, e.conditions = true, sm[1]
		}
	}
	return e
}

// conditionResources names the resources of node conditions ("[MemoryPressure DiskPressure]").
func conditionResources(conditions string) []string {
	var out []string
	for _, c := range strings.FieldsFunc(strings.Trim(conditions, "[]"), func(r rune) bool { return r == ' ' || r == ',' }) {
		switch c {
		case "MemoryPressure":
			out = append(out, "memory")
		case "DiskPressure":
			out = append(out, "disk")
		case "PIDPressure":
			out = append(out, "pids")
		default:
			if isConditionName(c) { // a malformed message ("%v%!(EXTRA …") names nothing
				out = append(out, c)
			}
		}
	}
	return out
}

func isConditionName(c string) bool {
	for _, r := range c {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return c != ""
}

// signalOf names the eviction signal of a resource the message names; "" when the resource
// has several signals and the message does not say which.
func signalOf(resource string) string {
	switch resource {
	case "memory":
		return "memory.available"
	case "pid", "pids":
		return "pid.available"
	case "nodefsInodes":
		return "nodefs.inodesFree"
	case "imagefsInodes":
		return "imagefs.inodesFree"
	case "nodefs", "imagefs":
		return resource + ".available"
	}
	return ""
}
