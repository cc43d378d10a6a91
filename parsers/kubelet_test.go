package parsers

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/k8s-coroner/coroner/sources"
)

// parseExcerpt runs one real excerpt (testdata/excerpts, origins beside them) through the
// pipeline. strip removes a reporter's artefact (a shell prompt, a test harness's "# ")
// that is not part of the log.
func parseExcerpt(t *testing.T, path, strip string) []Event {
	t.Helper()
	raw, err := os.ReadFile("../testdata/excerpts/" + path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(raw), "\n") {
		lines = append(lines, strings.TrimPrefix(l, strip))
	}
	in := &sources.Input{Name: path, Records: sources.Lines(strings.NewReader(strings.Join(lines, "\n")))}
	var out []Event
	ParseInput(in, Options{Clock: Clock{Year: 2025}}, func(e Event) { out = append(out, e) })
	return out
}

type seen struct {
	Kind, Pod, Container, ContainerID, Resource string
	Pods                                        int
	Line                                        int
}

func kubeletSeen(evs []Event) []seen {
	var out []seen
	for _, e := range evs {
		switch e := e.(type) {
		case *KubeletLine:
			pod := ""
			if e.Pod.Name != "" {
				pod = e.Pod.String()
			}
			out = append(out, seen{Kind: e.Kind, Pod: pod, Container: e.Container, ContainerID: e.ContainerID, Resource: e.Resource, Pods: len(e.Pods), Line: e.Evidence.Line})
		case *KubeEvent:
			out = append(out, seen{Kind: "event:" + e.Reason, Pod: e.Object.Namespace + "/" + e.Object.Name, Container: containerName(e.Object.FieldPath), Line: e.Pos.Line})
		case *RuntimeLine:
			out = append(out, seen{Kind: e.Source + ":" + e.Kind, ContainerID: e.ContainerID + e.Unit, Line: e.Evidence.Line})
		}
	}
	return out
}

func containerName(fp string) string {
	if i := strings.IndexByte(fp, '{'); i >= 0 {
		return strings.TrimSuffix(fp[i+1:], "}")
	}
	return ""
}

