package batch

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

func TestWindows(t *testing.T) {
	ws := Windows(t0, t0.Add(150*time.Minute), time.Hour)
	if len(ws) != 3 || !ws[2].To.Equal(t0.Add(150*time.Minute)) || ws[2].To.Sub(ws[2].From) != 30*time.Minute {
		t.Errorf("windows %v", ws)
	}
}

// Windows finish in any order but arrive in order, and no more than parallel are ever held.
func TestRunOrderAndBound(t *testing.T) {
	ws := Windows(t0, t0.Add(24*time.Hour), time.Hour)
	var inFlight, most atomic.Int32
	f := Fetcher[int]{Fetch: func(_ context.Context, w Window) ([]int, error) {
		n := inFlight.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(time.Duration(24-w.From.Hour()) * time.Millisecond) // early windows finish last
		return []int{w.From.Hour()}, nil
	}}
	var got []int
	Run(context.Background(), ws, 3, f, func(items []int, _ []Missing) {
		got = append(got, items...)
		inFlight.Add(-int32(len(items)))
	})
	for i, h := range got {
		if h != i {
			t.Fatalf("delivered %v, want hours in order", got)
		}
	}
	if most.Load() > 3 {
		t.Errorf("%d windows held at once, want at most 3", most.Load())
	}
}

var errTooBig = errors.New("504 request timed out")

// A window too big for the store is read in halves; one that fails anyway is missing.
func TestRunSplitsAndReportsMissing(t *testing.T) {
	ws := Windows(t0, t0.Add(2*time.Hour), time.Hour)
	f := Fetcher[Window]{
		Split: func(err error) bool { return errors.Is(err, errTooBig) },
		Fetch: func(_ context.Context, w Window) ([]Window, error) {
			switch {
			case w.From.Hour() == 1:
				return nil, errors.New("index_not_found_exception")
			case w.To.Sub(w.From) > 20*time.Minute:
				return nil, errTooBig
			}
			return []Window{w}, nil
		}}
	var got []Window
	var missing []Missing
	Run(context.Background(), ws, 2, f, func(items []Window, m []Missing) {
		got = append(got, items...)
		missing = append(missing, m...)
	})
	if len(got) != 4 || !got[3].To.Equal(t0.Add(time.Hour)) {
		t.Errorf("read %v, want the first hour in four quarters", got)
	}
	if len(missing) != 1 || missing[0].Window.From.Hour() != 1 {
		t.Errorf("missing %v", missing)
	}
}

func TestBackoffHonoursRetryAfterAndGivesUp(t *testing.T) {
	var waits []time.Duration
	b := Backoff{Retries: 3, Base: 10 * time.Millisecond, Sleep: func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}}
	calls := 0
	err := b.Do(context.Background(), func() error { calls++; return errTooBig },
		func(error) bool { return true }, func(error) time.Duration { return 5 * time.Second })
	if calls != 4 || !errors.Is(err, errTooBig) {
		t.Errorf("%d calls, err %v", calls, err)
	}
	for _, w := range waits {
		if w != 5*time.Second {
			t.Errorf("waited %v, want the store's Retry-After of 5s", w)
		}
	}
	calls = 0
	final := errors.New("401")
	if err := b.Do(context.Background(), func() error { calls++; return final }, func(error) bool { return false }, nil); err != final || calls != 1 {
		t.Errorf("a final error was retried (%d calls)", calls)
	}
}
