package parsers

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/k8s-coroner/coroner/sources"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// The objects below are built with the k8s.io/api types and serialised the way the API server
// does (encoding/json over those types) and kubectl prints it (4-space indent for -o json,
// sigs.k8s.io/yaml for -o yaml), so field names, order and value types are the real ones.

var t0 = metav1.NewTime(time.Date(2025, 3, 29, 6, 48, 51, 0, time.UTC))

func oomPod(name string) corev1.Pod {
	return corev1.Pod{
		TypeMeta:   metav1.TypeMeta{Kind: "Pod", APIVersion: "v1"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "payments", UID: "5cdfa62e-2f90-4e7e-b3de-d2d6168860d8"},
		Spec:       corev1.PodSpec{NodeName: "node1", Containers: []corev1.Container{{Name: "api"}}},
		Status: corev1.PodStatus{QOSClass: corev1.PodQOSBurstable, ContainerStatuses: []corev1.ContainerStatus{{
			Name: "api", RestartCount: 1, ContainerID: "containerd://765a2080b8a836f4d9a775daa117c570805a397b0072e8e54be82406d693fbca",
			LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
				ExitCode: 137, Reason: "OOMKilled", StartedAt: t0, FinishedAt: t0}},
		}}},
	}
}

func evictedEvent() corev1.Event {
	return corev1.Event{
		TypeMeta:       metav1.TypeMeta{Kind: "Event", APIVersion: "v1"},
		ObjectMeta:     metav1.ObjectMeta{Name: "web.1", Namespace: "payments"},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "payments", Name: "web", UID: "1"},
		Reason:         "Evicted", Type: "Warning", Count: 1,
		Message:        "The node was low on resource: memory. Threshold quantity: 100Mi, available: 91884Ki. ",
		Source:         corev1.EventSource{Component: "kubelet", Host: "node1"},
		FirstTimestamp: t0, LastTimestamp: t0,
	}
}

