package parsers

import "strings"

// EvictionAnnotations are what the kubelet's Evicted Event says in its annotations
// (offending_containers, offending_containers_usage, starved_resource, and offending_pod,
// offending_pod_usage for pod-level resources): the offenders even when the message's
// wording is one this version does not know.
type EvictionAnnotations struct {
	// Starved is the one resource starved_resource names (once per offending container:
	// "memory,memory"); "" when it names none or several different ones.
	Starved   string
	Offending []EvictionUsage // without requests: the annotations give none
}

func readEvictionAnnotations(ann map[string]string) *EvictionAnnotations {
	if len(ann) == 0 {
		return nil
	}
	return &EvictionAnnotations{Starved: starvedResource(ann), Offending: offendingUsage(ann)}
}

func starvedResource(ann map[string]string) string {
	var r string
	for _, v := range strings.Split(ann["starved_resource"], ",") {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		if r != "" && v != r {
			return ""
		}
		r = v
	}
	return r
}

// offendingUsage pairs offending_containers with offending_containers_usage ("a,b" and
// "1Gi,2Gi").
func offendingUsage(ann map[string]string) []EvictionUsage {
	names := strings.Split(ann["offending_containers"], ",")
	usage := strings.Split(ann["offending_containers_usage"], ",")
	var out []EvictionUsage
	for i, n := range names {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		u := ""
		if i < len(usage) {
			u = strings.TrimSpace(usage[i])
		}
		out = append(out, evictionUsage(n, u, ""))
	}
	if p := ann["offending_pod"]; p != "" && len(out) == 0 {
		out = append(out, evictionUsage("(pod "+p+")", ann["offending_pod_usage"], ""))
	}
	return out
}
