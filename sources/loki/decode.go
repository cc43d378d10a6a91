package loki

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// A Stream is one label set's entries, as query_range returns them. Labels is the canonical
// label string ({a="1", b="2"}); Set holds the same labels as a map, for classification.
type Stream struct {
	Labels  string
	Entries []Entry
	Set     map[string]string
}

// response is the query_range JSON (docs: loki-http-api.md "Query logs within a range of
// time"): a stream result whose values are [ts, line] or, with categorize-labels, [ts, line,
// {structuredMetadata, parsed}]. A push-shaped flat third element is accepted too.
type response struct {
	Status string `json:"status"`
	Data   struct {
		ResultType    string   `json:"resultType"`
		EncodingFlags []string `json:"encodingFlags"`
		Result        []struct {
			Stream map[string]string `json:"stream"`
			Values []json.RawMessage `json:"values"`
		} `json:"result"`
	} `json:"data"`
}

// decodeStreams reads a query_range response body into streams.
func decodeStreams(body []byte) ([]Stream, error) {
	var r response
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("query_range response is not JSON: %w", err)
	}
	if r.Status != "success" {
		return nil, fmt.Errorf("query_range status %q", r.Status)
	}
	if r.Data.ResultType != "streams" {
		return nil, fmt.Errorf("query_range returned %q, not streams (a metric query?)", r.Data.ResultType)
	}
	out := make([]Stream, 0, len(r.Data.Result))
	for _, res := range r.Data.Result {
		s := Stream{Set: res.Stream}
		s.Labels = labelString(res.Stream)
		for _, raw := range res.Values {
			e, err := decodeValue(raw)
			if err != nil {
				return nil, err
			}
			s.Entries = append(s.Entries, e)
		}
		out = append(out, s)
	}
	return out, nil
}

// decodeValue reads ["<ns>", "<line>"] or ["<ns>", "<line>", {…}].
func decodeValue(raw json.RawMessage) (Entry, error) {
	var parts []json.RawMessage
	if err := json.Unmarshal(raw, &parts); err != nil || len(parts) < 2 || len(parts) > 3 {
		return Entry{}, fmt.Errorf("query_range value %s is not [ts, line] or [ts, line, metadata]", truncate(raw))
	}
	var tsText, line string
	if err := json.Unmarshal(parts[0], &tsText); err != nil {
		return Entry{}, fmt.Errorf("query_range timestamp %s is not a string", truncate(parts[0]))
	}
	ns, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return Entry{}, fmt.Errorf("query_range timestamp %q is not nanoseconds", tsText)
	}
	if err := json.Unmarshal(parts[1], &line); err != nil {
		return Entry{}, fmt.Errorf("query_range line %s is not a string", truncate(parts[1]))
	}
	e := Entry{Timestamp: time.Unix(0, ns).UTC(), Line: line}
	if len(parts) == 3 {
		var cat struct {
			Structured map[string]string `json:"structuredMetadata"`
			Parsed     map[string]string `json:"parsed"`
		}
		var flat map[string]any
		if json.Unmarshal(parts[2], &flat) != nil {
			return Entry{}, fmt.Errorf("query_range metadata %s is not an object", truncate(parts[2]))
		}
		_, isCat1 := flat["structuredMetadata"]
		_, isCat2 := flat["parsed"]
		if isCat1 || isCat2 {
			_ = json.Unmarshal(parts[2], &cat)
			e.StructuredMetadata, e.Parsed = adapter(cat.Structured), adapter(cat.Parsed)
		} else {
			m := map[string]string{}
			for k, v := range flat {
				m[k] = fmt.Sprint(v)
			}
			e.StructuredMetadata = adapter(m)
		}
	}
	return e, nil
}

func adapter(m map[string]string) LabelsAdapter {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(LabelsAdapter, 0, len(keys))
	for _, k := range keys {
		out = append(out, LabelAdapter{Name: k, Value: m[k]})
	}
	return out
}

// labelString renders a label set canonically, {a="1", b="2"}, as Loki prints stream labels.
func labelString(set map[string]string) string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k + "=" + strconv.Quote(set[k]))
	}
	b.WriteByte('}')
	return b.String()
}

func truncate(b []byte) string {
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}