func mustJSON(t *testing.T, v any, indent bool) string {
	t.Helper()
	var b []byte
	var err error
	if indent {
		b, err = json.MarshalIndent(v, "", "    ")
	} else {
		b, err = json.Marshal(v)
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

// summary renders events compactly for comparison.
func summary(events []Event) []string {
	var out []string
	for _, e := range events {
		switch e := e.(type) {
		case *PodStatus:
			out = append(out, "pod "+e.Pod.Namespace+"/"+e.Pod.Name+" line "+itoaTest(e.Pos.Line))
		case *KubeEvent:
			out = append(out, "event "+e.Reason+" "+e.Object.Name+" on "+e.Host+" at "+e.LastTime.UTC().Format(time.RFC3339)+" line "+itoaTest(e.Pos.Line))
		}
	}
	return out
}

func itoaTest(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestKubeObjects(t *testing.T) {
	p1, p2 := oomPod("api-1"), oomPod("api-2")
	p2.Kind = "" // PodList items carry no kind
	list := map[string]any{"apiVersion": "v1", "kind": "List", "items": []any{p1, evictedEvent()}, "metadata": map[string]any{"resourceVersion": ""}}
	podList := map[string]any{"apiVersion": "v1", "kind": "PodList", "items": []any{p2}}
	newEvent := eventsv1.Event{TypeMeta: metav1.TypeMeta{Kind: "Event", APIVersion: "events.k8s.io/v1"},
		ObjectMeta: metav1.ObjectMeta{Name: "x", Namespace: "payments"},
		EventTime:  metav1.NewMicroTime(t0.Time), ReportingController: "kubelet", ReportingInstance: "node2",
		Action: "Killing", Reason: "Killing", Regarding: corev1.ObjectReference{Kind: "Pod", Name: "db"}, Note: "Stopping container db", Type: "Normal"}
	yamlPod, err := yaml.Marshal(p1)
	if err != nil {
		t.Fatal(err)
	}
	yamlEvent, _ := yaml.Marshal(evictedEvent())
	tests := []struct {
		reason string
		text   string
		want   []string
		warns  int
	}{
		{"kubectl get -o json of a List: items streamed, each at its line", mustJSON(t, list, true),
			[]string{"pod payments/api-1 line 4", "event Evicted web on node1 at 2025-03-29T06:48:51Z line EVLINE"}, 0},
		{"a PodList: kubectl prints items before kind, so kindless items are told by their fields", mustJSON(t, podList, true), []string{"pod payments/api-2 line 4"}, 0},
		{"a single object", mustJSON(t, p1, true), []string{"pod payments/api-1 line 1"}, 0},
		{"event exporter JSON lines, events.k8s.io/v1 among them",
			mustJSON(t, evictedEvent(), false) + mustJSON(t, newEvent, false),
			[]string{"event Evicted web on node1 at 2025-03-29T06:48:51Z line 1", "event Killing db on node2 at 2025-03-29T06:48:51Z line 2"}, 0},
		{"YAML documents", string(yamlPod) + "---\n" + string(yamlEvent),
			[]string{"pod payments/api-1 line 1", "event Evicted web on node1 at 2025-03-29T06:48:51Z line " + itoaTest(strings.Count(string(yamlPod), "\n")+2)}, 0},
		{"truncated JSON keeps what was read and says where it stopped", mustJSON(t, list, true)[:1500],
			[]string{"pod payments/api-1 line 4"}, 1},
		{"objects of other kinds are passed over", `{"kind":"Node","apiVersion":"v1","metadata":{"name":"n"}}` + "\n", nil, 1},
	}
	listText := mustJSON(t, list, true)
	evLine := strings.Count(listText[:strings.Index(listText, `"kind": "Event"`)], "\n") // the line of the event's "{"
	for _, tt := range tests {
		for i, w := range tt.want {
			tt.want[i] = strings.Replace(w, "EVLINE", itoaTest(evLine), 1)
		}
		events, res := parseText(t, tt.text)
		if diff := cmp.Diff(tt.want, summary(events)); diff != "" {
			t.Errorf("%s: events (-want +got):\n%s", tt.reason, diff)
		}
		if len(res.Warnings) != tt.warns || res.Kind != sources.KindKubeObjects {
			t.Errorf("%s: kind %s, warnings %v, want %d", tt.reason, res.Kind, res.Warnings, tt.warns)
		}
		// the same from the raw stream a file gives
		rawEvents, rawRes := parseRaw(t, tt.text)
		if diff := cmp.Diff(tt.want, summary(rawEvents)); diff != "" {
			t.Errorf("%s, raw stream: events (-want +got):\n%s", tt.reason, diff)
		}
		if len(rawRes.Warnings) != tt.warns || rawRes.Kind != sources.KindKubeObjects || rawRes.Lines != res.Lines {
			t.Errorf("%s, raw stream: kind %s, %d lines (want %d), warnings %v, want %d", tt.reason, rawRes.Kind, rawRes.Lines, res.Lines, rawRes.Warnings, tt.warns)
		}
	}
}

// Of an events List, the Events that say nothing of memory are not kept: only those whose
// reason may, and the first Event, which tells the correlator that Events were read.
func TestEventListKeepsMemoryEvents(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: List\nitems:\n")
	reasons := []string{"Scheduled", "Pulled", "Killing", "Started", "Evicted", "Created", "BackOff"}
	for i, r := range reasons {
		fmt.Fprintf(&b, "- apiVersion: v1\n  kind: Event\n  metadata:\n    name: e%d\n    namespace: team\n  involvedObject:\n    kind: Pod\n    name: web-%d\n    namespace: team\n  reason: %s\n  message: m\n  lastTimestamp: \"2025-03-29T10:00:%02dZ\"\n", i, i, r, i)
	}
	var got []string
	ParseInput(bytesInput("events.yaml", []byte(b.String())), Options{}, func(e Event) {
		if k, ok := e.(*KubeEvent); ok {
			got = append(got, k.Reason)
		}
	})
	if want := []string{"Scheduled", "Killing", "Evicted", "BackOff"}; !slices.Equal(got, want) {
		t.Errorf("emitted %v, want %v", got, want)
	}
}
