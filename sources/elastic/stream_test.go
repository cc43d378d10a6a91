package elastic

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/sources/elastic/estest"
	"github.com/k8s-coroner/coroner/sources/jsonstream/jsonstreamtest"
)

// searchHit is hit i of a page, a Filebeat journal document with a message of size bytes.
func searchHit(i, size int) string {
	ms := strconv.FormatInt(t0.UnixMilli()+int64(i), 10)
	return `{"_index":"filebeat-1","_id":"` + strconv.Itoa(i) + `","_source":{"@timestamp":"2026-11-27T14:00:00Z","message":"` +
		jsonstreamtest.Line(i, size) + `","host":{"name":"node2"}},"sort":[` + ms + `,` + strconv.Itoa(i) + `]}`
}

// TestSearchHoldsOnlyItsHits: a 48 MiB page, half of it hits and half members the decoder
// has no use for, is decoded hit by hit as it is read, so that what it holds at any moment is
// the hits decoded so far: never the answer's bytes, never what it skips. The whole answer
// was read into memory first and then decoded: a 1.5 GB answer ended the run out of memory.
func TestSearchHoldsOnlyItsHits(t *testing.T) {
	const n, size = 24 << 10, 1 << 10
	hits := jsonstreamtest.Items(`{"pit_id":"p2","took":3,"_shards":{"total":1,"successful":1,"failed":0},"hits":{"hits":[`,
		n, func(i int) string { return searchHit(i, size) }, `]},`)
	unused := jsonstreamtest.Items(`"profile":{"shards":[`, n, func(i int) string { return `"` + jsonstreamtest.Line(i, size) + `"` }, `]}}`)
	peak := jsonstreamtest.NewPeakReader(io.MultiReader(hits, unused), 1<<20)
	page, err := decodeSearch(peak)
	if err != nil {
		t.Fatal(err)
	}
	held := jsonstreamtest.Live() - peak.Base
	if page.PitID != "p2" || len(page.Hits.Hits) != n || page.Hits.Hits[n-1].ID != strconv.Itoa(n-1) || len(page.Hits.Hits[n-1].Sort) != 2 {
		t.Fatalf("decoded pit %q and %d hits", page.PitID, len(page.Hits.Hits))
	}
	runtime.KeepAlive(page)
	const slack = 8 << 20
	if peak.Peak > held+slack {
		t.Errorf("decoding a %d MiB answer held up to %d MiB; its hits are %d MiB", peak.Total>>20, peak.Peak>>20, held>>20)
	}
}

// TestSearchCutAnswerIsRetried: a search answer that ends in the middle of its JSON is asked
// for again, never taken for a short last page (which would end the scan early, silently).
func TestSearchCutAnswerIsRetried(t *testing.T) {
	srv := estest.New()
	defer srv.Close()
	want := tiedDocs(srv)
	var searches atomic.Int32
	srv.Fault = func(r *http.Request) (int, string, int) {
		if r.URL.Path == "/_search" && searches.Add(1) == 2 {
			return http.StatusOK, `{"pit_id":"x","hits":{"hits":[{"_index":"logs-journal","_id":"1"`, 0
		}
		return 0, "", 0
	}
	c := newClient(t, srv, Config{PageSize: 7})
	got := scanAll(t, c, "logs-*", sortBy("@timestamp", "_shard_doc"))
	if len(got) != want || searches.Load() < 3 {
		t.Errorf("%d documents of %d after %d searches", len(got), want, searches.Load())
	}
	for _, cut := range []string{`{"hits":{"hits":[]`, `{"hits":{"hits":[]}`, `{"pit_id":"p"`} {
		if _, err := decodeSearch(strings.NewReader(cut)); err == nil || !strings.Contains(err.Error(), "unexpected EOF") {
			t.Errorf("%s: %v", cut, err)
		}
	}
}

// TestSearchShapes: an answer that is not a search page is said as such, with where.
func TestSearchShapes(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{`[]`, "the answer is not an object but an array"},
		{`{"hits":[]}`, "its hits is not an object but an array"},
		{`{"hits":{"hits":{}}}`, "its hits' hits is not an array but an object"},
		{`{"hits":{"hits":[1]}}`, "not JSON"},
		{`{"hits":{"hits":[]},"_shards":{"failed":1,"failures":[{"reason":{"type":"t","reason":"r"}}]}}`, "1 shard(s) failed: t r"},
		{`nonsense`, "not JSON"},
	} {
		_, err := decodeSearch(strings.NewReader(c.body))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.body, err, c.want)
		}
	}
	page, err := decodeSearch(strings.NewReader(`{"hits":{"total":{"value":0},"hits":null},"pit_id":null}`))
	if err != nil || len(page.Hits.Hits) != 0 {
		t.Errorf("nulls: %+v, %v", page, err)
	}
}

// BenchmarkLargePage scans one page of 5000 documents of 10 KiB (a 50 MiB answer) from a
// server that writes it as it goes: bytes allocated per page and, in "peak-MiB", the most
// the client held at the moments measured (each MiB the server writes, and once with the
// page read).
func BenchmarkLargePage(b *testing.B) {
	const n, size = 5000, 10 << 10
	var answer strings.Builder
	_, _ = io.Copy(&answer, jsonstreamtest.Items(`{"pit_id":"p1","_shards":{"failed":0},"hits":{"hits":[`, n,
		func(i int) string { return searchHit(i, size) }, `]}}`))
	body := answer.String()
	var peak atomic.Uint64
	var base uint64
	measure := func() {
		if live := jsonstreamtest.Live(); live > base && live-base > peak.Load() {
			peak.Store(live - base)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Elastic-Product", "Elasticsearch")
		switch {
		case r.Method == http.MethodDelete:
			_, _ = io.WriteString(w, `{"succeeded":true}`)
		case strings.HasSuffix(r.URL.Path, "/_pit"):
			_, _ = io.WriteString(w, `{"id":"p1"}`)
		default:
			for rest := body; rest != ""; {
				k := min(len(rest), 1<<20)
				_, _ = io.WriteString(w, rest[:k])
				w.(http.Flusher).Flush()
				rest = rest[k:]
				measure()
			}
		}
	}))
	defer srv.Close()
	c, err := New(Config{URLs: []string{srv.URL}, PageSize: n + 1, Timeout: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		base = jsonstreamtest.Live()
		var hits []Hit
		err := c.scan(context.Background(), "filebeat-*", map[string]any{"match_all": map[string]any{}}, []string{"message"},
			sortBy("@timestamp", "_shard_doc"), func(h Hit) { hits = append(hits, h) })
		if err != nil || len(hits) != n {
			b.Fatal(len(hits), err)
		}
		measure()
		runtime.KeepAlive(hits)
	}
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-MiB")
	b.ReportMetric(float64(len(body))/(1<<20), "answer-MiB")
}
