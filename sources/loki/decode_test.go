package loki

import (
	"strings"
	"testing"
)

// The shapes query_range answers with (loki-http-api.md): two-element values, the
// categorize-labels form, and a push-shaped flat metadata object.
func TestDecodeStreams(t *testing.T) {
	body := `{"status":"success","data":{"resultType":"streams","encodingFlags":["categorize-labels"],"result":[
{"stream":{"job":"varlogs","filename":"/var/log/messages"},"values":[["1569266497240578000","foo"],["1569266492548155000","bar",{}]]},
{"stream":{"job":"x"},"values":[["1569266497240578001","baz",{"structuredMetadata":{"trace_id":"1"},"parsed":{"level":"info"}}],
["1569266497240578002","qux",{"node":"n1"}]]}]}}`
	streams, err := decodeStreams(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(streams) != 2 || streams[0].Labels != `{filename="/var/log/messages", job="varlogs"}` || len(streams[0].Entries) != 2 {
		t.Fatalf("streams %+v", streams)
	}
	e := streams[1].Entries
	if e[0].StructuredMetadata[0].Name != "trace_id" || e[0].Parsed[0].Value != "info" || e[1].StructuredMetadata[0].Value != "n1" {
		t.Errorf("metadata %+v", e)
	}
	if e[0].Timestamp.UnixNano() != 1569266497240578001 {
		t.Errorf("nanoseconds lost: %d", e[0].Timestamp.UnixNano())
	}
	for _, bad := range []string{`{"status":"error"}`, `{"status":"success","data":{"resultType":"matrix"}}`,
		`{"status":"success","data":{"resultType":"streams","result":[{"stream":{},"values":[[1,"x"]]}]}}`} {
		if _, err := decodeStreams(strings.NewReader(bad)); err == nil {
			t.Errorf("%s decoded without error", bad)
		}
	}
}

// FuzzDecodeStreams: whatever a server or a proxy answers, the decoder returns an error or
// streams, never panics, and an error message of bounded size whatever the answer holds.
func FuzzDecodeStreams(f *testing.F) {
	f.Add(`{"status":"success","data":{"resultType":"streams","result":[{"stream":{"a":"b"},"values":[["1","x"],["2","y",{"k":"v"}]]}]}}`)
	f.Add(`{"status":"success","data":{"resultType":"streams","result":[{"stream":{},"values":[["9","z",{"structuredMetadata":{"a":"1"}}]]}]}}`)
	f.Fuzz(func(t *testing.T, body string) {
		streams, err := decodeStreams(strings.NewReader(body))
		if err != nil && len(err.Error()) > maxErr {
			t.Fatalf("error of %d bytes for a %d-byte answer", len(err.Error()), len(body))
		}
		if err == nil {
			for _, s := range streams {
				if s.Labels == "" {
					t.Fatal("a stream without its label string")
				}
			}
		}
	})
}
