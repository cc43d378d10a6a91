package elastic

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// A Hit is one document with its sort values kept as the cluster wrote them.
type Hit struct {
	Index  string            `json:"_index"`
	ID     string            `json:"_id"`
	Source json.RawMessage   `json:"_source"`
	Sort   []json.RawMessage `json:"sort"`
}

type searchResponse struct {
	PitID string `json:"pit_id"`
	Hits  struct {
		Hits []Hit `json:"hits"`
	} `json:"hits"`
	Shards struct {
		Failed   int `json:"failed"`
		Failures []struct {
			Reason struct {
				Type   string `json:"type"`
				Reason string `json:"reason"`
			} `json:"reason"`
		} `json:"failures"`
	} `json:"_shards"`
}

// maxReopen bounds how often in a row an expiring point in time is reopened without a new
// document read in between; a scan that makes progress reopens it as often as it expires.
const maxReopen = 3

// scan reads every document of query in index in sort order: a point in time, then pages of
// search_after with the last hit's sort values echoed back byte for byte, always with the
// latest pit_id. When the point in time expires, at any page, a new one is opened and the
// scan resumes just before the last time read (resumeAfter), skipping the documents already
// delivered, so none is lost or repeated. The point in time is closed at the end, also on
// error or cancellation.
func (c *Client) scan(ctx context.Context, index string, query map[string]any, includes []string, sort []any, each func(Hit)) error {
	pitID, err := c.openPIT(ctx, index)
	if err != nil {
		return err
	}
	defer func() { c.closePIT(pitID) }()
	seen := map[string]bool{}
	var after []json.RawMessage
	reopened := 0 // in a row, without a new document
	for {
		req := map[string]any{"size": c.cfg.PageSize, "query": query, "_source": map[string]any{"includes": includes},
			"pit": map[string]any{"id": pitID, "keep_alive": c.cfg.KeepAlive}, "sort": sort, "track_total_hits": false}
		if after != nil {
			req["search_after"] = after
		}
		body, _ := json.Marshal(req)
		var resp searchResponse
		_, err := c.call(ctx, func(rctx context.Context) ([]byte, error) {
			var err error
			resp, err = c.search(rctx, body) // decoded within the try, so a dropped answer is tried again
			return nil, err
		})
		if pitExpired(err) && reopened < maxReopen {
			reopened++
			// Close the expired one too: "no search context" may come from one node while
			// others still hold it, and a cluster caps the open points in time.
			c.closePIT(pitID)
			if pitID, err = c.openPIT(ctx, index); err != nil {
				pitID = "" // nothing of it is left to close
				return err
			}
			after = resumeAfter(after)
			continue
		}
		if err != nil {
			return err
		}
		if resp.PitID != "" {
			pitID = resp.PitID
		}
		for _, h := range resp.Hits.Hits {
			k := h.Index + "\x00" + h.ID
			if seen[k] {
				continue
			}
			seen[k] = true
			reopened = 0
			each(h)
		}
		if len(resp.Hits.Hits) < c.cfg.PageSize {
			return nil
		}
		after = resp.Hits.Hits[len(resp.Hits.Hits)-1].Sort
	}
}

// closePIT closes a point in time, on its own deadline: it runs at the end of a scan that may
// have been cancelled, and a failure to close is the cluster's to expire.
func (c *Client) closePIT(id string) {
	if id == "" {
		return
	}
	cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = c.drv.closePIT(cctx, id)
}

func (c *Client) openPIT(ctx context.Context, index string) (string, error) {
	var id string
	_, err := c.call(ctx, func(rctx context.Context) ([]byte, error) {
		var err error
		id, err = c.drv.openPIT(rctx, index, c.cfg.KeepAlive)
		return nil, err
	})
	return id, err
}

// Count asks how many documents of index match query.
func (c *Client) Count(ctx context.Context, index string, query map[string]any) (int64, error) {
	body, _ := json.Marshal(map[string]any{"query": query})
	raw, err := c.call(ctx, func(rctx context.Context) ([]byte, error) { return c.count(rctx, index, body) })
	if err != nil {
		return 0, err
	}
	var r struct {
		Count int64 `json:"count"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return 0, fmt.Errorf("count response: %w", err)
	}
	return r.Count, nil
}

// timeRange filters a date field to [from, to), at nanosecond precision.
func timeRange(field string, from, to time.Time) map[string]any {
	return map[string]any{"range": map[string]any{field: map[string]any{
		"gte": from.UTC().Format(time.RFC3339Nano), "lt": to.UTC().Format(time.RFC3339Nano), "format": "strict_date_optional_time_nanos"}}}
}

// sortBy orders by a date field at nanosecond precision, then a tiebreaker: Elasticsearch's
// _shard_doc (implicit with a PIT, named here for clarity), or a unique field where the
// cluster has none (OpenSearch 2.x, docs/log-stores.md addendum 1).
func sortBy(field, tiebreaker string) []any {
	return []any{
		map[string]any{field: map[string]any{"order": "asc", "format": "strict_date_optional_time_nanos", "numeric_type": "date_nanos"}},
		map[string]any{tiebreaker: "asc"},
	}
}

// lookup reads a field of a document by its dotted path, through nested objects or flat
// dotted keys, as shippers write either.
func lookup(src map[string]any, path string) any {
	if v, ok := src[path]; ok {
		return v
	}
	for i := strings.IndexByte(path, '.'); i > 0; {
		if m, ok := src[path[:i]].(map[string]any); ok {
			if v := lookup(m, path[i+1:]); v != nil {
				return v
			}
		}
		j := strings.IndexByte(path[i+1:], '.')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return nil
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	}
	return fmt.Sprint(v)
}

// resumeAfter is where a scan resumes in a new point in time. Its tiebreaker values
// (_shard_doc) mean nothing there, but its time does: resume at the last time read with the
// lowest tiebreaker, so that every document of that time is read again (those already
// delivered are skipped) and none after it is missed.
func resumeAfter(last []json.RawMessage) []json.RawMessage {
	if len(last) == 0 {
		return nil
	}
	out := []json.RawMessage{last[0]}
	for _, v := range last[1:] {
		if len(v) > 0 && v[0] == '"' {
			out = append(out, json.RawMessage(`""`))
		} else {
			out = append(out, json.RawMessage(strconv.FormatInt(math.MinInt64, 10)))
		}
	}
	return out
}
