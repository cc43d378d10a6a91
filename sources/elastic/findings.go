package elastic

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// A Finding is one death as a document.
type Finding struct {
	Key string // what identifies the death across runs: its _id is a hash of it
	Doc any
}

// findingsTemplate maps the findings index: keywords for what people filter and aggregate on,
// dates for times, text for the sentences.
const findingsTemplate = `{"index_patterns":[%q],"template":{"mappings":{"dynamic":true,"properties":{
"@timestamp":{"type":"date_nanos"},"time":{"type":"date_nanos"},"node":{"type":"keyword"},"namespace":{"type":"keyword"},
"pod":{"type":"keyword"},"container":{"type":"keyword"},"containerID":{"type":"keyword"},"mechanism":{"type":"keyword"},
"confidence":{"type":"keyword"},"qos":{"type":"keyword"},"summary":{"type":"text"},"advice":{"type":"text"},
"evidence":{"type":"object","enabled":false}}}},"priority":200}`

// IndexFindings writes findings to index through _bulk, each with an _id derived from its
// key so that a re-run over the same range overwrites instead of duplicating, after putting an
// index template with sensible mappings.
func (c *Client) IndexFindings(ctx context.Context, index string, findings []Finding) error {
	tmpl := []byte(fmt.Sprintf(findingsTemplate, index))
	if _, err := c.call(ctx, func(rctx context.Context) ([]byte, error) {
		return nil, c.putTemplate(rctx, "coroner-findings", tmpl)
	}); err != nil {
		return fmt.Errorf("index template: %w", err)
	}
	var buf bytes.Buffer
	for _, f := range findings {
		sum := sha256.Sum256([]byte(f.Key))
		action, _ := json.Marshal(map[string]any{"index": map[string]string{"_index": index, "_id": hex.EncodeToString(sum[:16])}})
		doc, err := json.Marshal(f.Doc)
		if err != nil {
			return err
		}
		buf.Write(action)
		buf.WriteByte('\n')
		buf.Write(doc)
		buf.WriteByte('\n')
	}
	if buf.Len() == 0 {
		return nil
	}
	raw, err := c.call(ctx, func(rctx context.Context) ([]byte, error) { return c.bulk(rctx, buf.Bytes()) })
	if err != nil {
		return err
	}
	var r struct {
		Errors bool `json:"errors"`
		Items  []map[string]struct {
			Status int `json:"status"`
			Error  struct {
				Type   string `json:"type"`
				Reason string `json:"reason"`
			} `json:"error"`
		} `json:"items"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return fmt.Errorf("bulk response: %w", err)
	}
	if r.Errors {
		for _, it := range r.Items {
			for _, res := range it {
				if res.Status > 299 {
					return fmt.Errorf("bulk: %s: %s", res.Error.Type, res.Error.Reason)
				}
			}
		}
	}
	return nil
}

// findingsOf are the deaths as documents, keyed by what identifies a death across runs; one
// without a time is placed at fallback (the range's end).
func findingsOf(deaths []report.Death, fallback time.Time) []Finding {
	var out []Finding
	for _, d := range deaths {
		at := fallback
		if d.Time != nil {
			at = *d.Time
		}
		victim := 0
		if d.Victim != nil {
			victim = d.Victim.PID
		}
		key := strings.Join([]string{d.Node, d.Namespace, d.Pod, d.Container, d.ContainerID, string(d.Mechanism),
			at.UTC().Format(time.RFC3339Nano), strconv.Itoa(victim)}, "|")
		out = append(out, Finding{Key: key, Doc: struct {
			Timestamp time.Time `json:"@timestamp"`
			report.Death
		}{at.UTC(), d}})
	}
	return out
}
