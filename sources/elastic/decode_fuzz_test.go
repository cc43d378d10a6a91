package elastic

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// FuzzDecodeSearch: whatever a cluster or a proxy answers to a search, decodeSearch returns an
// error or a page, never panics; the page is the same when decoded again; every sort value can
// be echoed back as search_after (the next request is built from them, and a value that does
// not marshal would send an empty body); and every document read from a hit under any preset
// keeps its identity and is kept only with a text and a time. An error body becomes a bounded
// message.
func FuzzDecodeSearch(f *testing.F) {
	f.Add(`{"pit_id":"p1","hits":{"hits":[{"_index":"filebeat-1","_id":"a","_source":{"@timestamp":"2026-11-27T19:05:40.123Z","message":"Memory cgroup out of memory: Killed process 42 (app)","host":{"name":"node2"},"systemd":{"transport":"kernel"}},"sort":[1795805940123,{"x":1}]}]}}`)
	f.Add(`{"_shards":{"failed":1,"failures":[{"reason":{"type":"search_context_missing_exception","reason":"No search context found"}}]}}`)
	f.Add(`{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index"}],"type":"x","reason":"y"},"status":404}`)
	f.Fuzz(func(t *testing.T, body string) {
		resp, err := decodeSearch(strings.NewReader(body))
		again, err2 := decodeSearch(strings.NewReader(body))
		if (err == nil) != (err2 == nil) || !reflect.DeepEqual(resp, again) {
			t.Fatalf("decoded %q twice differently", body)
		}
		if se := statusError(500, http.Header{}, []byte(body)); se == nil || len(se.Error()) > len(body)+600 {
			t.Fatalf("error body %q gave %v", body, se)
		}
		if err != nil {
			return
		}
		for _, h := range resp.Hits.Hits {
			for _, v := range h.Sort {
				if !json.Valid(v) {
					t.Fatalf("sort value %q is not JSON", v)
				}
			}
			if _, err := json.Marshal(map[string]any{"search_after": h.Sort}); err != nil {
				t.Fatalf("sort values %q cannot be echoed: %v", h.Sort, err)
			}
			key := h.Index + "\x00" + h.ID
			for name, fields := range Presets {
				s := &Store{Fields: fields}
				d, ok := s.nodeDoc(h)
				if !ok {
					continue
				}
				if d.Key != key || len(d.Record.Bytes) == 0 || d.Record.Time.IsZero() {
					t.Fatalf("%s: kept node document %+v of %q", name, d, body)
				}
				if strings.HasPrefix(d.Stream, ":") || strings.HasSuffix(d.Stream, ":") {
					t.Fatalf("%s: stream %q", name, d.Stream)
				}
			}
			for name, fields := range EventPresets {
				s := &Store{EventFields: fields}
				d, ok := s.eventDoc(h)
				// A whole Event goes to the Event decoder as it is, which reads its own times.
				if ok && (d.Key != key || fields.Whole && string(d.Record.Bytes) != string(h.Source) || !fields.Whole && d.Record.Time.IsZero()) {
					t.Fatalf("%s: kept event document %+v of %q", name, d, body)
				}
			}
		}
	})
}
