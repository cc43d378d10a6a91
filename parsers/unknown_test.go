package parsers

import (
	"strings"
	"testing"

	"github.com/k8s-coroner/coroner/sources"
)

// TestSnifferVerdict: what an input nothing of which was understood is said to look like.
// The kubectl texts are real (testdata/excerpts/objects, origins beside them).
func TestSnifferVerdict(t *testing.T) {
	tests := []struct {
		reason string
		text   string
		want   string
	}{
		{"kubectl describe pod Events with the prompt and the reporter's '...' (k8s#100487)",
			readText(t, "../testdata/excerpts/objects/describe-pod-events-cgroupoom-victim-process-k8s-100487.log"), "kubectl describe output"},
		{"kubectl describe node Events (k3s#838)",
			readText(t, "../testdata/excerpts/objects/describe-node-events-systemoom-x4-over-k3s-838.log"), "kubectl describe output"},
		{"describe keys without the Events table",
			"Name:             web-0\nNamespace:        default\nPriority:         0\nNode:             node1/10.0.0.1\n", "kubectl describe output"},
		{"kubectl get events rows without their header (KubeFATE#64)",
			readText(t, "../testdata/excerpts/objects/get-events-table-evicted-killing-exceededgraceperiod-kubefate-64.log"), "kubectl get table"},
		{"oc get pods with its header, after a prompt (openshift/release#76967)",
			strings.Join(lines(readText(t, "../testdata/excerpts/objects/get-pods-and-yq-evicted-new-wording-threshold-openshift-release-76967.log"))[:7], "\n"), "kubectl get table"},
		{"a binary journal file's signature", "LPKSHHRH\x00\x00\x00\x00\x01\x02", "binary systemd journal file"},
		{"random bytes", "\x01\x02\x03\xff\xfe\n\x00\x10garbage\n", "binary data"},
		{"nothing at all", "", "the input is empty"},
		{"prose", "shopping list\nmilk\n", `first line: "shopping list"`},
	}
	for _, tt := range tests {
		var s sniffer
		for _, l := range lines(tt.text) {
			s.see([]byte(l))
		}
		if got := s.verdict(""); !strings.Contains(got, tt.want) {
			t.Errorf("%s: verdict %q, want it to say %q", tt.reason, got, tt.want)
		}
	}
}

// TestNothingUnderstood: such an input says so; one whose lines were read does not, even
// without any death in it. kubectl describe output is read now (kubectl_describe.go).
func TestNothingUnderstood(t *testing.T) {
	got := parsePasted(t, "describe", readText(t, "../testdata/excerpts/objects/describe-pod-events-cgroupoom-victim-process-k8s-100487.log"))
	if got.res.Unrecognised != "" || got.res.Kind != sources.KindKubectlText || len(got.events) == 0 {
		t.Errorf("describe output: kind %q, %q, %d events, %v", got.res.Kind, got.res.Unrecognised, len(got.events), got.res.Warnings)
	}
	prose := parsePasted(t, "prose", "shopping list\nmilk\n")
	if prose.res.Unrecognised == "" || !hasWarning(prose.res, "nothing in this input was understood") {
		t.Errorf("prose: %q, %v", prose.res.Unrecognised, prose.res.Warnings)
	}
	if empty := parsePasted(t, "empty", "\n\n"); empty.res.Unrecognised != "" || !hasWarning(empty.res, "the input is empty") {
		t.Errorf("an empty input is said, and fails nothing: %q, %v", empty.res.Unrecognised, empty.res.Warnings)
	}
	quiet := parsePasted(t, "dmesg", "[    5.092736] random: crng init done\n")
	if quiet.res.Unrecognised != "" || len(quiet.res.Warnings) != 0 {
		t.Errorf("a dmesg without an OOM: %q, %v", quiet.res.Unrecognised, quiet.res.Warnings)
	}
}
