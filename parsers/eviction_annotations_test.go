package parsers

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The annotations the kubelet's eviction manager puts on its Evicted Event
// (pkg/kubelet/eviction/helpers.go, evictionMessage's annotations map).
func TestReadEvictionAnnotations(t *testing.T) {
	tests := []struct {
		reason string
		ann    map[string]string
		want   *EvictionAnnotations
	}{
		{"one offending container", map[string]string{"offending_containers": "app", "offending_containers_usage": "1Gi", "starved_resource": "memory"},
			&EvictionAnnotations{Starved: "memory", Offending: []EvictionUsage{{Container: "app", Usage: "1Gi", UsageBytes: bytesOf(1 << 30)}}}},
		{"a resource per offender, spaces around the commas", map[string]string{"offending_containers": "a, b", "offending_containers_usage": "1Gi, 200Mi", "starved_resource": "memory, memory"},
			&EvictionAnnotations{Starved: "memory", Offending: []EvictionUsage{{Container: "a", Usage: "1Gi", UsageBytes: bytesOf(1 << 30)}, {Container: "b", Usage: "200Mi", UsageBytes: bytesOf(200 << 20)}}}},
		{"different starved resources name none", map[string]string{"starved_resource": "memory,ephemeral-storage"}, &EvictionAnnotations{}},
		{"fewer usages than names, and a usage that is no quantity", map[string]string{"offending_containers": "a,b", "offending_containers_usage": "lots"},
			&EvictionAnnotations{Offending: []EvictionUsage{{Container: "a", Usage: "lots"}, {Container: "b"}}}},
		{"a pod-level resource", map[string]string{"offending_pod": "web", "offending_pod_usage": "3Gi", "starved_resource": "pids"},
			&EvictionAnnotations{Starved: "pids", Offending: []EvictionUsage{{Container: "(pod web)", Usage: "3Gi", UsageBytes: bytesOf(3 << 30)}}}},
		{"no annotations", nil, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, readEvictionAnnotations(tt.ann)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
		}
	}
}