func TestKubeletExcerpts(t *testing.T) {
	tests := []struct {
		path, strip string
		want        []seen
	}{
		{"kubelet/eviction-structured-ephemeral-ranked-evicted-journal-k8s-132001.log", "", []seen{
			{Kind: KubeletRanked, Pods: 3, Line: 1},
			{Kind: KubeletEvicted, Pod: "sre/infras-logstash-d484d57fc-rkx95", Line: 2}}},
		{"kubelet/eviction-printf-ephemeral-critical-static-journal-minikube-4084.log", "", []seen{
			{Kind: KubeletReclaim, Resource: "ephemeral-storage", Line: 1},
			{Kind: KubeletMustEvict, Resource: "ephemeral-storage", Line: 4},
			{Kind: KubeletRanked, Pods: 4, Line: 5}}},
		{"kubelet/admission-eviction-printf-memory-russian-locale-journal-1.9.1-k8s-58541.log", "", []seen{
			{Kind: KubeletAdmitRejected, Pod: "kube-system/kube-proxy-bbrr6", Line: 1},
			{Kind: KubeletReclaim, Resource: "memory", Line: 2}}},
		{"kubelet/eviction-kill-event-printf-inode-e2e-bare-klog-k8s-41347.log", "", []seen{
			{Kind: KubeletRanked, Pods: 2, Line: 1},
			{Kind: KubeletKilling, ContainerID: "9a4c58c575f7656066711faf414e1e4834d9d5013d19656279f36b57f2cf4029", Line: 2},
			{Kind: KubeletKilling, ContainerID: "9a4c58c575f7656066711faf414e1e4834d9d5013d19656279f36b57f2cf4029", Line: 3},
			{Kind: "event:Evicted", Pod: "e2e-tests-inode-eviction-test-827vc/container-inode-hog-pod", Line: 4}}},
		{"kubelet/kill-container-dockertools-panic-stack-bare-klog-k8s-19666.log", "", []seen{
			{Kind: KubeletKilling, Pod: "e2e-tests-services-sk566/service1-tofec", Container: "service1", ContainerID: "8beffa4b66a449c2da4510718898ddd0f50183644322607fbcbc1408e7247ccf", Line: 3}}},
		{"kubelet/pleg-printf-containerdied-syncloop-delete-journal-moby-38642.log", "", []seen{
			{Kind: KubeletContainerDied, Pod: "cert-manager/cert-manager-6874795dc8-9swwm", ContainerID: "a8da450414ae086b65402e654b3d0fff34eb72a5630a4d9a3721a459a9eec5f4", Line: 4},
			{Kind: KubeletContainerDied, Pod: "kube-system/tiller-deploy-58b6bf5687-td6ng", ContainerID: "3f49246b798b0b368b56c1f840b1bc3236572f07122947a92713f10bbd887034", Line: 5}}},
		{"kubelet/eviction-printf-no-observation-allocatable-journal-1.8.3-k8s-55649.log", "", nil},
		{"kubelet/eviction-printf-1.4-evicted-successfully-no-resources-starved-journal-k8s-31939.log", "", []seen{
			{Kind: KubeletReclaim, Resource: "memory", Line: 2},
			{Kind: KubeletMustEvict, Resource: "memory", Line: 3},
			{Kind: KubeletRanked, Pods: 1, Line: 4},
			{Kind: KubeletEvicted, Pod: "e2e-tests-eviction-test-simple-rkrca/guaranteed-cn933", Line: 5}}},
		{"kubelet/eviction-printf-critical-static-pod-journal-minikube-4084-b.log", "", []seen{
			{Kind: KubeletRanked, Pods: 4, Line: 1},
			{Kind: KubeletCriticalPod, Pod: "kube-system/kube-scheduler-minikube", Line: 2},
			{Kind: KubeletReclaim, Resource: "ephemeral-storage", Line: 3},
			{Kind: KubeletMustEvict, Resource: "ephemeral-storage", Line: 4}}},
		{"kubelet/elided-header-ellipsis-structured-eviction-gc-ranked-unquoted-list-journalctl-blog-a.log", "", []seen{
			{Kind: KubeletReclaim, Resource: "ephemeral-storage", Line: 1},
			{Kind: KubeletMustEvict, Resource: "ephemeral-storage", Line: 5},
			{Kind: KubeletRanked, Pods: 5, Line: 6},
			{Kind: KubeletEvicted, Pod: "default/mysql", Line: 7},
			{Kind: KubeletEvicted, Pod: "default/mysql", Pods: 1, Line: 8},
			{Kind: KubeletCleanedUp, Pods: 1, Line: 11}}},
		{"kubelet/pleg-json-containerdied-generic-exitcode0-klog-clock-behind-syslog-grep-prompt-aks-vijayrod-demo.log", "", []seen{
			{Kind: "containerd:exit", ContainerID: "f51267392f05152ad8ef082073f1b65abea345f4d4445cf079acd0d770374a1c", Line: 3},
			{Kind: KubeletContainerDied, Pod: "default/nginx", ContainerID: "f51267392f05152ad8ef082073f1b65abea345f4d4445cf079acd0d770374a1c", Line: 8},
			{Kind: KubeletContainerDied, ContainerID: "f51267392f05152ad8ef082073f1b65abea345f4d4445cf079acd0d770374a1c", Line: 10}}},
		{"runtime/containerd-1.2-taskoom-gostruct-no-xxx-journal-containerd-3138.log", "", []seen{
			{Kind: "containerd:oom", ContainerID: "af134047d061f40b4ed78434de3ed8e292ff017a0e86b216e689e883ab450b30", Line: 1},
			{Kind: "containerd:oom", ContainerID: "ba8aca7a374f6d7d4c6af8d51c1d83da5f15a9493e6c381adb3c2bd546ebfde1", Line: 2},
			{Kind: "containerd:oom", ContainerID: "af134047d061f40b4ed78434de3ed8e292ff017a0e86b216e689e883ab450b30", Line: 3},
			{Kind: "containerd:oom", ContainerID: "ba8aca7a374f6d7d4c6af8d51c1d83da5f15a9493e6c381adb3c2bd546ebfde1", Line: 4}}},
		{"runtime/containerd-1.7-taskoom-prototext-dollar-prefixed-journal-containerd-8893.log", "$ ", []seen{
			{Kind: "containerd:oom", ContainerID: "4bcba7fc4369fee4d7d2e6263b58fce52cfc928c6a31cfac4d43c838708991ce", Line: 1}}},
		{"runtime/containerd-2.x-taskexit-podsandbox-137-logrus-tty-containerd-10603.log", "", []seen{
			{Kind: "containerd:sandbox-exit", ContainerID: "fce217561d9543b1f6b19f4c5415bbcd68e0dea49e72d7f174910ce3deba7eb0", Line: 1},
			{Kind: "containerd:sandbox-exit", ContainerID: "fce217561d9543b1f6b19f4c5415bbcd68e0dea49e72d7f174910ce3deba7eb0", Line: 2},
			{Kind: "containerd:exit", ContainerID: "fce217561d9543b1f6b19f4c5415bbcd68e0dea49e72d7f174910ce3deba7eb0", Line: 3},
			{Kind: "containerd:sandbox-exit", ContainerID: "fce217561d9543b1f6b19f4c5415bbcd68e0dea49e72d7f174910ce3deba7eb0", Line: 4}}},
		{"runtime/conmon-ninfo-syslog-crio-scope-journal-cri-o-8904.log", "", []seen{
			{Kind: "systemd:created", ContainerID: "0644511bc2734f5ff9f9532fdecddb9f1b92597fe269168b137ada040c3a3118", Line: 1},
			{Kind: "cri-o:created", ContainerID: "0644511bc2734f5ff9f9532fdecddb9f1b92597fe269168b137ada040c3a3118", Line: 6}}},
		{"runtime/crio-1.24-exit-found-exit-code-137-bats-prefixed-cri-o-5797.log", "# ", []seen{
			{Kind: "cri-o:exit", ContainerID: "35fc612c9592356cde113b882feb2fd8e45c412b4a539c47ff530c1c9d616c6a", Line: 2}}},
		{"runtime/systemd-new-wording-kernel-oom-killer-killed-some-processes-user-unit-desktop-feedback-609.log", "", []seen{
			{Kind: "systemd:oom", ContainerID: "docker-desktop.service", Line: 1},
			{Kind: "systemd:oom", ContainerID: "docker-desktop.service", Line: 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got := kubeletSeen(parseExcerpt(t, tt.path, tt.strip))
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestKubeletJSONExcerpt reads real --logging-format=json lines (talosctl's node prefix,
// testdata/excerpts/kubelet/json-format-startup-talos-node-prefix-1.32.4-k8s-61117-a.log): the
// envelope decodes with the node and the epoch-millisecond time.
func TestKubeletJSONExcerpt(t *testing.T) {
	line := `10.200.1.3: {"ts":1753121331919.7622,"caller":"app/server.go:520","msg":"Kubelet version","v":0,"kubeletVersion":"v1.32.4"}`
	var m Message
	if !frameHostPrefixed([]byte(line), &Clock{}, &m) {
		t.Fatal("not framed")
	}
	k, ok := parseKlog(m.Text)
	if !ok || m.Host != "10.200.1.3" || k.Msg != "Kubelet version" || k.KV["kubeletVersion"] != "v1.32.4" ||
		m.Wall.UnixMilli() != 1753121331919 {
		t.Fatalf("got host %q wall %v klog %+v", m.Host, m.Wall, k)
	}
}
