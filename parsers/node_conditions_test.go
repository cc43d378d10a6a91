package parsers

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/k8s-coroner/coroner/sources"
)

func TestConditionResources(t *testing.T) {
	if got := conditionResources("[MemoryPressure DiskPressure PIDPressure]"); !cmp.Equal(got, []string{"memory", "disk", "pids"}) {
		t.Errorf("got %q", got)
	}
}

// The kubelet's admission refusal names the node conditions that refused the pod.
func TestAdmitRejectedConditionResources(t *testing.T) {
	line := "W0222 21:48:12.035214    3709 kubelet.go:1650] Failed to admit pod kube-proxy-bbrr6_kube-system(17eed503-f948-11e6-92ea-42010a80000b) - node has conditions: [MemoryPressure DiskPressure]\n"
	var got [][]string
	in := &sources.Input{Name: "kubelet.log", Records: sources.Lines(strings.NewReader(line))}
	ParseInput(in, Options{}, func(e Event) {
		if l, ok := e.(*KubeletLine); ok && l.Kind == KubeletAdmitRejected {
			got = append(got, l.ConditionResources)
		}
	})
	if want := [][]string{{"memory", "disk"}}; !cmp.Equal(got, want) {
		t.Errorf("admission refusals' condition resources = %q, want %q", got, want)
	}
}
