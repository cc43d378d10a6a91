package correlate

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Messages as the kubelet wrote them, quoted in public reports (testdata/excerpts/objects,
// origins beside them) and in kubernetes/kubernetes#111597's description.
func TestParseEvictionMessage(t *testing.T) {
	tests := []struct {
		msg  string
		want evictionMessage
	}{
		{"The node was low on resource: memory. Container egg was using 5053216Ki, which exceeds its request of 0.",
			evictionMessage{resource: "memory", usage: []Usage{{"egg", "5053216Ki", "0"}}}},
		{"The node was low on resource: memory. Threshold quantity: 100Mi, available: 87608Ki. ",
			evictionMessage{resource: "memory", threshold: "100Mi", available: "87608Ki"}},
		{"The node was low on resource: ephemeral-storage. Container hello-pod was using 20977608Ki, request is 0, has larger consumption of ephemeral-storage. ",
			evictionMessage{resource: "ephemeral-storage", usage: []Usage{{"hello-pod", "20977608Ki", "0"}}}},
		{"The node had condition: [MemoryPressure]. ", evictionMessage{admission: true, conditions: "[MemoryPressure]"}},
		{"The node was low on resource: memory. Threshold quantity: 500Mi, available: 412140Ki.\nContainer a was using 1Gi, request is 256Mi, has larger consumption of memory. Container b was using 2Gi, request is 1Gi, has larger consumption of memory. ",
			evictionMessage{resource: "memory", threshold: "500Mi", available: "412140Ki", usage: []Usage{{"a", "1Gi", "256Mi"}, {"b", "2Gi", "1Gi"}}}},
		{"Pod was rejected: unknown", evictionMessage{}},
	}
	for _, tt := range tests {
		got := parseEvictionMessage(tt.msg)
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(evictionMessage{})); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.msg, diff)
		}
	}
}
