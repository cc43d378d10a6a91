package loki

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// A Finding is one death as a log line for Loki.
type Finding struct {
	Labels map[string]string
	Time   time.Time
	Line   string
}

// pushBody is the JSON form of /loki/api/v1/push (loki-http-api.md "Ingest logs"):
// {"streams":[{"stream":{labels},"values":[["<ns>","<line>"],…]}]}. JSON rather than
// protobuf+snappy: findings are a few lines per run, and the protobuf types would bring gRPC.
type pushBody struct {
	Streams []pushStream `json:"streams"`
}

type pushStream struct {
	Stream map[string]string `json:"stream"`
	Values [][2]string       `json:"values"`
}

// Push writes findings to /loki/api/v1/push, one stream per label set, in the order the
// findings come. Loki keeps one entry per stream, time and line, so pushing the same
// findings again adds nothing.
func (c *Client) Push(ctx context.Context, findings []Finding) error {
	if len(findings) == 0 {
		return nil
	}
	raw, err := encodePush(findings)
	if err != nil {
		return fmt.Errorf("encoding findings: %w", err)
	}
	err = c.backoff().Do(ctx, func() error {
		_, err := c.once(ctx, http.MethodPost, "/loki/api/v1/push", nil, bytes.NewReader(raw), "application/json")
		return err
	}, retryable, retryAfter)
	if err != nil {
		return fmt.Errorf("pushing findings: %w", err)
	}
	return nil
}

// findingsOf turns deaths into log lines: the death as JSON, at the death's time (else the
// range's end), in a stream labelled by mechanism, namespace and node, so Grafana shows them
// beside the logs. The same run over the same range writes the same lines.
func findingsOf(deaths []report.Death, fallback time.Time) []Finding {
	var out []Finding
	for _, d := range deaths {
		line, err := json.Marshal(d)
		if err != nil {
			continue
		}
		at := fallback
		if d.Time != nil {
			at = *d.Time
		}
		labels := map[string]string{"job": "coroner", "mechanism": string(d.Mechanism)}
		if d.Namespace != "" {
			labels["namespace"] = d.Namespace
		}
		if d.Node != "" {
			labels["node"] = d.Node
		}
		out = append(out, Finding{Labels: labels, Time: at, Line: string(line)})
	}
	return out
}
