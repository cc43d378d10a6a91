package loki

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// A Window is one slice of the range, [From, To).
type Window struct {
	From, To time.Time
}

func (w Window) String() string {
	return w.From.UTC().Format(time.RFC3339) + "–" + w.To.UTC().Format(time.RFC3339)
}

// Windows cuts [from, to) into windows of size d, the last one shorter.
func Windows(from, to time.Time, d time.Duration) []Window {
	var out []Window
	for t := from; t.Before(to); t = t.Add(d) {
		end := t.Add(d)
		if end.After(to) {
			end = to
		}
		out = append(out, Window{t, end})
	}
	return out
}

// Missing is a window that could not be read: the report lists it and the exit code says the
// analysis is incomplete.
type Missing struct {
	Window Window
	Err    string
}

// minSplit is the smallest window a timeout is answered with; below it the window is missing.
const minSplit = time.Minute

// windowResult is what one window gave.
type windowResult struct {
	items   []Item
	missing []Missing
	noSlot  bool // never started (the deadline passed first), so it holds no slot
}

// fetchWindows reads every window of query with at most parallel windows in flight or
// waiting, and hands the results to deliver in window order, so that entries reach the
// parsers in time order while later windows are still being fetched, and memory holds at most
// parallel windows' evidence. A window that times out is read as two halves; one that still
// fails is reported missing.
func (c *Client) fetchWindows(ctx context.Context, query string, windows []Window, parallel int, deliver func(int, windowResult)) {
	if parallel < 1 {
		parallel = 1
	}
	results := make([]chan windowResult, len(windows))
	for i := range results {
		results[i] = make(chan windowResult, 1)
	}
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	go func() {
		for i, w := range windows {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i] <- windowResult{missing: []Missing{{w, "the overall deadline passed before this window was read"}}, noSlot: true}
				continue
			}
			wg.Add(1)
			go func(i int, w Window) {
				defer wg.Done()
				var r windowResult
				c.fetchSplitting(ctx, query, w, &r)
				results[i] <- r
			}(i, w)
		}
	}()
	for i := range windows {
		r := <-results[i]
		deliver(i, r)
		if !r.noSlot {
			<-sem // the slot this window held is free once it is delivered
		}
	}
	wg.Wait()
}

func (c *Client) fetchSplitting(ctx context.Context, query string, w Window, r *windowResult) {
	var items []Item
	_, err := c.Fetch(ctx, query, w.From, w.To, func(it Item) { items = append(items, it) })
	switch {
	case err == nil:
		r.items = append(r.items, items...)
	case ctx.Err() == nil && IsTimeout(err) && w.To.Sub(w.From) >= 2*minSplit:
		mid := w.From.Add(w.To.Sub(w.From) / 2)
		c.fetchSplitting(ctx, query, Window{w.From, mid}, r)
		c.fetchSplitting(ctx, query, Window{mid, w.To}, r)
	default:
		msg := err.Error()
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
			msg = "the overall deadline passed before this window was read"
		}
		r.missing = append(r.missing, Missing{w, fmt.Sprint(msg)})
	}
}
