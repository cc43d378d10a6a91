package correlate

import (
	"testing"

	"github.com/k8s-coroner/coroner/correlate/report"

	"github.com/google/go-cmp/cmp"
)

// Messages as the kubelet wrote them, quoted in public reports (testdata/excerpts/objects,
// origins beside them), in kubernetes/kubernetes#111597's description, and built from the
// format strings of pkg/kubelet/eviction/helpers.go where no paste shows one.
func TestParseEvictionMessage(t *testing.T) {
	tests := []struct {
		reason string
		msg    string
		want   evictionMessage
	}{
		{"2018–2022 container fragment", "The node was low on resource: memory. Container egg was using 5053216Ki, which exceeds its request of 0.",
			evictionMessage{resource: "memory", scope: scopeNode, usage: []report.Usage{{Container: "egg", Usage: "5053216Ki", Request: "0"}}}},
		{"threshold fragment", "The node was low on resource: memory. Threshold quantity: 100Mi, available: 87608Ki. ",
			evictionMessage{resource: "memory", scope: scopeNode, threshold: "100Mi", available: "87608Ki"}},
		{"current container fragment (#111597)", "The node was low on resource: ephemeral-storage. Container hello-pod was using 20977608Ki, request is 0, has larger consumption of ephemeral-storage. ",
			evictionMessage{resource: "ephemeral-storage", scope: scopeNode, usage: []report.Usage{{Container: "hello-pod", Usage: "20977608Ki", Request: "0"}}}},
		{"inodes signal resource", "The node was low on resource: nodefsInodes. ", evictionMessage{resource: "nodefsInodes", scope: scopeNode}},
		{"admission under a node condition", "The node had condition: [MemoryPressure]. ", evictionMessage{admission: true, conditions: "[MemoryPressure]"}},
		{"admission under disk pressure", "The node had condition: [DiskPressure]. ", evictionMessage{admission: true, conditions: "[DiskPressure]"}},
		{"pre-1.9 admission wording", "The node was low on resource: [MemoryPressure].", evictionMessage{admission: true, conditions: "[MemoryPressure]"}},
		{"several containers over their requests, folded", "The node was low on resource: memory. Threshold quantity: 500Mi, available: 412140Ki.\nContainer a was using 1Gi, request is 256Mi, has larger consumption of memory. Container b was using 2Gi, request is 1Gi, has larger consumption of memory. ",
			evictionMessage{resource: "memory", scope: scopeNode, threshold: "500Mi", available: "412140Ki", usage: []report.Usage{{Container: "a", Usage: "1Gi", Request: "256Mi"}, {Container: "b", Usage: "2Gi", Request: "1Gi"}}}},
		{"pod over its containers' local storage limits", "Pod ephemeral local storage usage exceeds the total limit of containers 2Gi. ",
			evictionMessage{resource: "ephemeral-storage", scope: scopePod, limit: "2Gi"}},
		{"container over its local storage limit", `Container app exceeded its local ephemeral storage limit "1Gi". `,
			evictionMessage{resource: "ephemeral-storage", scope: scopeContainer, limit: "1Gi", usage: []report.Usage{{Container: "app"}}}},
		{"emptyDir over its sizeLimit", `Usage of EmptyDir volume "cache" exceeds the limit "500Mi". `,
			evictionMessage{resource: "ephemeral-storage", scope: scopeEmptyDir, volume: "cache", limit: "500Mi"}},
		{"not an eviction message", "Pod was rejected: unknown", evictionMessage{}},
	}
	for _, tt := range tests {
		got := parseEvictionMessage(tt.msg)
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(evictionMessage{})); diff != "" {
			t.Errorf("%s: %q (-want +got):\n%s", tt.reason, tt.msg, diff)
		}
	}
}

func TestConditionResources(t *testing.T) {
	if got := conditionResources("[MemoryPressure DiskPressure PIDPressure]"); !cmp.Equal(got, []string{"memory", "disk", "pids"}) {
		t.Errorf("got %q", got)
	}
}
