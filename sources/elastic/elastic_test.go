package elastic

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/k8s-coroner/coroner/sources"
	"github.com/k8s-coroner/coroner/sources/batch"
	"github.com/k8s-coroner/coroner/sources/elastic/estest"
)

var t0 = time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)

func newClient(t *testing.T, srv *estest.Server, cfg Config) *Client {
	t.Helper()
	cfg.URLs, cfg.OpenSearch = []string{srv.URL}, srv.OpenSearch
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

// filebeatDoc is a journald document as Filebeat writes it (ECS, nested objects).
func filebeatDoc(at time.Time, host, unit, msg string) map[string]any {
	d := map[string]any{"@timestamp": at.Format(time.RFC3339Nano), "message": msg,
		"host": map[string]any{"hostname": host, "name": host}}
	if unit == "kernel" {
		d["systemd"] = map[string]any{"transport": "kernel"}
		d["syslog"] = map[string]any{"identifier": "kernel"}
	} else {
		d["systemd"] = map[string]any{"unit": unit + ".service", "transport": "journal"}
	}
	return d
}

// tiedDocs are 60 kill lines on 6 nanoseconds across three nodes, plus unrelated lines: page
// edges fall inside ties.
func tiedDocs(srv *estest.Server) int {
	n := 0
	for i := 0; i < 60; i++ {
		at := t0.Add(time.Duration(i/10) * time.Nanosecond)
		srv.Index("logs-journal", filebeatDoc(at, fmt.Sprintf("node%d", i%3), "kernel", fmt.Sprintf("Memory cgroup out of memory: Killed process %d (app)", i)))
		srv.Index("logs-journal", filebeatDoc(at, "node1", "kubelet", "\"SyncLoop (probe)\" probe=\"readiness\""))
		n++
	}
	return n
}

func scanAll(t *testing.T, c *Client, index string, sort []any) map[string]int {
	t.Helper()
	got := map[string]int{}
	q := map[string]any{"bool": map[string]any{"filter": []any{timeRange("@timestamp", t0, t0.Add(time.Hour))},
		"should": []any{map[string]any{"match_phrase": map[string]any{"message": "Killed process"}}}, "minimum_should_match": 1}}
	err := c.scan(context.Background(), index, q, []string{"@timestamp", "message"}, sort, func(h Hit) { got[h.ID]++ })
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestScanTiesNothingLostOrRepeated(t *testing.T) {
	for _, openSearch := range []bool{false, true} {
		for _, page := range []int{1, 4, 7, 10, 13, 100} {
			t.Run(fmt.Sprintf("opensearch=%v/page=%d", openSearch, page), func(t *testing.T) {
				srv := estest.New()
				defer srv.Close()
				srv.OpenSearch = openSearch
				want := tiedDocs(srv)
				c := newClient(t, srv, Config{PageSize: page})
				tb := "_shard_doc"
				if openSearch {
					tb = "_id"
				}
				got := scanAll(t, c, "logs-*", sortBy("@timestamp", tb))
				if len(got) != want {
					t.Errorf("%d documents, want %d", len(got), want)
				}
				for id, n := range got {
					if n != 1 {
						t.Errorf("%s delivered %d times", id, n)
					}
				}
			})
		}
	}
}

// Sort values above 2^53 (date_nanos as a long) go back to the cluster byte for byte.
func TestScanKeepsSortValuesExact(t *testing.T) {
	srv := estest.New()
	defer srv.Close()
	want := tiedDocs(srv)
	c := newClient(t, srv, Config{PageSize: 3})
	numeric := []any{map[string]any{"@timestamp": map[string]any{"order": "asc", "numeric_type": "date_nanos"}}, map[string]any{"_shard_doc": "asc"}}
	if got := scanAll(t, c, "logs-*", numeric); len(got) != want {
		t.Errorf("%d documents, want %d", len(got), want)
	}
	found := false
	for _, b := range srv.Bodies {
		if strings.Contains(b, fmt.Sprintf(`"search_after":[%d,`, t0.Add(time.Nanosecond).UnixNano())) { // > 2^53: float64 would round it
			found = true
		}
	}
	if !found {
		t.Error("no search_after carried an exact nanosecond sort value")
	}
}

// A storm of 429s is waited out, honouring Retry-After.
func TestScan429Storm(t *testing.T) {
	srv := estest.New()
	defer srv.Close()
	want := tiedDocs(srv)
	var calls atomic.Int32
	srv.Fault = func(*http.Request) (int, string, int) {
		if calls.Add(1) <= 4 {
			return 429, `{"error":{"root_cause":[{"type":"es_rejected_execution_exception","reason":"rejected execution"}],"type":"es_rejected_execution_exception","reason":"rejected execution"},"status":429}`, 2
		}
		return 0, "", 0
	}
	c := newClient(t, srv, Config{Retries: 5})
	var waits []time.Duration
	c.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	if got := scanAll(t, c, "logs-*", sortBy("@timestamp", "_shard_doc")); len(got) != want {
		t.Errorf("%d documents, want %d", len(got), want)
	}
	for _, w := range waits {
		if w < 2*time.Second {
			t.Errorf("waited %v, less than the cluster's Retry-After of 2s", w)
		}
	}
}

func TestIndexNotFound(t *testing.T) {
	srv := estest.New()
	defer srv.Close()
	c := newClient(t, srv, Config{})
	var calls atomic.Int32
	srv.Fault = func(*http.Request) (int, string, int) { calls.Add(1); return 0, "", 0 }
	err := c.scan(context.Background(), "no-such-index", map[string]any{"match_all": map[string]any{}}, nil, sortBy("@timestamp", "_shard_doc"), func(Hit) {})
	if err == nil || !strings.Contains(err.Error(), "index_not_found_exception") || !strings.Contains(err.Error(), "no-such-index") {
		t.Fatalf("err %v", err)
	}
	if calls.Load() != 1 {
		t.Errorf("%d requests: a 404 is not retried", calls.Load())
	}
}

// Documents in Fluent Bit's shape read with the Filebeat preset: the error names the field and
// the preset that fits.
func TestPresetMismatch(t *testing.T) {
	srv := estest.New()
	defer srv.Close()
	srv.Index("logs-fb", map[string]any{"@timestamp": t0.Format(time.RFC3339Nano), "MESSAGE": "Killed process 1 (x)", "_TRANSPORT": "kernel", "_HOSTNAME": "n1"})
	c := newClient(t, srv, Config{})
	src := &Store{Client: c, Index: "logs-*", Fields: Presets["filebeat"]}
	_, recs := readJob(t, src, batch.Options{From: t0, To: t0.Add(time.Hour), Evidence: batch.Evidence{Phrases: []string{"Killed process"}}})
	err := src.ExplainEmpty(context.Background(), t0, t0.Add(time.Hour))
	if n := len(recs); n != 0 || err == nil || !strings.Contains(err.Error(), "no documents have field message") || !strings.Contains(err.Error(), "--preset fluent-bit") {
		t.Errorf("read %d, err %v", len(recs), err)
	}
}

// The Elasticsearch client refuses a server without X-Elastic-Product (OpenSearch): the two
// products need their own drivers.
func TestProductCheck(t *testing.T) {
	srv := estest.New()
	defer srv.Close()
	srv.OpenSearch = true
	tiedDocs(srv)
	c, _ := New(Config{URLs: []string{srv.URL}})
	_, err := c.Count(context.Background(), "logs-*", map[string]any{"match_all": map[string]any{}})
	if err == nil || !strings.Contains(err.Error(), "not Elasticsearch") {
		t.Errorf("err %v, want the product check's refusal", err)
	}
	c = newClient(t, srv, Config{})
	if got := scanAll(t, c, "logs-*", sortBy("@timestamp", "_id")); len(got) != 60 {
		t.Errorf("OpenSearch driver read %d", len(got))
	}
}

// Findings written twice are one document per death.
func TestIndexFindingsIdempotent(t *testing.T) {
	srv := estest.New()
	defer srv.Close()
	c := newClient(t, srv, Config{})
	f := []Finding{{Key: "node1|payments|api|app|abc|cgroup-oom|2026-11-27T14:00:00Z|143", Doc: map[string]string{"mechanism": "cgroup-oom"}}}
	for i := 0; i < 2; i++ {
		if err := c.IndexFindings(context.Background(), "coroner-findings", f); err != nil {
			t.Fatal(err)
		}
	}
	if docs := srv.Docs("coroner-findings"); len(docs) != 1 {
		t.Errorf("%d documents, want 1", len(docs))
	}
	var tmpl map[string]any
	if err := json.Unmarshal([]byte(srv.Templates["coroner-findings"]), &tmpl); err != nil {
		t.Errorf("index template is not JSON: %v", err)
	}
}

// Metricbeat's kubernetes.event documents become records whose fields the events parser reads
// by name, their message the text.
func TestMetricbeatEvents(t *testing.T) {
	srv := estest.New()
	defer srv.Close()
	srv.Index("metricbeat-8", map[string]any{"@timestamp": t0.Format(time.RFC3339Nano), "kubernetes": map[string]any{"event": map[string]any{
		"reason": "Evicted", "message": "The node was low on resource: memory. ", "type": "Warning", "count": 1,
		"involved_object": map[string]any{"kind": "Pod", "name": "etl-1"}, "metadata": map[string]any{"namespace": "jobs"}}}})
	c := newClient(t, srv, Config{})
	src := &Store{Client: c, Index: "logs-*", Fields: Presets["filebeat"], EventsIndex: "metricbeat-*", EventFields: EventPresets["metricbeat"]}
	_, recs := readJob(t, src, batch.Options{From: t0, To: t0.Add(time.Hour), Evidence: batch.Evidence{Reasons: []string{"Evicted"}}})
	want := []sources.Record{{Line: 1, Bytes: []byte("The node was low on resource: memory. "), Time: t0, Bare: true, Program: "k8s-events",
		Fields: map[string]string{"name": "etl-1", "kind": "Pod", "reason": "Evicted", "type": "Warning", "count": "1",
			"msg": "The node was low on resource: memory. ", "namespace": "jobs"}}}
	if d := cmp.Diff(want, recs); d != "" {
		t.Errorf("records (-want +got):\n%s", d)
	}
}

// BenchmarkJob reads a day of three nodes' journald documents (30 000, one in a hundred a
// kill line) through the fake Elasticsearch: documents/s through the job.
func BenchmarkJob(b *testing.B) {
	srv := estest.New()
	defer srv.Close()
	const n = 30000
	for i := 0; i < n; i++ {
		msg := fmt.Sprintf("\"SyncLoop (probe)\" probe=\"readiness\" status=\"ready\" pod=\"team/web-%d\"", i%97)
		unit := "kubelet"
		if i%100 == 0 {
			msg, unit = fmt.Sprintf("Memory cgroup out of memory: Killed process %d (app)", i), "kernel"
		}
		srv.Index("logs-journald", filebeatDoc(t0.Add(time.Duration(i)*2880*time.Millisecond), fmt.Sprintf("node%d", i%3), unit, msg))
	}
	for _, c := range []struct {
		name    string
		phrases []string
	}{{"filtered", []string{"Killed process"}}, {"unfiltered", nil}} {
		b.Run(c.name, func(b *testing.B) {
			client, _ := New(Config{URLs: []string{srv.URL}, PageSize: 5000})
			docs := 0
			for i := 0; i < b.N; i++ {
				_, recs := readJob(b, &Store{Client: client, Index: "logs-*", Fields: Presets["filebeat"]},
					batch.Options{From: t0, To: t0.Add(24 * time.Hour), Window: 6 * time.Hour, Parallel: 4, Evidence: batch.Evidence{Phrases: c.phrases}})
				docs = len(recs)
			}
			b.ReportMetric(float64(docs)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
			b.ReportMetric(float64(docs)/n*100, "%shipped")
		})
	}
}

// An Elastic Cloud ID names https://<elasticsearch-id>.<host>; malformed ones are said so.
func TestCloudAddress(t *testing.T) {
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, c := range []struct{ id, want string }{
		{"prod:" + enc("europe-west1.gcp.cloud.es.io$abc123$kib456"), "https://abc123.europe-west1.gcp.cloud.es.io"},
		{"name:with:colons:" + enc("us-east-1.aws.found.io:443$es1$kb1"), "https://es1.us-east-1.aws.found.io:443"},
		{"raw:" + strings.TrimRight(enc("h.example$e1$k1"), "="), "https://e1.h.example"},
	} {
		if got, err := cloudAddress(c.id); err != nil || got != c.want {
			t.Errorf("cloudAddress(%q) = %q, %v; want %q", c.id, got, err, c.want)
		}
	}
	for _, bad := range []string{"no-colon", "x:!!!", "x:" + enc("only-host"), "x:" + enc("$id$k")} {
		if got, err := cloudAddress(bad); err == nil {
			t.Errorf("cloudAddress(%q) = %q, want an error", bad, got)
		}
	}
}

// readJob runs a batch job over the store and returns the records of its inputs in the order
// they come.
func readJob(t testing.TB, s *Store, opts batch.Options) (*batch.Job, []sources.Record) {
	t.Helper()
	job, err := batch.Start(context.Background(), s, opts)
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
