package correlate

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/k8s-coroner/coroner/parsers"
	"github.com/k8s-coroner/coroner/sources"
)

// The kernel side is the lab's real capture (golden/testdata/real/cgroupfs-burstable); the
// pods are the facts the parsers decode from Pod objects (parsers' TestPodFacts), using the
// lab's pod UID and container ID.
const (
	labPod = "5cdfa62e-2f90-4e7e-b3de-d2d6168860d8"
	labCtr = "765a2080b8a836f4d9a775daa117c570805a397b0072e8e54be82406d693fbca"
)

// pod is a burstable pod on node1 whose one container "app" last terminated with reason and
// exit; limitMi 0 means no memory limit.
func pod(name, reason string, exit int32, runtime, containerID string, limitMi int64, podReason, podMessage string) *parsers.PodStatus {
	spec := parsers.ContainerSpec{Name: "app"}
	if limitMi != 0 {
		spec.MemoryLimit = &parsers.Quantity{Text: fmt.Sprintf("%dMi", limitMi), Bytes: limitMi << 20}
	}
	at := time.Date(2026, 11, 27, 18, 33, 45, 0, time.UTC)
	return &parsers.PodStatus{Pos: parsers.Pos{Input: "pods.json", Line: 4}, Pod: parsers.PodFacts{
		Name: name, Namespace: "payments", UID: "uid-" + name, Node: "node1", QoS: "Burstable",
		Reason: podReason, Message: podMessage, Specs: []parsers.ContainerSpec{spec},
		Statuses: []parsers.ContainerStatus{{Name: "app", Terminations: []parsers.Termination{{
			Reason: reason, ExitCode: exit, Runtime: runtime, ContainerID: containerID, Finished: at}}}},
	}}
}

func TestPodStatusJoin(t *testing.T) {
	f, err := os.Open("../golden/testdata/real/cgroupfs-burstable/dmesg.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var events []parsers.Event
	res := parsers.ParseInput(&sources.Input{Name: "dmesg.txt", Records: sources.Lines(f)}, parsers.Options{},
		func(e parsers.Event) { events = append(events, e) })
	joined := pod("api", "OOMKilled", 137, "containerd", labCtr, 32, "", "")
	joined.Pod.UID = labPod
	// The parsers decode an evicted pod's message (parsers' TestParseEvictionMessage).
	evicted := pod("evicted", "ContainerStatusUnknown", 137, "", "", 0, "Evicted", "The node was low on resource: memory. Threshold quantity: 100Mi, available: 91884Ki. ")
	evicted.Pod.Eviction = parsers.Eviction{Resource: "memory", Scope: parsers.EvictionScopeNode, Threshold: "100Mi", Available: "91884Ki"}
	disk := pod("disk", "ContainerStatusUnknown", 137, "", "", 0, "Evicted", "The node was low on resource: ephemeral-storage. ")
	disk.Pod.Eviction = parsers.Eviction{Resource: "ephemeral-storage", Scope: parsers.EvictionScopeNode}
	events = append(events,
		joined,
		pod("limited", "OOMKilled", 137, "containerd", strings.Repeat("1", 64), 256, "", ""),
		pod("unlimited", "OOMKilled", 137, "containerd", strings.Repeat("2", 64), 0, "", ""),
		pod("probe", "Error", 137, "containerd", strings.Repeat("3", 64), 0, "", ""),
		evicted,
		disk,
		pod("fine", "Completed", 0, "containerd", strings.Repeat("4", 64), 0, "", ""),
	)
	rep := Analyze([]*parsers.InputResult{res}, events, Options{})
	var got []string
	for _, d := range rep.Deaths {
		got = append(got, strings.Join([]string{d.Namespace + "/" + d.Pod + "/" + d.Container, string(d.Mechanism), d.Confidence, d.Node}, " "))
		if d.Summary == "" || d.Advice == nil {
			t.Errorf("%s/%s: no summary or advice", d.Pod, d.Container)
		}
	}
	want := []string{
		"payments/api/app cgroup-oom high node1",
		"payments/limited/app cgroup-oom low node1",
		"payments/unlimited/app kernel-oom low node1",
		"payments/probe/app unknown low node1",
		"payments/evicted/app kubelet-eviction medium node1",
		"payments/disk/app not-memory medium node1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("deaths (-want +got):\n%s", diff)
	}
	if e := rep.Deaths[0].Evidence; e[len(e)-1].Role != "pod-status" {
		t.Errorf("the joined death lacks the pod status as evidence: %+v", e[len(e)-1])
	}
}
