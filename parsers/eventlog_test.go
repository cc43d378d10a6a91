package parsers

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/k8s-coroner/coroner/sources"
)

// An Event reaches the events parser three ways: Alloy's logfmt line, the same keys as flat
// JSON, and a log store's document whose fields arrive by name (Metricbeat's kubernetes.event
// in Elasticsearch), the message as its text. Each gives the same Event.
func TestEventLogForms(t *testing.T) {
	at := time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)
	msg := "The node was low on resource: memory. Threshold quantity: 100Mi, available: 90Mi."
	tests := []struct {
		form string
		rec  sources.Record
	}{
		{"logfmt with the namespace as a stream label", sources.Record{
			Bytes:  []byte(`name=etl-1 kind=Pod action= reason=Evicted type=Warning count=2 msg="` + msg + `"`),
			Labels: map[string]string{"namespace": "jobs"}}},
		{"flat JSON with the namespace as a stream label", sources.Record{
			Bytes:  []byte(`{"name":"etl-1","kind":"Pod","reason":"Evicted","type":"Warning","count":2,"msg":"` + msg + `"}`),
			Labels: map[string]string{"namespace": "jobs"}}},
		{"a document's fields, namespace among them", sources.Record{Bytes: []byte(msg),
			Fields: map[string]string{"name": "etl-1", "kind": "Pod", "reason": "Evicted", "type": "Warning", "count": "2", "msg": msg, "namespace": "jobs"}}},
	}
	for _, tt := range tests {
		rec := tt.rec
		rec.Line, rec.Time, rec.Bare, rec.Program = 1, at, true, EventsProgram
		in := &sources.Input{Name: "store:events", Records: func(yield func(sources.Record, error) bool) { yield(rec, nil) }}
		var got []*KubeEvent
		ParseInput(in, Options{}, func(e Event) {
			if k, ok := e.(*KubeEvent); ok {
				got = append(got, k)
			}
		})
		if len(got) != 1 {
			t.Fatalf("%s: %d Events, want 1", tt.form, len(got))
		}
		e := got[0]
		type summary struct {
			Reason, Type, Message, Kind, Name, Namespace string
			Count                                        int32
			Last                                         time.Time
		}
		want := summary{"Evicted", "Warning", msg, "Pod", "etl-1", "jobs", 2, at}
		if d := cmp.Diff(want, summary{e.Reason, e.Type, e.Message, e.Object.Kind, e.Object.Name, e.Object.Namespace, e.Count, e.LastTime}); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.form, d)
		}
	}
}
