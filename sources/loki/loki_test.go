package loki

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/sources"
	"github.com/k8s-coroner/coroner/sources/batch"
	"github.com/k8s-coroner/coroner/sources/loki/lokitest"
)

var t0 = time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)

func newClient(t *testing.T, srv *lokitest.Server, cfg Config) *Client {
	t.Helper()
	cfg.URL = srv.URL
	if cfg.Retries == 0 {
		cfg.Retries = 3
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.sleep = func(context.Context, time.Duration) error { return nil }
	return c
}

// readJob runs a batch job over Loki, every line of the selector wanted, and returns the
// records of its inputs in the order they come.
func readJob(t testing.TB, c *Client, selector string, opts batch.Options) (*batch.Job, []sources.Record) {
	t.Helper()
	opts.Evidence.Pattern = "."
	job, err := batch.Start(context.Background(), &Store{Client: c, Selector: selector, Mapping: Presets["auto"]}, opts)
	if err != nil {
		t.Fatal(err)
	}
	var recs []sources.Record
	for in, err := range job.Inputs() {
		if err != nil {
			t.Fatal(err)
		}
		for rec := range in.Records {
			recs = append(recs, rec)
		}
	}
	return job, recs
}

// tiedDataset has three streams whose entries pile up on shared nanoseconds, with the same
// line in two streams at the same instant: the cases that lose or repeat lines when pages are
// cut by time and de-duplicated on (time, line) only.
func tiedDataset(srv *lokitest.Server) map[string]int {
	return tiedStreams(srv, "node1", "node2", "node3")
}

func tiedStreams(srv *lokitest.Server, nodes ...string) map[string]int {
	want := map[string]int{}
	for _, n := range nodes {
		set := map[string]string{"job": "systemd-journal", "host": n}
		var es []lokitest.Entry
		for i := 0; i < 40; i++ {
			ts := t0.Add(time.Duration(i/4) * time.Second) // four entries per second in each stream
			line := fmt.Sprintf("Killed process %d (app) tick %d", i%4, i/4)
			es = append(es, lokitest.Entry{Timestamp: ts, Line: line})
			want[fmt.Sprintf("%s|%d|%s", n, ts.UnixNano(), line)]++
		}
		srv.Push("fake", set, es...)
	}
	return want
}

func TestFetchBoundaryTies(t *testing.T) {
	for _, page := range []int{1, 3, 5, 7, 11, 12, 13, 50, 500} {
		t.Run(fmt.Sprint(page), func(t *testing.T) {
			srv := lokitest.New()
			defer srv.Close()
			want := tiedDataset(srv)
			c := newClient(t, srv, Config{MaxEntries: page})
			got := map[string]int{}
			_, err := c.Fetch(context.Background(), `{job="systemd-journal"}`, t0, t0.Add(time.Hour), func(it Item) {
				got[fmt.Sprintf("%s|%d|%s", it.Stream.Set["host"], it.Timestamp.UnixNano(), it.Line)]++
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Errorf("%d distinct entries, want %d", len(got), len(want))
			}
			for k, n := range got {
				if n != 1 || want[k] != 1 {
					t.Errorf("%s seen %d times (want once)", k, n)
				}
			}
		})
	}
}

// A page that is all one nanosecond is asked again with a larger limit.
func TestFetchWholePageOneTimestamp(t *testing.T) {
	srv := lokitest.New()
	defer srv.Close()
	var es []lokitest.Entry
	for i := 0; i < 20; i++ {
		es = append(es, lokitest.Entry{Timestamp: t0, Line: fmt.Sprintf("line %d", i)})
	}
	es = append(es, lokitest.Entry{Timestamp: t0.Add(time.Second), Line: "after"})
	srv.Push("fake", map[string]string{"job": "x"}, es...)
	c := newClient(t, srv, Config{MaxEntries: 8})
	n, err := c.Fetch(context.Background(), `{job="x"}`, t0, t0.Add(time.Minute), func(Item) {})
	if err != nil || n != 21 {
		t.Fatalf("got %d entries, err %v; want 21", n, err)
	}
}

// A server whose max_entries_limit_per_query is below our page size makes it our page size.
func TestFetchAdoptsServerLimit(t *testing.T) {
	srv := lokitest.New()
	defer srv.Close()
	srv.MaxEntries = 7
	want := tiedStreams(srv, "node1") // ties of four: below the server's limit
	c := newClient(t, srv, Config{MaxEntries: 5000})
	n, err := c.Fetch(context.Background(), `{job="systemd-journal"}`, t0, t0.Add(time.Hour), func(Item) {})
	if err != nil || n != len(want) {
		t.Fatalf("got %d entries, err %v; want %d", n, err, len(want))
	}
	if c.pageSize() != 7 {
		t.Errorf("page size %d, want the server's 7", c.cfg.MaxEntries)
	}
}

func TestRetriesThenSucceeds(t *testing.T) {
	srv := lokitest.New()
	defer srv.Close()
	tiedDataset(srv)
	var calls atomic.Int32
	srv.Fault = func(r *http.Request) (int, string) {
		if calls.Add(1) <= 2 {
			return http.StatusTooManyRequests, "too many outstanding requests"
		}
		return 0, ""
	}
	c := newClient(t, srv, Config{})
	n, err := c.Fetch(context.Background(), `{job="systemd-journal"}`, t0, t0.Add(time.Hour), func(Item) {})
	if err != nil || n != 120 {
		t.Fatalf("got %d, err %v; want 120 after two 429s", n, err)
	}
}

func TestWindowNeverSucceedsIsMissing(t *testing.T) {
	srv := lokitest.New()
	defer srv.Close()
	tiedDataset(srv)
	srv.Push("fake", map[string]string{"job": "systemd-journal", "host": "node1"}, lokitest.Entry{Timestamp: t0.Add(3 * time.Hour), Line: "Killed process 9 (late)"})
	bad := fmt.Sprint(t0.UnixNano())
	srv.Fault = func(r *http.Request) (int, string) {
		if r.URL.Query().Get("start") == bad {
			return http.StatusServiceUnavailable, "ingester unavailable"
		}
		return 0, ""
	}
	c := newClient(t, srv, Config{Retries: 2})
	src, recs := readJob(t, c, `{job="systemd-journal"}`, batch.Options{From: t0, To: t0.Add(4 * time.Hour), Window: time.Hour, Parallel: 3})
	if lines := len(recs); lines != 1 {
		t.Errorf("%d lines read, want the 1 of the window that worked", lines)
	}
	if len(src.Missing) != 1 || !src.Missing[0].Window.From.Equal(t0) || !strings.Contains(src.Missing[0].Err, "ingester unavailable") {
		t.Errorf("missing %+v", src.Missing)
	}
}

func TestTenantMismatchIsNotRetried(t *testing.T) {
	srv := lokitest.New()
	defer srv.Close()
	srv.RequireTenant = true
	var calls atomic.Int32
	srv.Fault = func(*http.Request) (int, string) { calls.Add(1); return 0, "" }
	c := newClient(t, srv, Config{})
	_, err := c.Fetch(context.Background(), `{job="x"}`, t0, t0.Add(time.Hour), func(Item) {})
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "no org id") {
		t.Fatalf("err %v, want Loki's 401 text", err)
	}
	if calls.Load() != 1 {
		t.Errorf("%d requests, want 1: a 401 is not retried", calls.Load())
	}
	// With the tenant it works, and another tenant's streams stay invisible.
	srv.Push("prod", map[string]string{"job": "x"}, lokitest.Entry{Timestamp: t0, Line: "a"})
	srv.Push("dev", map[string]string{"job": "x"}, lokitest.Entry{Timestamp: t0, Line: "b"})
	c = newClient(t, srv, Config{Tenant: "prod"})
	var lines []string
	if _, err := c.Fetch(context.Background(), `{job="x"}`, t0, t0.Add(time.Hour), func(it Item) { lines = append(lines, it.Line) }); err != nil {
		t.Fatal(err)
	}
	if strings.Join(lines, ",") != "a" {
		t.Errorf("tenant prod read %v", lines)
	}
}

// A 504 on a long window is answered by reading its halves.
func TestTimeoutSplitsWindow(t *testing.T) {
	srv := lokitest.New()
	defer srv.Close()
	want := tiedDataset(srv)
	srv.Fault = func(r *http.Request) (int, string) {
		q := r.URL.Query()
		s, e := q.Get("start"), q.Get("end")
		var sn, en int64
		fmt.Sscan(s, &sn)
		fmt.Sscan(e, &en)
		if en-sn > int64(20*time.Minute) {
			return http.StatusGatewayTimeout, "request timed out, decrease the duration of the request or add more label matchers"
		}
		return 0, ""
	}
	c := newClient(t, srv, Config{})
	src, recs := readJob(t, c, `{job="systemd-journal"}`, batch.Options{From: t0, To: t0.Add(time.Hour), Window: time.Hour, Parallel: 2})
	if lines := len(recs); lines != len(want) || len(src.Missing) != 0 {
		t.Errorf("%d lines (want %d), missing %v", len(recs), len(want), src.Missing)
	}
}

// A month in one-hour windows, fetched four at a time, arrives whole and in order.
func TestManyWindows(t *testing.T) {
	srv := lokitest.New()
	defer srv.Close()
	var es []lokitest.Entry
	for h := 0; h < 30*24; h += 7 {
		es = append(es, lokitest.Entry{Timestamp: t0.Add(time.Duration(h)*time.Hour + 17*time.Minute), Line: fmt.Sprintf("Killed process %d (x)", h)})
	}
	srv.Push("fake", map[string]string{"job": "systemd-journal", "host": "n"}, es...)
	c := newClient(t, srv, Config{})
	src, recs := readJob(t, c, `{job="systemd-journal"}`, batch.Options{From: t0, To: t0.Add(30 * 24 * time.Hour), Window: time.Hour, Parallel: 4})
	var last time.Time
	for _, rec := range recs {
		if rec.Time.Before(last) {
			t.Fatalf("out of order: %v after %v", rec.Time, last)
		}
		last = rec.Time
	}
	if n := len(recs); n != len(es) || src.Stats.Windows != 720 {
		t.Errorf("%d lines of %d, %d windows", len(recs), len(es), src.Stats.Windows)
	}
}

// Twelve entries on one nanosecond cannot be paged through a server that allows seven per
// query: the window fails with that reason instead of looping or dropping lines.
func TestTieLargerThanServerLimit(t *testing.T) {
	srv := lokitest.New()
	defer srv.Close()
	srv.MaxEntries = 7
	tiedDataset(srv)
	c := newClient(t, srv, Config{})
	_, err := c.Fetch(context.Background(), `{job="systemd-journal"}`, t0, t0.Add(time.Hour), func(Item) {})
	if !errors.Is(err, ErrTiedPage) {
		t.Fatalf("err %v, want ErrTiedPage", err)
	}
}
