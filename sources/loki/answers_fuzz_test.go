package loki

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/sources/jsonstream"
)

// maxErr bounds an error message about an answer: a server's 1 GB body must not come back
// as a 1 GB message.
const maxErr = 400

// FuzzDecodeVector: a metric query's answer gives a sum or an error, never a panic, the same
// twice, and an error message of bounded size whatever the answer holds.
func FuzzDecodeVector(f *testing.F) {
	f.Fuzz(func(t *testing.T, body string) {
		sum, err := decodeVector([]byte(body))
		sum2, err2 := decodeVector([]byte(body))
		if (err == nil) != (err2 == nil) || math.Float64bits(sum) != math.Float64bits(sum2) {
			t.Fatalf("decoded %q twice differently", body)
		}
		if err != nil && len(err.Error()) > maxErr {
			t.Fatalf("error of %d bytes for a %d-byte answer", len(err.Error()), len(body))
		}
	})
}

// FuzzLabels: a label-values answer decodes or errs with a bounded message, and any label
// set, taken from the answer when it is an object, is classified by every preset into a
// known kind with a node that is one of the set's values and a program that is one of them
// (less ".service") or "kernel".
func FuzzLabels(f *testing.F) {
	f.Fuzz(func(t *testing.T, body string) {
		values, err := decodeLabelValues([]byte(body))
		if err != nil && len(err.Error()) > maxErr {
			t.Fatalf("error of %d bytes", len(err.Error()))
		}
		if v2, _ := decodeLabelValues([]byte(body)); !reflect.DeepEqual(values, v2) {
			t.Fatalf("decoded %q twice differently", body)
		}
		var set map[string]string
		if json.Unmarshal([]byte(body), &set) != nil {
			return
		}
		vals := slices.Collect(func(yield func(string) bool) {
			for _, v := range set {
				if !yield(v) {
					return
				}
			}
		})
		for name, m := range Presets {
			kind, node, program := m.classify(set)
			if kind != kindMessages && kind != kindFile && kind != kindEvents {
				t.Fatalf("%s: kind %d", name, kind)
			}
			if node != "" && !slices.Contains(vals, node) {
				t.Fatalf("%s: node %q is no label of %v", name, node, set)
			}
			if program != "" && program != "kernel" && !slices.Contains(vals, program) && !slices.Contains(vals, program+".service") {
				t.Fatalf("%s: program %q is no label of %v", name, program, set)
			}
			if k2, n2, p2 := m.classify(set); k2 != kind || n2 != node || p2 != program {
				t.Fatalf("%s: classified %v twice differently", name, set)
			}
		}
	})
}

// FuzzPush: a push body of any findings round-trips: it is JSON of the documented shape, one
// stream per label set, and every value reads back through the query_range value decoder as
// the finding's time and line, in the findings' order.
func FuzzPush(f *testing.F) {
	f.Fuzz(func(t *testing.T, k1, v1, line1 string, ns1 int64, k2, v2, line2 string, ns2 int64) {
		findings := []Finding{
			{Labels: map[string]string{k1: v1, "job": "coroner"}, Time: time.Unix(0, ns1), Line: line1},
			{Labels: map[string]string{k2: v2, "job": "coroner"}, Time: time.Unix(0, ns2), Line: line2},
			{Labels: map[string]string{k1: v1, "job": "coroner"}, Time: time.Unix(0, ns2), Line: line2},
		}
		raw, err := encodePush(findings)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Streams []struct {
				Stream map[string]string `json:"stream"`
				Values []json.RawMessage `json:"values"`
			} `json:"streams"`
		}
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatalf("push body %s is not JSON: %v", raw, err)
		}
		want := 2
		if labelString(findings[0].Labels) == labelString(findings[1].Labels) {
			want = 1
		}
		if len(body.Streams) != want {
			t.Fatalf("%d streams for %d label sets", len(body.Streams), want)
		}
		var got []Entry
		for _, s := range body.Streams {
			for _, v := range s.Values {
				e, err := decodeValue(jsonstream.New(bytes.NewReader(v)))
				if err != nil {
					t.Fatalf("pushed value %s does not read back: %v", v, err)
				}
				got = append(got, e)
			}
		}
		if len(got) != len(findings) {
			t.Fatalf("%d values for %d findings", len(got), len(findings))
		}
		for _, e := range got {
			found := false
			for _, f := range findings {
				// JSON carries valid UTF-8 only: each invalid byte arrives as U+FFFD, as []rune makes it.
				found = found || e.Timestamp.Equal(f.Time) && e.Line == string([]rune(f.Line))
			}
			if !found {
				t.Fatalf("value %+v is no finding", e)
			}
		}
	})
}
