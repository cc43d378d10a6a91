package parsers

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/k8s-coroner/coroner/sources"
)

// The eviction facts are read once the parser has finished the event: a kubectl row whose
// message the paste wrapped onto the next line still names its offender, and an Event
// object's annotations come with it.
func TestEvictionFactsOfParsedEvents(t *testing.T) {
	tests := []struct {
		reason, input string
		want          Eviction
		wantNotes     *EvictionAnnotations
	}{
		{"a kubectl row wrapped after the threshold", "$ kubectl get events\n" +
			"LAST SEEN   TYPE      REASON    OBJECT      MESSAGE\n" +
			"5m          Warning   Evicted   pod/web-1   The node was low on resource: memory. Threshold quantity: 100Mi, available: 91884Ki.\n" +
			"Container app was using 1Gi, request is 100Mi, has larger consumption of memory.\n",
			Eviction{Resource: "memory", Scope: EvictionScopeNode, Threshold: "100Mi", Available: "91884Ki",
				Usage: []EvictionUsage{{Container: "app", Usage: "1Gi", Request: "100Mi", UsageBytes: bytesOf(1 << 30)}}}, nil},
		{"an Event object with the eviction manager's annotations",
			`{"apiVersion":"v1","kind":"Event","metadata":{"name":"web-1.1","namespace":"shop","annotations":{"offending_containers":"app","offending_containers_usage":"1Gi","starved_resource":"memory"}},` +
				`"involvedObject":{"kind":"Pod","namespace":"shop","name":"web-1"},"reason":"Evicted","message":"The node was low on resource: memory. ","type":"Warning","lastTimestamp":"2026-11-27T18:33:45Z"}` + "\n",
			Eviction{Resource: "memory", Scope: EvictionScopeNode},
			&EvictionAnnotations{Starved: "memory", Offending: []EvictionUsage{{Container: "app", Usage: "1Gi", UsageBytes: bytesOf(1 << 30)}}}},
	}
	for _, tt := range tests {
		var got []*KubeEvent
		in := &sources.Input{Name: "events", Records: sources.Lines(strings.NewReader(tt.input))}
		ParseInput(in, Options{Clock: Clock{Now: time.Date(2026, 11, 27, 18, 40, 0, 0, time.UTC)}}, func(e Event) {
			if k, ok := e.(*KubeEvent); ok && k.Reason == "Evicted" {
				got = append(got, k)
			}
		})
		if len(got) != 1 {
			t.Errorf("%s: %d Evicted events, want 1", tt.reason, len(got))
			continue
		}
		if diff := cmp.Diff(tt.want, got[0].Eviction); diff != "" {
			t.Errorf("%s: eviction (-want +got):\n%s", tt.reason, diff)
		}
		if diff := cmp.Diff(tt.wantNotes, got[0].EvictionAnnotations); diff != "" {
			t.Errorf("%s: annotations (-want +got):\n%s", tt.reason, diff)
		}
	}
}
