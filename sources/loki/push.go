package loki

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/golang/snappy"
	"github.com/grafana/loki/pkg/push"
)

// A Finding is one death as a log line for Loki.
type Finding struct {
	Labels map[string]string
	Time   time.Time
	Line   string
}

// Push writes findings to /loki/api/v1/push as Loki's protobuf, snappy-compressed
// (loki-http-api.md "Ingest logs"), one stream per label set. Loki keeps one entry per stream,
// time and line, so pushing the same findings again adds nothing.
func (c *Client) Push(ctx context.Context, findings []Finding) error {
	streams := map[string]*push.Stream{}
	var order []string
	for _, f := range findings {
		key := labelString(f.Labels)
		st := streams[key]
		if st == nil {
			st = &push.Stream{Labels: key}
			streams[key] = st
			order = append(order, key)
		}
		st.Entries = append(st.Entries, push.Entry{Timestamp: f.Time.UTC(), Line: f.Line})
	}
	req := push.PushRequest{}
	for _, k := range order {
		req.Streams = append(req.Streams, *streams[k])
	}
	raw, err := req.Marshal()
	if err != nil {
		return fmt.Errorf("encoding findings: %w", err)
	}
	body := snappy.Encode(nil, raw)
	err = c.backoff().Do(ctx, func() error {
		_, err := c.once(ctx, http.MethodPost, "/loki/api/v1/push", nil, bytes.NewReader(body), "application/x-protobuf")
		return err
	}, retryable, retryAfter)
	if err != nil {
		return fmt.Errorf("pushing findings: %w", err)
	}
	return nil
}
