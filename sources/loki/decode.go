package loki

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/sources/jsonstream"
)

// A Stream is one label set's entries, as query_range returns them. Labels is the canonical
// label string ({a="1", b="2"}); Set holds the same labels as a map, for classification.
type Stream struct {
	Labels  string
	Entries []Entry
	Set     map[string]string
}

// decodeStreams reads a query_range answer (docs: loki-http-api.md "Query logs within a range
// of time") as it arrives: a stream result whose values are [ts, line] or, with
// categorize-labels, [ts, line, {structuredMetadata, parsed}]; a push-shaped flat third
// element is accepted too. Each value is decoded on its own into its entry, so a page of
// 5000 long lines is held once, as its entries, never also as the answer's bytes. Loki writes
// status and resultType before the result; a result before its resultType is read as streams
// and the resultType checked at the end.
func decodeStreams(r io.Reader) ([]Stream, error) {
	w := jsonstream.New(r)
	var status, resultType string
	var out []Stream
	var bad error // the first value that is not Loki's; the walk goes on to read status and resultType
	err := w.Object("the answer", func(key string) error {
		switch key {
		case "status":
			return w.Decode(&status)
		case "data":
			return w.Object("its data", func(key string) error {
				switch key {
				case "resultType":
					return w.Decode(&resultType)
				case "result":
					if resultType != "" && resultType != "streams" {
						return w.Skip()
					}
					return w.Array("its result", func() error {
						s, err := decodeStream(w)
						if isValueError(err) {
							bad = cmp.Or(bad, err)
							return nil
						}
						out = append(out, s)
						return err
					})
				}
				return w.Skip()
			})
		}
		return w.Skip()
	})
	var shape *jsonstream.ShapeError
	switch {
	case errors.As(err, &shape):
		return nil, fmt.Errorf("query_range: %w", err)
	case err != nil:
		return nil, fmt.Errorf("query_range response is not JSON: %w", err)
	case status != "success":
		return nil, fmt.Errorf("query_range status %q", truncate([]byte(status)))
	case resultType != "streams":
		return nil, fmt.Errorf("query_range returned %q, not streams (a metric query?)", truncate([]byte(resultType)))
	case bad != nil:
		return nil, bad
	}
	return out, nil
}

// valueError is a value of a stream that is not what Loki writes. It is consumed whole, so
// that the walk goes on: a status or resultType read later may say why (an error answer, a
// matrix), and is said before it.
type valueError struct{ msg string }

func (e *valueError) Error() string { return e.msg }

func isValueError(err error) bool {
	var ve *valueError
	return errors.As(err, &ve)
}

// decodeStream reads one {"stream": {labels}, "values": [...]} of the result; after a
// valueError it reads on to the stream's end.
func decodeStream(w *jsonstream.Walker) (Stream, error) {
	var s Stream
	var bad error
	err := w.Object("a stream of the result", func(key string) error {
		switch key {
		case "stream":
			return w.Decode(&s.Set)
		case "values":
			return w.Array("a stream's values", func() error {
				e, err := decodeValue(w)
				switch {
				case isValueError(err):
					bad = cmp.Or(bad, err)
					return nil
				case err == nil:
					s.Entries = append(s.Entries, e)
				}
				return err
			})
		}
		return w.Skip()
	})
	s.Labels = labelString(s.Set)
	return s, cmp.Or(err, bad)
}

// decodeValue reads ["<ns>", "<line>"] or ["<ns>", "<line>", {…}], all of it even when a
// part is wrong (a valueError).
func decodeValue(w *jsonstream.Walker) (Entry, error) {
	at := w.Offset()
	var e Entry
	var tsText string
	parts := 0
	var bad error
	err := w.Array("a value", func() error {
		parts++
		if bad != nil {
			return w.Skip()
		}
		switch parts {
		case 1:
			if bad = decodeString(w, &tsText, "timestamp", at); bad == nil {
				ns, err := strconv.ParseInt(tsText, 10, 64)
				if err != nil {
					bad = &valueError{fmt.Sprintf("query_range timestamp %q is not nanoseconds", truncate([]byte(tsText)))}
				}
				e.Timestamp = time.Unix(0, ns).UTC()
			}
		case 2:
			bad = decodeString(w, &e.Line, "line", at)
		case 3:
			var raw json.RawMessage
			if err := w.Decode(&raw); err != nil {
				return err
			}
			bad = decodeMetadata(raw, &e)
		default:
			bad = notAValue(at)
			return w.Skip()
		}
		if bad != nil && !isValueError(bad) {
			return bad // the JSON itself, not its shape: the walk cannot go on
		}
		return nil
	})
	var shape *jsonstream.ShapeError
	switch {
	case errors.As(err, &shape):
		return Entry{}, notAValue(at)
	case err != nil:
		return Entry{}, err
	case bad != nil:
		return Entry{}, bad
	case parts < 2:
		return Entry{}, notAValue(at)
	}
	return e, nil
}

func notAValue(at int64) error {
	return &valueError{fmt.Sprintf("query_range value at byte %d is not [ts, line] or [ts, line, metadata]", at)}
}

// decodeString reads a string of a value; any other JSON there is a valueError.
func decodeString(w *jsonstream.Walker, dst *string, what string, at int64) error {
	err := w.Decode(dst)
	var wrongType *json.UnmarshalTypeError
	if errors.As(err, &wrongType) {
		return &valueError{fmt.Sprintf("query_range %s at byte %d is not a string", what, at)}
	}
	return err
}

// decodeMetadata reads a value's third element: categorize-labels' {structuredMetadata,
// parsed}, or a push-shaped flat object of structured metadata.
func decodeMetadata(raw json.RawMessage, e *Entry) error {
	var flat map[string]any
	if json.Unmarshal(raw, &flat) != nil {
		return &valueError{fmt.Sprintf("query_range metadata %s is not an object", truncate(raw))}
	}
	_, isCat1 := flat["structuredMetadata"]
	_, isCat2 := flat["parsed"]
	if isCat1 || isCat2 {
		var cat struct {
			Structured map[string]string `json:"structuredMetadata"`
			Parsed     map[string]string `json:"parsed"`
		}
		_ = json.Unmarshal(raw, &cat)
		e.StructuredMetadata, e.Parsed = adapter(cat.Structured), adapter(cat.Parsed)
		return nil
	}
	m := map[string]string{}
	for k, v := range flat {
		m[k] = fmt.Sprint(v)
	}
	e.StructuredMetadata = adapter(m)
	return nil
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
