package parsers

import (
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
)

// Eviction is what the kubelet's eviction message says (pkg/kubelet/eviction/helpers.go,
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
type Eviction struct {
	Resource   string // memory, ephemeral-storage, nodefs, …; "" when the message names none
	Scope      string // what was over: EvictionScopeNode (pressure) or a storage limit's owner
	Limit      string // the local storage limit that was exceeded
	Volume     string // the emptyDir volume over its sizeLimit
	Threshold  string
	Available  string
	Usage      []EvictionUsage
	Admission  bool   // a refusal at admission, not an eviction
	Conditions string // the node conditions of an admission refusal, "[MemoryPressure]"
	// ConditionResources are the resources Conditions names: memory, disk, pids.
	ConditionResources []string
}

// Scopes of an eviction: the node under pressure, or the pod, container or emptyDir volume
// over its own local storage limit.
const (
	EvictionScopeNode      = "node"
	EvictionScopePod       = "pod"
	EvictionScopeContainer = "container"
	EvictionScopeEmptyDir  = "emptyDir"
)

// EvictionUsage is one offender the kubelet names: what it used against what it requested.
type EvictionUsage struct {
	Container      string // "(pod <name>)" for a pod-level resource named by annotation
	Usage, Request string // as the kubelet wrote them, "" when not said
	// UsageBytes is Usage in bytes, nil when Usage is not a quantity: a fix proposed from
	// it needs the number, a report quotes the text.
	UsageBytes *int64
}

var (
	reLowOn             = regexp.MustCompile(`The node was low on resource: ([\w.-]+)\.`)
	reLowOnOld          = regexp.MustCompile(`The node was low on resource: (\[[^\]]*\])`) // < 1.9 admission
	reEvictionThreshold = regexp.MustCompile(`Threshold quantity: ([^,]+), available: ([^ ]+?)\.(?:\s|$)`)
	reUsageNew          = regexp.MustCompile(`(?:Container|Pod) (\S+) was using (\S+), request is (\S+?), has larger consumption of`)
	reUsageOld          = regexp.MustCompile(`(?:Container|Pod) (\S+) was using (\S+), which exceeds its request of (\S+?)\.(?:\s|$)`)
	reCondition         = regexp.MustCompile(`The node had condition: (\[[^\]]*\])`)
	rePodStorage        = regexp.MustCompile(`Pod ephemeral local storage usage exceeds the total limit of containers (\S+?)\.(?:\s|$)`)
	reCtrStorage        = regexp.MustCompile(`Container (\S+) exceeded its local ephemeral storage limit "([^"]*)"`)
	reEmptyDirSize      = regexp.MustCompile(`Usage of EmptyDir volume "([^"]*)" exceeds the limit "([^"]*)"`)
)

func parseEvictionMessage(msg string) Eviction {
	// YAML folding and copy-paste turn the message's spaces into newlines.
	msg = strings.Join(strings.Fields(msg), " ")
	var e Eviction
	switch {
	case reLowOn.MatchString(msg):
		e.Resource, e.Scope = reLowOn.FindStringSubmatch(msg)[1], EvictionScopeNode
	case rePodStorage.MatchString(msg):
		e.Resource, e.Scope, e.Limit = "ephemeral-storage", EvictionScopePod, rePodStorage.FindStringSubmatch(msg)[1]
	case reCtrStorage.MatchString(msg):
		sm := reCtrStorage.FindStringSubmatch(msg)
		e.Resource, e.Scope, e.Limit = "ephemeral-storage", EvictionScopeContainer, sm[2]
		e.Usage = append(e.Usage, EvictionUsage{Container: sm[1]})
	case reEmptyDirSize.MatchString(msg):
		sm := reEmptyDirSize.FindStringSubmatch(msg)
		e.Resource, e.Scope, e.Volume, e.Limit = "ephemeral-storage", EvictionScopeEmptyDir, sm[1], sm[2]
	}
	if sm := reEvictionThreshold.FindStringSubmatch(msg); sm != nil {
		e.Threshold, e.Available = strings.TrimSpace(sm[1]), sm[2]
	}
	for _, re := range []*regexp.Regexp{reUsageNew, reUsageOld} {
		for _, sm := range re.FindAllStringSubmatch(msg, -1) {
			e.Usage = append(e.Usage, evictionUsage(sm[1], sm[2], sm[3]))
		}
	}
	if e.Resource == "" {
		if sm := reCondition.FindStringSubmatch(msg); sm != nil {
			e.Admission, e.Conditions = true, sm[1]
		} else if sm := reLowOnOld.FindStringSubmatch(msg); sm != nil {
			e.Admission, e.Conditions = true, sm[1]
		}
		e.ConditionResources = conditionResources(e.Conditions)
	}
	return e
}

func evictionUsage(container, usage, request string) EvictionUsage {
	u := EvictionUsage{Container: container, Usage: usage, Request: request}
	if q, err := resource.ParseQuantity(usage); err == nil {
		b := q.Value()
		u.UsageBytes = &b
	}
	return u
}
