package elastic

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/sources/batch"
	"github.com/k8s-coroner/coroner/sources/secret"
)

// nodeQuery selects a window's documents holding a trigger phrase.
func (s *Store) nodeQuery(from, to time.Time) map[string]any {
	should := make([]any, 0, len(s.phrases))
	for _, p := range s.phrases {
		should = append(should, map[string]any{"match_phrase": map[string]any{s.Fields.Message: p}})
	}
	b := map[string]any{"filter": []any{timeRange(s.Fields.Time, from, to)}}
	if len(should) > 0 {
		b["should"], b["minimum_should_match"] = should, 1
	}
	return map[string]any{"bool": b}
}

// includes are the fields of node-log documents the store ships.
func (s *Store) includes() []string {
	f := s.Fields
	out := []string{f.Time, f.Message}
	for _, x := range append([]string{f.Unit, f.Transport, f.Identifier}, f.Hosts...) {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// eventsQuery selects a window's Events of the given reasons.
func eventsQuery(ef EventFields, reasons []string, w batch.Window) map[string]any {
	terms := make([]any, len(reasons))
	for i, r := range reasons {
		terms[i] = r
	}
	return map[string]any{"bool": map[string]any{"filter": []any{timeRange(ef.Time, w.From, w.To),
		map[string]any{"terms": map[string]any{ef.Reason: terms}}}}}
}

// hostQuery selects every document of one node in a window, whichever host field it has.
func hostQuery(f Fields, host string, w batch.Window) map[string]any {
	var terms []any
	for _, hf := range f.Hosts {
		terms = append(terms, map[string]any{"term": map[string]any{hf: host}})
	}
	hostFilter := map[string]any{"bool": map[string]any{"should": terms, "minimum_should_match": 1}}
	return map[string]any{"bool": map[string]any{"filter": []any{timeRange(f.Time, w.From, w.To), hostFilter}}}
}

// parseTime reads a date as shippers write it: RFC 3339 (nanoseconds allowed) or epoch millis.
func parseTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return t.UTC(), true
		}
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return time.UnixMilli(n).UTC(), true
		}
	}
	return time.Time{}, false
}

// shownURLs are the cluster's addresses as messages and reports may show them.
func (c *Client) shownURLs() string {
	shown := make([]string, len(c.urls))
	for i, u := range c.urls {
		shown[i] = secret.URL(u.String())
	}
	return strings.Join(shown, ",")
}
