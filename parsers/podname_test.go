package parsers

import (
	"strings"
	"testing"

	"github.com/k8s-coroner/coroner/sources"
)

// A PLEG line whose pod reference cannot be a Kubernetes name (FuzzKubelet found a space in
// one) keeps the event's own pod UID and container ID, and names no pod: the name is not a
// pod's, so it must not be the pod the death is pinned on.
func TestPLEGPodNameNotAKubernetesName(t *testing.T) {
	const uid, cid = "8cf832f2-2213-11e9-8e39-02bba78719a6", "a8da450414ae086b65402e654b3d0fff34eb72a5630a4d9a3721a459a9eec5f4"
	lines := []string{
		`I0129 18:09:49.914947    8755 kubelet.go:1882] SyncLoop (PLEG): "cert manager-6874795dc8-9swwm_cert-manager(` + uid + `)", event: &pleg.PodLifecycleEvent{ID:"` + uid + `", Type:"ContainerDied", Data:"` + cid + `"}`,
		`{"ts":1753121331919.76,"caller":"kubelet/kubelet.go:2442","msg":"SyncLoop (PLEG): event for pod","pod":{"name":"web 0","namespace":"default"},"event":{"ID":"` + uid + `","Type":"ContainerDied","Data":"` + cid + `"}}`,
		`I0129 18:09:49.914947    8755 kubelet.go:1882] SyncLoop (PLEG): "web/0_default(` + uid + `)", event: &pleg.PodLifecycleEvent{ID:"` + uid + `", Type:"ContainerDied", Data:"` + cid + `"}`,
	}
	for _, line := range lines {
		var got []*KubeletLine
		in := &sources.Input{Name: "t", Records: sources.Lines(strings.NewReader(line + "\n"))}
		ParseInput(in, Options{}, func(e Event) {
			if l, ok := e.(*KubeletLine); ok {
				got = append(got, l)
			}
		})
		if len(got) != 1 || got[0].Kind != KubeletContainerDied {
			t.Fatalf("%s\ngot %+v, want one container-died line", line, got)
		}
		if l := got[0]; l.Pod.Name != "" || l.Pod.Namespace != "" || l.Pod.UID != uid || l.ContainerID != cid {
			t.Errorf("%s\npod %+v container %q, want no name, UID %s, container %s", line, l.Pod, l.ContainerID, uid, cid)
		}
	}
}

func TestPodNames(t *testing.T) {
	for s, want := range map[string]bool{
		"web-0": true, "cert-manager-6874795dc8-9swwm": true, "etcd-node1.example.com": true,
		"": false, "web 0": false, "web/0": false, "Web": false, "-web": false, "web.": false, "web_0": false,
		strings.Repeat("a", 253): true, strings.Repeat("a", 254): false,
	} {
		if got := isPodName(s); got != want {
			t.Errorf("isPodName(%q) = %v, want %v", s, got, want)
		}
	}
	if isNamespaceName("kube.system") || !isNamespaceName("kube-system") || isNamespaceName(strings.Repeat("a", 64)) {
		t.Error("namespaces are DNS-1123 labels")
	}
}
