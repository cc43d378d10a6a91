package parsers

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestOwnerOfPod(t *testing.T) {
	yes := true
	pod := func(kind, name string, labels map[string]string) *corev1.Pod {
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Labels: labels,
			OwnerReferences: []metav1.OwnerReference{{Kind: kind, Name: name, Controller: &yes}}}}
	}
	tests := []struct {
		reason string
		pod    *corev1.Pod
		want   *PodOwner
	}{
		{"a ReplicaSet with the pod-template-hash label is its Deployment's", pod("ReplicaSet", "api-7d9f8c6b5", map[string]string{"pod-template-hash": "7d9f8c6b5"}),
			&PodOwner{Kind: "Deployment", Name: "api"}},
		{"a bare ReplicaSet stays one", pod("ReplicaSet", "api", nil), &PodOwner{Kind: "ReplicaSet", Name: "api"}},
		{"a CronJob's Job", pod("Job", "backup-29110340", nil), &PodOwner{Kind: "CronJob", Name: "backup"}},
		{"a StatefulSet", pod("StatefulSet", "db", nil), &PodOwner{Kind: "StatefulSet", Name: "db"}},
		{"no owner", &corev1.Pod{}, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, ownerOfPod(tt.pod)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
		}
	}
}
