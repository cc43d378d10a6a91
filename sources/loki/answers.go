package loki

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// The decoders of Loki's smaller answers and the encoder of a push, apart from the client so
// that whatever a server or a proxy answers can be fuzzed without one.

// decodeVector adds up the values of a metric query's vector result.
func decodeVector(body []byte) (float64, error) {
	var r struct {
		Status string `json:"status"`
		Data   struct {
			ResultType string `json:"resultType"`
			Result     []struct {
				Value [2]json.RawMessage `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return 0, fmt.Errorf("query response is not JSON: %w", err)
	}
	if r.Data.ResultType != "vector" {
		return 0, fmt.Errorf("query returned %q, not a vector", truncate([]byte(r.Data.ResultType)))
	}
	sum := 0.0
	for _, res := range r.Data.Result {
		var s string
		if json.Unmarshal(res.Value[1], &s) != nil {
			return 0, fmt.Errorf("query value %s is not a string", truncate(res.Value[1]))
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil { // strconv's error quotes the whole value, however long a server sent it
			return 0, fmt.Errorf("query value %s is not a number", truncate(res.Value[1]))
		}
		sum += v
	}
	return sum, nil
}

// decodeLabelValues reads /label/<name>/values: {"status":"success","data":["a","b"]}.
func decodeLabelValues(body []byte) ([]string, error) {
	var r struct {
		Data []string `json:"data"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("label values: %w", err)
	}
	return r.Data, nil
}

// encodePush builds the push body of findings: one stream per label set, in the order the
// findings come.
func encodePush(findings []Finding) ([]byte, error) {
	index := map[string]int{}
	var body pushBody
	for _, f := range findings {
		key := labelString(f.Labels)
		i, ok := index[key]
		if !ok {
			i = len(body.Streams)
			index[key] = i
			body.Streams = append(body.Streams, pushStream{Stream: f.Labels})
		}
		ns := strconv.FormatInt(f.Time.UnixNano(), 10)
		body.Streams[i].Values = append(body.Streams[i].Values, [2]string{ns, f.Line})
	}
	return json.Marshal(body)
}
