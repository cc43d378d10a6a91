package loki

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/sources/jsonstream/jsonstreamtest"
)

// pageAnswer is a query_range answer of n values of lines of size bytes, produced as it is
// read.
func pageAnswer(n, size int) *strings.Reader {
	var b strings.Builder
	r := jsonstreamtest.Items(`{"status":"success","data":{"resultType":"streams","result":[{"stream":{"job":"systemd-journal","host":"node2"},"values":[`,
		n, func(i int) string {
			return `["` + strconv.FormatInt(t0.UnixNano()+int64(i), 10) + `","` + jsonstreamtest.Line(i, size) + `"]`
		}, `]}],"stats":{"summary":{"bytesProcessedPerSecond":1}}}}`)
	_, _ = io.Copy(&b, r)
	return strings.NewReader(b.String())
}

// TestQueryRangeHoldsOnlyItsEntries: a 48 MiB page, half of it values and half members the
// decoder has no use for, is decoded value by value as it is read, so that what it holds at
// any moment is the entries decoded so far: never the answer's bytes, never what it skips.
// The whole answer was read into memory first, then decoded into raw values and again into
// entries: a 1.5 GB answer ended the run out of memory.
func TestQueryRangeHoldsOnlyItsEntries(t *testing.T) {
	const n, size = 24 << 10, 1 << 10
	values := jsonstreamtest.Items(`{"status":"success","data":{"resultType":"streams","result":[{"stream":{"job":"systemd-journal"},"values":[`,
		n, func(i int) string {
			return `["` + strconv.FormatInt(t0.UnixNano()+int64(i), 10) + `","` + jsonstreamtest.Line(i, size) + `"]`
		}, `]}],`)
	unused := jsonstreamtest.Items(`"stats":{"querier":[`, n, func(i int) string { return `"` + jsonstreamtest.Line(i, size) + `"` }, `]}}}`)
	peak := jsonstreamtest.NewPeakReader(io.MultiReader(values, unused), 1<<20)
	streams, err := decodeStreams(peak)
	if err != nil {
		t.Fatal(err)
	}
	held := jsonstreamtest.Live() - peak.Base
	if len(streams) != 1 || len(streams[0].Entries) != n || streams[0].Entries[n-1].Line != jsonstreamtest.Line(n-1, size) {
		t.Fatalf("decoded %d streams", len(streams))
	}
	runtime.KeepAlive(streams)
	const slack = 8 << 20
	if peak.Peak > held+slack {
		t.Errorf("decoding a %d MiB answer held up to %d MiB; its entries are %d MiB", peak.Total>>20, peak.Peak>>20, held>>20)
	}
}

// TestQueryRangeCutAnswerIsRetried: an answer whose connection drops in the middle is asked
// for again, now that it is decoded while it arrives, and the page is the second answer's.
// An answer cut where its JSON is still whole so far is never taken for a whole page.
func TestQueryRangeCutAnswerIsRetried(t *testing.T) {
	whole := `{"status":"success","data":{"resultType":"streams","result":[{"stream":{"job":"x"},"values":[["1","a"],["2","b"]]}]}}`
	var asked atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(whole)))
		if asked.Add(1) == 1 {
			_, _ = w.Write([]byte(whole[:len(whole)/2])) // the server closes a short answer's connection
			return
		}
		_, _ = w.Write([]byte(whole))
	}))
	defer srv.Close()
	c, err := New(Config{URL: srv.URL, Retries: 2, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	streams, err := c.queryRange(context.Background(), `{job="x"}`, t0, t0.Add(time.Hour), 10)
	if err != nil || len(streams) != 1 || len(streams[0].Entries) != 2 || asked.Load() != 2 {
		t.Fatalf("streams %+v, err %v, after %d requests", streams, err, asked.Load())
	}
	for _, cut := range []int{len(whole) / 3, len(whole) - 1} {
		if _, err := decodeStreams(strings.NewReader(whole[:cut])); err == nil || !strings.Contains(err.Error(), "unexpected EOF") {
			t.Errorf("an answer cut at %d of %d gave %v", cut, len(whole), err)
		}
	}
}

// TestQueryRangeShapes: the answers that are not a page are said as such, in Loki's terms,
// wherever in the answer they show.
func TestQueryRangeShapes(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{`[]`, "the answer is not an object but an array"},
		{`{"status":"success","data":[]}`, "its data is not an object but an array"},
		{`{"status":"success","data":{"resultType":"streams","result":{}}}`, "its result is not an array but an object"},
		{`{"status":"error","errorType":"bad_data","error":"parse error"}`, `status "error"`},
		{`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"2"]]}]}}`, `"matrix", not streams`},
		{`{"data":{"result":[{"metric":{},"values":[[1,"2"]]}],"resultType":"matrix"},"status":"success"}`, `"matrix", not streams`},
		{`{"status":"success","data":{"resultType":"streams","result":[{"stream":{},"values":[["1"]]}]}}`, "is not [ts, line]"},
		{`{"status":"success","data":{"resultType":"streams","result":[{"stream":{},"values":[["1","a",{},"c"]]}]}}`, "is not [ts, line]"},
		{`{"status":"success","data":{"resultType":"streams","result":[{"stream":{},"values":[["x","a"]]}]}}`, "is not nanoseconds"},
		{`{"status":"success","data":{"resultType":"streams","result":[{"stream":{},"values":[["1",2]]}]}}`, "line at byte"},
		{`{"status":"success","data":{"resultType":"streams","result":[{"stream":{},"values":[{"1":"a"}]}]}}`, "is not [ts, line]"},
		{`nonsense`, "not JSON"},
	} {
		_, err := decodeStreams(strings.NewReader(c.body))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.body, err, c.want)
		}
	}
	// Null where Loki writes an object or an array is an empty one, as encoding/json reads it.
	streams, err := decodeStreams(strings.NewReader(`{"status":"success","data":{"resultType":"streams","result":[{"stream":null,"values":null}],"stats":null}}`))
	if err != nil || len(streams) != 1 || streams[0].Labels != "{}" || len(streams[0].Entries) != 0 {
		t.Errorf("nulls: %+v, %v", streams, err)
	}
}

// BenchmarkLargePage reads one page of 5000 lines of 8 KiB (a 40 MiB answer) through the
// client from a server that writes it as it goes: bytes allocated per page and, in
// "peak-MiB", the most the client held at the moments measured (each MiB the server
// writes, and once with the page decoded).
func BenchmarkLargePage(b *testing.B) {
	const n, size = 5000, 8 << 10
	body := pageAnswer(n, size)
	var peak atomic.Uint64
	var base uint64
	measure := func() {
		if live := jsonstreamtest.Live(); live > base && live-base > peak.Load() {
			peak.Store(live - base)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answer := *body
		buf := make([]byte, 1<<20)
		for {
			k, err := answer.Read(buf)
			_, _ = w.Write(buf[:k])
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
			measure()
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	c, _ := New(Config{URL: srv.URL})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		base = jsonstreamtest.Live()
		streams, err := c.queryRange(context.Background(), `{job="x"}`, t0, t0.Add(time.Hour), n)
		if err != nil || len(streams) != 1 || len(streams[0].Entries) != n {
			b.Fatal(fmt.Sprint(len(streams)), err)
		}
		measure()
		runtime.KeepAlive(streams)
	}
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-MiB")
	b.ReportMetric(float64(body.Size())/(1<<20), "answer-MiB")
}
