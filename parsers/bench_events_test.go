package parsers

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const benchEvents = 50000

// eventsFile writes a v1 List of Events as kubectl prints it (indented JSON), once per run.
var eventsFile = sync.OnceValues(func() (string, error) {
	path := filepath.Join(os.TempDir(), "coroner-bench-events.json")
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	t0 := time.Date(2025, 3, 29, 14, 0, 0, 0, time.UTC)
	items := make([]corev1.Event, benchEvents)
	reasons := []string{"Pulled", "Created", "Started", "Killing", "Evicted", "Unhealthy", "BackOff", "Scheduled"}
	for i := range items {
		at := metav1.NewTime(t0.Add(time.Duration(i) * time.Second))
		items[i] = corev1.Event{
			TypeMeta:       metav1.TypeMeta{APIVersion: "v1", Kind: "Event"},
			ObjectMeta:     metav1.ObjectMeta{Name: fmt.Sprintf("web-%d.%x", i, i*7919), Namespace: "team", CreationTimestamp: at},
			InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "team", Name: fmt.Sprintf("web-%d", i%500), APIVersion: "v1", FieldPath: "spec.containers{app}"},
			Reason:         reasons[i%len(reasons)],
			Message:        "The node was low on resource: memory. Threshold quantity: 100Mi, available: 80216Ki. ",
			Source:         corev1.EventSource{Component: "kubelet", Host: "node-1"},
			FirstTimestamp: at, LastTimestamp: at, Count: 1, Type: "Warning",
		}
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "    ")
	return path, enc.Encode(map[string]any{"apiVersion": "v1", "kind": "List", "items": items, "metadata": map[string]any{"resourceVersion": ""}})
})
