package parsers

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func bytesOf(n int64) *int64 { return &n }

// Messages as the kubelet wrote them, quoted in public reports (testdata/excerpts/objects,
// origins beside them), in kubernetes/kubernetes#111597's description, and built from the
// format strings of pkg/kubelet/eviction/helpers.go where no paste shows one.
func TestParseEvictionMessage(t *testing.T) {
	tests := []struct {
		reason string
		msg    string
		want   Eviction
	}{
		{"2018–2022 container fragment", "The node was low on resource: memory. Container egg was using 5053216Ki, which exceeds its request of 0.",
			Eviction{Resource: "memory", Scope: EvictionScopeNode, Usage: []EvictionUsage{{Container: "egg", Usage: "5053216Ki", Request: "0", UsageBytes: bytesOf(5053216 << 10)}}}},
		{"threshold fragment", "The node was low on resource: memory. Threshold quantity: 100Mi, available: 87608Ki. ",
			Eviction{Resource: "memory", Scope: EvictionScopeNode, Threshold: "100Mi", Available: "87608Ki"}},
		{"current container fragment (#111597)", "The node was low on resource: ephemeral-storage. Container hello-pod was using 20977608Ki, request is 0, has larger consumption of ephemeral-storage. ",
			Eviction{Resource: "ephemeral-storage", Scope: EvictionScopeNode, Usage: []EvictionUsage{{Container: "hello-pod", Usage: "20977608Ki", Request: "0", UsageBytes: bytesOf(20977608 << 10)}}}},
		{"inodes signal resource", "The node was low on resource: nodefsInodes. ", Eviction{Resource: "nodefsInodes", Scope: EvictionScopeNode}},
		{"admission under a node condition", "The node had condition: [MemoryPressure]. ", Eviction{Admission: true, Conditions: "[MemoryPressure]", ConditionResources: []string{"memory"}}},
		{"admission under disk pressure", "The node had condition: [DiskPressure]. ", Eviction{Admission: true, Conditions: "[DiskPressure]", ConditionResources: []string{"disk"}}},
		{"pre-1.9 admission wording", "The node was low on resource: [MemoryPressure].", Eviction{Admission: true, Conditions: "[MemoryPressure]", ConditionResources: []string{"memory"}}},
		{"several containers over their requests, folded", "The node was low on resource: memory. Threshold quantity: 500Mi, available: 412140Ki.\nContainer a was using 1Gi, request is 256Mi, has larger consumption of memory. Container b was using 2Gi, request is 1Gi, has larger consumption of memory. ",
			Eviction{Resource: "memory", Scope: EvictionScopeNode, Threshold: "500Mi", Available: "412140Ki", Usage: []EvictionUsage{{Container: "a", Usage: "1Gi", Request: "256Mi", UsageBytes: bytesOf(1 << 30)}, {Container: "b", Usage: "2Gi", Request: "1Gi", UsageBytes: bytesOf(2 << 30)}}}},
		{"pod over its containers' local storage limits", "Pod ephemeral local storage usage exceeds the total limit of containers 2Gi. ",
			Eviction{Resource: "ephemeral-storage", Scope: EvictionScopePod, Limit: "2Gi"}},
		{"container over its local storage limit", `Container app exceeded its local ephemeral storage limit "1Gi". `,
			Eviction{Resource: "ephemeral-storage", Scope: EvictionScopeContainer, Limit: "1Gi", Usage: []EvictionUsage{{Container: "app"}}}},
		{"emptyDir over its sizeLimit", `Usage of EmptyDir volume "cache" exceeds the limit "500Mi". `,
			Eviction{Resource: "ephemeral-storage", Scope: EvictionScopeEmptyDir, Volume: "cache", Limit: "500Mi"}},
		{"not an eviction message", "Pod was rejected: unknown", Eviction{}},
	}
	for _, tt := range tests {
		got := parseEvictionMessage(tt.msg)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: %q (-want +got):\n%s", tt.reason, tt.msg, diff)
		}
	}
}
