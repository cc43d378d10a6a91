package correlate

import (
	"regexp"
	"strings"
)

// evictionMessage is what the kubelet's eviction message says (pkg/kubelet/eviction/helpers.go,
// formats.md §5.4):
//
//	The node was low on resource: memory. Threshold quantity: 100Mi, available: 87624Ki.
//	Container app was using 1Gi, request is 100Mi, has larger consumption of memory.
//
// with the pre-2022 container fragment "Container app was using 1Gi, which exceeds its
// request of 100Mi." and, for pod-level resources, "Pod … was using …".
type evictionMessage struct {
	resource   string // "" when the message names none
	threshold  string
	available  string
	usage      []Usage
	admission  bool   // "The node had condition: [MemoryPressure]": an admission refusal, not an eviction
	conditions string // the node conditions of an admission refusal
}

var (
	reLowOn     = regexp.MustCompile(`The node was low on resource: ([\w.-]+)\.`)
	reThreshold = regexp.MustCompile(`Threshold quantity: ([^,]+), available: ([^ ]+?)\.(?:\s|$)`)
	reUsageNew  = regexp.MustCompile(`(?:Container|Pod) (\S+) was using (\S+), request is (\S+?), has larger consumption of`)
	reUsageOld  = regexp.MustCompile(`(?:Container|Pod) (\S+) was using (\S+), which exceeds its request of (\S+?)\.(?:\s|$)`)
	reCondition = regexp.MustCompile(`The node had condition: (\[[^\]]*\])`)
)

func parseEvictionMessage(msg string) evictionMessage {
	// YAML folding and copy-paste turn the message's spaces into newlines.
	msg = strings.Join(strings.Fields(msg), " ")
	var e evictionMessage
	if sm := reLowOn.FindStringSubmatch(msg); sm != nil {
		e.resource = sm[1]
	}
	if sm := reThreshold.FindStringSubmatch(msg); sm != nil {
		e.threshold, e.available = strings.TrimSpace(sm[1]), sm[2]
	}
	for _, re := range []*regexp.Regexp{reUsageNew, reUsageOld} {
		for _, sm := range re.FindAllStringSubmatch(msg, -1) {
			e.usage = append(e.usage, Usage{Container: sm[1], Usage: sm[2], Request: sm[3]})
		}
	}
	if sm := reCondition.FindStringSubmatch(msg); sm != nil && e.resource == "" {
		e.admission, e.conditions = true, sm[1]
	}
	return e
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
