package loki

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"time"
)

// An Item is one entry with the labels of its stream.
type Item struct {
	Stream *Stream
	Entry
}

// key identifies an entry for de-duplication at page edges: its time, its stream and its
// line (and metadata). logcli keys on time and line only, which drops the identical line of a
// second node at the same nanosecond.
func (it Item) key() string {
	k := strconv.FormatInt(it.Timestamp.UnixNano(), 10) + "\x00" + it.Stream.Labels + "\x00" + it.Line
	for _, l := range it.StructuredMetadata {
		k += "\x00" + l.Name + "=" + l.Value
	}
	return k
}

// queryRange asks for one page: at most limit entries of query in [from, to), oldest first.
func (c *Client) queryRange(ctx context.Context, query string, from, to time.Time, limit int) ([]Stream, error) {
	q := url.Values{}
	q.Set("query", query)
	q.Set("start", strconv.FormatInt(from.UnixNano(), 10))
	q.Set("end", strconv.FormatInt(to.UnixNano(), 10))
	q.Set("limit", strconv.Itoa(limit))
	q.Set("direction", "forward")
	var streams []Stream
	err := c.getDecoded(ctx, "/loki/api/v1/query_range", q, func(body io.Reader) error {
		var err error
		streams, err = decodeStreams(body)
		return err
	})
	return streams, err
}

// reLimit reads Loki's "max entries limit per query exceeded, limit > max_entries_limit_per_query
// (5000 > 1000)" (pkg/util/validation/validate.go).
var reLimit = regexp.MustCompile(`max_entries_limit_per_query \((\d+) > (\d+)\)`)

// ErrTiedPage says a page filled with entries of one nanosecond even at the largest page the
// server allows: paging by time cannot pass them.
var ErrTiedPage = errors.New("a whole page of entries shares one timestamp")

// Fetch reads every entry of query in [from, to), paging forward in time. Each page is
// merged across streams and sorted; the next page starts at the last page's final
// timestamp (start is inclusive), and entries seen at that edge are dropped by (time, stream,
// line). A page whose entries all share one timestamp is asked again with a larger limit.
// The server's max_entries_limit_per_query, when it is lower than ours, becomes our page
// size.
func (c *Client) Fetch(ctx context.Context, query string, from, to time.Time, each func(Item)) (int, error) {
	limit := c.pageSize()
	enlarged := false
	start := from
	seen := map[string]bool{} // keys of the entries at the last page's final timestamp
	var edge time.Time
	total := 0
	for {
		streams, err := c.queryRange(ctx, query, start, to, limit)
		var se *StatusError
		if errors.As(err, &se) && se.Code == 400 {
			if sm := reLimit.FindStringSubmatch(se.Body); sm != nil {
				if max, _ := strconv.Atoi(sm[2]); max > 0 && max < limit {
					c.setServerMax(max)
					if enlarged {
						return total, fmt.Errorf("%w (at %s, more than the server's %d entries)", ErrTiedPage, start.UTC().Format(time.RFC3339Nano), max)
					}
					limit = c.pageSize()
					continue
				}
			}
		}
		if err != nil {
			return total, err
		}
		items := flatten(streams)
		if len(items) == 0 {
			return total, nil
		}
		last := items[len(items)-1].Timestamp
		if len(items) >= limit && items[0].Timestamp.Equal(last) {
			if max := c.serverMax(); max > 0 && limit >= max {
				return total, fmt.Errorf("%w (%s, more than the server's %d entries)", ErrTiedPage, last.UTC().Format(time.RFC3339Nano), max)
			}
			limit *= 2 // ask for the whole tie at once
			if max := c.serverMax(); max > 0 && limit > max {
				limit = max
			}
			enlarged = true
			continue
		}
		next := map[string]bool{}
		for _, it := range items {
			k := it.key()
			if it.Timestamp.Equal(edge) && seen[k] {
				continue
			}
			if it.Timestamp.Equal(last) {
				next[k] = true
			}
			each(it)
			total++
		}
		if len(items) < limit {
			return total, nil // the range is exhausted
		}
		if !last.Equal(edge) {
			seen = next
		} else {
			for k := range next {
				seen[k] = true
			}
		}
		edge, start = last, last
		limit, enlarged = c.pageSize(), false
	}
}

// setServerMax records the server's max_entries_limit_per_query and makes it the page size
// when it is smaller, for this and later windows.
func (c *Client) setServerMax(max int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = max
	if max < c.cfg.MaxEntries {
		c.cfg.MaxEntries = max
	}
}

func (c *Client) pageSize() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cfg.MaxEntries
}

func (c *Client) serverMax() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.max
}

// flatten merges a page's streams into one time-ordered list; ties are ordered by stream and
// line so that a page edge falls the same way every time.
func flatten(streams []Stream) []Item {
	var items []Item
	for i := range streams {
		for _, e := range streams[i].Entries {
			items = append(items, Item{Stream: &streams[i], Entry: e})
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if !a.Timestamp.Equal(b.Timestamp) {
			return a.Timestamp.Before(b.Timestamp)
		}
		if a.Stream.Labels != b.Stream.Labels {
			return a.Stream.Labels < b.Stream.Labels
		}
		return a.Line < b.Line
	})
	return items
}
