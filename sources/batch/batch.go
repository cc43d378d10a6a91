// Package batch is the machinery the batch jobs over log stores share (coroner loki,
// coroner elasticsearch): cutting a time range into windows, fetching them concurrently but
// delivering them in time order with bounded memory, answering a timeout with smaller windows,
// retrying with backoff and jitter, and saying exactly which windows could not be read.
package batch

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
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

// Missing is a window that could not be read: reports list it and the exit code says the
// analysis is incomplete.
type Missing struct {
	Window Window
	Err    string
}

// Fetcher reads one window. Split says whether an error means the window was too large (a
// store's timeout), so that its halves are worth trying.
type Fetcher[T any] struct {
	Fetch    func(ctx context.Context, w Window) ([]T, error)
	Split    func(error) bool
	MinSplit time.Duration // below this a window is not halved again; default one minute
	// SplitBudget is how many more requests a window may make once it timed out; default
	// DefaultSplitBudget. Without it a server that never answers made every window halve
	// down to MinSplit, each piece waiting out the timeout: hours for one window.
	SplitBudget int
}

// DefaultSplitBudget lets a timed-out window be read as halves and then quarters.
const DefaultSplitBudget = 6

type result[T any] struct {
	items   []T
	missing []Missing
	noSlot  bool
}

// Run reads every window with at most parallel windows in flight or waiting and calls deliver
// for each window in order, so items reach their consumer in time order while later windows
// are fetched, and memory holds at most parallel windows' items. A window the store found too
// large is read in halves; one that still fails is reported missing.
func Run[T any](ctx context.Context, windows []Window, parallel int, f Fetcher[T], deliver func(items []T, missing []Missing)) {
	if parallel < 1 {
		parallel = 1
	}
	if f.MinSplit == 0 {
		f.MinSplit = time.Minute
	}
	if f.SplitBudget == 0 {
		f.SplitBudget = DefaultSplitBudget
	}
	results := make([]chan result[T], len(windows))
	for i := range results {
		results[i] = make(chan result[T], 1)
	}
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	go func() {
		for i, w := range windows {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i] <- result[T]{missing: []Missing{{w, "the overall deadline passed before this window was read"}}, noSlot: true}
				continue
			}
			wg.Add(1)
			go func(i int, w Window) {
				defer wg.Done()
				var r result[T]
				budget := f.SplitBudget
				fetchSplitting(ctx, f, w, &r, &budget)
				results[i] <- r
			}(i, w)
		}
	}()
	for i := range windows {
		r := <-results[i]
		deliver(r.items, r.missing)
		if !r.noSlot {
			<-sem // the slot this window held is free once it is delivered
		}
	}
	wg.Wait()
}

// fetchSplitting reads a window, and its halves when the store found it too large, as long
// as the window's budget of requests lasts; what it cannot read is missing, with why.
func fetchSplitting[T any](ctx context.Context, f Fetcher[T], w Window, r *result[T], budget *int) {
	items, err := f.Fetch(ctx, w)
	switch {
	case err == nil:
		r.items = append(r.items, items...)
	case ctx.Err() == nil && f.Split != nil && f.Split(err) && w.To.Sub(w.From) >= 2*f.MinSplit && *budget >= 2:
		*budget -= 2
		mid := w.From.Add(w.To.Sub(w.From) / 2)
		fetchSplitting(ctx, f, Window{w.From, mid}, r, budget)
		fetchSplitting(ctx, f, Window{mid, w.To}, r, budget)
	default:
		msg := err.Error()
		switch {
		case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
			msg = "the overall deadline passed before this window was read"
		case f.Split != nil && f.Split(err) && *budget < 2 && w.To.Sub(w.From) >= 2*f.MinSplit:
			msg += fmt.Sprintf(" (not read in smaller pieces: the window's %d requests after its timeout are spent)", f.SplitBudget)
		}
		r.missing = append(r.missing, Missing{w, msg})
	}
}

// Backoff retries an operation the store may answer better later.
type Backoff struct {
	Retries int           // attempts after the first
	Base    time.Duration // first wait; doubles, with up to half again of jitter
	// MaxWait caps one wait, the store's Retry-After included (default DefaultMaxWait):
	// one "Retry-After: 3600" stalled a whole run for an hour.
	MaxWait time.Duration
	// Budget caps the waits of one request together (default DefaultRetryBudget): past it
	// the request fails with its last error rather than wait again.
	Budget time.Duration
	// Sleep waits; nil sleeps for real (tests replace it).
	Sleep func(context.Context, time.Duration) error
}

// DefaultMaxWait and DefaultRetryBudget bound a request's waits between retries.
const (
	DefaultMaxWait     = time.Minute
	DefaultRetryBudget = 5 * time.Minute
)

// Do runs op until it succeeds, fails with an error retryable says is final (a store's rule
// says so of Permanent ones), or the retries or the budget run out. after may name a wait the
// store asked for (Retry-After); it wins when longer, up to MaxWait.
func (b Backoff) Do(ctx context.Context, op func() error, retryable func(error) bool, after func(error) time.Duration) error {
	maxWait, budget := b.MaxWait, b.Budget
	if maxWait <= 0 {
		maxWait = DefaultMaxWait
	}
	if budget <= 0 {
		budget = DefaultRetryBudget
	}
	var waited time.Duration
	sleep := b.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	base := b.Base
	if base == 0 {
		base = 500 * time.Millisecond
	}
	var last error
	for attempt := 0; attempt <= b.Retries; attempt++ {
		if attempt > 0 {
			wait := base << (attempt - 1)
			wait += time.Duration(rand.Int64N(int64(wait)/2 + 1)) // jitter spreads retries of parallel windows
			if after != nil {
				if a := after(last); a > wait {
					wait = a
				}
			}
			wait = min(wait, maxWait)
			if waited+wait > budget {
				return fmt.Errorf("gave up after %d attempts and %s of waiting: %w", attempt, waited.Round(time.Second), last)
			}
			waited += wait
			if err := sleep(ctx, wait); err != nil {
				return err
			}
		}
		err := op()
		if err == nil || !retryable(err) || ctx.Err() != nil {
			return err
		}
		last = err
	}
	return fmt.Errorf("after %d attempts: %w", b.Retries+1, last)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Around returns the windows [t-before, t+after) around each time, overlapping ones merged;
// times must be in order.
func Around(times []time.Time, before, after time.Duration) []Window {
	var out []Window
	for _, t := range times {
		w := Window{t.Add(-before), t.Add(after)}
		if n := len(out); n > 0 && !w.From.After(out[n-1].To) {
			out[n-1].To = w.To
			continue
		}
		out = append(out, w)
	}
	return out
}
