package parsers

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestPodFacts(t *testing.T) {
	created := time.Date(2026, 11, 27, 18, 0, 0, 0, time.UTC)
	ready := time.Date(2026, 11, 27, 18, 30, 0, 0, time.UTC)
	disrupted := time.Date(2026, 11, 27, 18, 31, 0, 0, time.UTC)
	finished := time.Date(2026, 11, 27, 18, 33, 45, 0, time.UTC)
	mem := func(q string) corev1.ResourceList {
		return corev1.ResourceList{corev1.ResourceMemory: resource.MustParse(q)}
	}
	yes := true
	size := resource.MustParse("1Gi")
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "api-7d9f8c6b5-x2kqz", Namespace: "payments", UID: "uid-1",
			CreationTimestamp: metav1.NewTime(created), Labels: map[string]string{"pod-template-hash": "7d9f8c6b5"},
			OwnerReferences: []metav1.OwnerReference{{Kind: "ReplicaSet", Name: "api-7d9f8c6b5", Controller: &yes}}},
		Spec: corev1.PodSpec{NodeName: "node1",
			InitContainers: []corev1.Container{{Name: "migrate"}},
			Containers: []corev1.Container{
				{Name: "app", Resources: corev1.ResourceRequirements{Limits: mem("0.5Gi"), Requests: mem("256Mi")}},
				{Name: "cache", Resources: corev1.ResourceRequirements{Requests: mem("1G")}}},
			Volumes: []corev1.Volume{
				{Name: "tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
				{Name: "shm", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory}}},
				{Name: "cache", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory, SizeLimit: &size}}}}},
		Status: corev1.PodStatus{QOSClass: corev1.PodQOSBurstable, Reason: "Evicted", Message: "The node was low on resource: memory. ",
			Conditions: []corev1.PodCondition{
				{Type: corev1.PodReady, LastTransitionTime: metav1.NewTime(ready)},
				{Type: "DisruptionTarget", LastTransitionTime: metav1.NewTime(disrupted)}},
			InitContainerStatuses: []corev1.ContainerStatus{{Name: "migrate", ContainerID: "cri-o://init1",
				State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "Completed"}}}},
			ContainerStatuses: []corev1.ContainerStatus{
				{Name: "app", RestartCount: 2, ContainerID: "containerd://current",
					State:                corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "OOMKilled", ExitCode: 137, FinishedAt: metav1.NewTime(finished)}},
					LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "Error", ExitCode: 137, Signal: 9, ContainerID: "earlier"}}},
				{Name: "cache", State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}},
	}
	want := PodFacts{Namespace: "payments", Name: "api-7d9f8c6b5-x2kqz", UID: "uid-1", Node: "node1", QoS: "Burstable",
		Reason: "Evicted", Message: "The node was low on resource: memory. ", Created: created, EvictedAt: disrupted,
		Eviction: Eviction{Resource: "memory", Scope: EvictionScopeNode},
		Owner:    &PodOwner{Kind: "Deployment", Name: "api"},
		Specs: []ContainerSpec{{Name: "migrate", Init: true},
			{Name: "app", MemoryLimit: &Quantity{Text: "512Mi", Bytes: 512 << 20}, MemoryRequest: &Quantity{Text: "256Mi", Bytes: 256 << 20}},
			{Name: "cache", MemoryRequest: &Quantity{Text: "1G", Bytes: 1e9}}},
		Statuses: []ContainerStatus{
			{Name: "migrate", Init: true, Terminations: []Termination{{Reason: "Completed", Runtime: "cri-o", ContainerID: "init1"}}},
			{Name: "app", RestartCount: 2, Terminations: []Termination{
				{Reason: "OOMKilled", ExitCode: 137, Finished: finished, Runtime: "containerd", ContainerID: "current"},
				{Reason: "Error", ExitCode: 137, Signal: 9, ContainerID: "earlier"}}},
			{Name: "cache"}},
		MemoryVolumes: []MemoryVolume{{Name: "shm"}, {Name: "cache", SizeLimit: "1Gi"}}}
	if diff := cmp.Diff(want, podFacts(p)); diff != "" {
		t.Errorf("podFacts (-want +got):\n%s", diff)
	}
}

// Without DisruptionTarget (before 1.26) the Ready condition's transition is the eviction's
// time; a pod without conditions has none.
func TestPodFactsEvictedAtReady(t *testing.T) {
	ready := time.Date(2026, 11, 27, 18, 30, 0, 0, time.UTC)
	p := &corev1.Pod{Status: corev1.PodStatus{Conditions: []corev1.PodCondition{
		{Type: corev1.PodScheduled, LastTransitionTime: metav1.NewTime(ready.Add(-time.Hour))},
		{Type: corev1.PodReady, LastTransitionTime: metav1.NewTime(ready)}}}}
	if got := podFacts(p).EvictedAt; !got.Equal(ready) {
		t.Errorf("EvictedAt = %v, want the Ready transition %v", got, ready)
	}
	if got := podFacts(&corev1.Pod{}).EvictedAt; !got.IsZero() {
		t.Errorf("EvictedAt of a pod without conditions = %v, want zero", got)
	}
}
