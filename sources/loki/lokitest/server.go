// Package lokitest is a Loki for tests: an httptest server that stores what is pushed to it
// (protobuf+snappy or JSON, as Loki's /loki/api/v1/push takes them) and answers query_range,
// instant count/bytes_over_time queries and label values the way Loki does (loki-http-api.md):
// label matchers and line filters, start inclusive and end exclusive, limit and direction,
// streams never merged across label sets, max_entries_limit_per_query's 400 text, 401 without a
// tenant, and faults injected on demand (429, 504, dropped connections).
package lokitest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang/snappy"
	"github.com/grafana/loki/pkg/push"
)

// Server is the fake Loki.
type Server struct {
	*httptest.Server
	// MaxEntries is max_entries_limit_per_query (Loki's default 5000).
	MaxEntries int
	// RequireTenant answers 401 "no org id" to requests without X-Scope-OrgID, as Loki with
	// auth_enabled does.
	RequireTenant bool
	// Fault, when set, may answer a request instead of the server: return a status and body,
	// or status -1 to drop the connection.
	Fault func(r *http.Request) (status int, body string)

	mu      sync.Mutex
	tenants map[string]map[string]*stream // tenant → label string → stream
	Queries []string                      // every query_range query, in order
}

type stream struct {
	set     map[string]string
	entries []push.Entry
}

// New starts a fake Loki.
func New() *Server {
	s := &Server{MaxEntries: 5000, tenants: map[string]map[string]*stream{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/loki/api/v1/push", s.wrap(s.push))
	mux.HandleFunc("/loki/api/v1/query_range", s.wrap(s.queryRange))
	mux.HandleFunc("/loki/api/v1/query", s.wrap(s.instant))
	mux.HandleFunc("/loki/api/v1/label/", s.wrap(s.labelValues))
	s.Server = httptest.NewServer(mux)
	return s
}

func (s *Server) wrap(h func(w http.ResponseWriter, r *http.Request, tenant string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Fault != nil {
			if code, body := s.Fault(r); code != 0 {
				if code < 0 {
					hj, ok := w.(http.Hijacker)
					if ok {
						conn, _, _ := hj.Hijack()
						conn.Close()
						return
					}
				}
				http.Error(w, body, code)
				return
			}
		}
		tenant := r.Header.Get("X-Scope-OrgID")
		if tenant == "" {
			if s.RequireTenant {
				http.Error(w, "no org id", http.StatusUnauthorized)
				return
			}
			tenant = "fake"
		}
		h(w, r, tenant)
	}
}

// Push stores entries directly (tests that do not exercise the push protocol).
func (s *Server) Push(tenant string, set map[string]string, entries ...push.Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store(tenant, set, entries)
}

func (s *Server) store(tenant string, set map[string]string, entries []push.Entry) {
	if s.tenants[tenant] == nil {
		s.tenants[tenant] = map[string]*stream{}
	}
	key := labelString(set)
	st := s.tenants[tenant][key]
	if st == nil {
		st = &stream{set: set}
		s.tenants[tenant][key] = st
	}
	// Loki keeps one entry per stream, timestamp and line: a re-pushed entry is dropped.
	have := map[string]bool{}
	for _, e := range st.entries {
		have[strconv.FormatInt(e.Timestamp.UnixNano(), 10)+"\x00"+e.Line] = true
	}
	for _, e := range entries {
		if k := strconv.FormatInt(e.Timestamp.UnixNano(), 10) + "\x00" + e.Line; !have[k] {
			have[k] = true
			st.entries = append(st.entries, e)
		}
	}
	sort.SliceStable(st.entries, func(i, j int) bool { return st.entries[i].Timestamp.Before(st.entries[j].Timestamp) })
}

func (s *Server) push(w http.ResponseWriter, r *http.Request, tenant string) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var req push.PushRequest
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var j struct {
			Streams []struct {
				Stream map[string]string `json:"stream"`
				Values [][]string        `json:"values"`
			} `json:"streams"`
		}
		if err := json.Unmarshal(body, &j); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		for _, st := range j.Streams {
			var es []push.Entry
			for _, v := range st.Values {
				ns, _ := strconv.ParseInt(v[0], 10, 64)
				es = append(es, push.Entry{Timestamp: time.Unix(0, ns).UTC(), Line: v[1]})
			}
			s.store(tenant, st.Stream, es)
		}
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
		return
	}
	raw, err := snappy.Decode(nil, body)
	if err != nil {
		http.Error(w, "snappy: "+err.Error(), http.StatusBadRequest)
		return
	}
	if err := req.Unmarshal(raw); err != nil {
		http.Error(w, "protobuf: "+err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	for _, st := range req.Streams {
		set, err := parseLabelString(st.Labels)
		if err != nil {
			s.mu.Unlock()
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.store(tenant, set, st.Entries)
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// Streams returns a tenant's stored streams (label string → lines), for tests of pushers.
func (s *Server) Streams(tenant string) map[string][]push.Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]push.Entry{}
	for k, st := range s.tenants[tenant] {
		out[k] = append([]push.Entry(nil), st.entries...)
	}
	return out
}

func (s *Server) queryRange(w http.ResponseWriter, r *http.Request, tenant string) {
	q := r.URL.Query()
	query := q.Get("query")
	s.mu.Lock()
	s.Queries = append(s.Queries, query)
	s.mu.Unlock()
	sel, err := parseQuery(query)
	if err != nil {
		http.Error(w, "parse error : "+err.Error(), http.StatusBadRequest)
		return
	}
	limit := 100
	if v := q.Get("limit"); v != "" {
		limit, _ = strconv.Atoi(v)
	}
	if limit > s.MaxEntries {
		http.Error(w, fmt.Sprintf("max entries limit per query exceeded, limit > max_entries_limit_per_query (%d > %d)", limit, s.MaxEntries), http.StatusBadRequest)
		return
	}
	start, end := parseTime(q.Get("start"), time.Now().Add(-time.Hour)), parseTime(q.Get("end"), time.Now())
	forward := q.Get("direction") == "forward"
	type hit struct {
		st *stream
		e  push.Entry
	}
	var hits []hit
	s.mu.Lock()
	for _, tn := range strings.Split(tenant, "|") {
		for _, st := range s.tenants[tn] {
			if !sel.matches(st.set) {
				continue
			}
			for _, e := range st.entries {
				if !e.Timestamp.Before(start) && e.Timestamp.Before(end) && sel.keeps(e.Line) {
					hits = append(hits, hit{st, e})
				}
			}
		}
	}
	s.mu.Unlock()
	sort.SliceStable(hits, func(i, j int) bool {
		if forward {
			return hits[i].e.Timestamp.Before(hits[j].e.Timestamp)
		}
		return hits[i].e.Timestamp.After(hits[j].e.Timestamp)
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	categorize := strings.Contains(r.Header.Get("X-Loki-Response-Encoding-Flags"), "categorize-labels")
	var order []*stream
	values := map[*stream][]any{}
	for _, h := range hits {
		if _, ok := values[h.st]; !ok {
			order = append(order, h.st)
		}
		v := []any{strconv.FormatInt(h.e.Timestamp.UnixNano(), 10), h.e.Line}
		if categorize {
			v = append(v, map[string]any{})
		}
		values[h.st] = append(values[h.st], v)
	}
	result := []map[string]any{}
	for _, st := range order {
		result = append(result, map[string]any{"stream": st.set, "values": values[st]})
	}
	data := map[string]any{"resultType": "streams", "result": result, "stats": map[string]any{}}
	if categorize {
		data["encodingFlags"] = []string{"categorize-labels"}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"status": "success", "data": data})
}

var reMetric = regexp.MustCompile(`^sum\((count|bytes)_over_time\((.*)\[(\d+)s\]\)\)$`)

func (s *Server) instant(w http.ResponseWriter, r *http.Request, tenant string) {
	q := r.URL.Query()
	sm := reMetric.FindStringSubmatch(q.Get("query"))
	if sm == nil {
		http.Error(w, "parse error : only sum(count_over_time(…)) and sum(bytes_over_time(…)) are faked", http.StatusBadRequest)
		return
	}
	sel, err := parseQuery(sm[2])
	if err != nil {
		http.Error(w, "parse error : "+err.Error(), http.StatusBadRequest)
		return
	}
	at := parseTime(q.Get("time"), time.Now())
	secs, _ := strconv.Atoi(sm[3])
	from := at.Add(-time.Duration(secs) * time.Second)
	var sum int64
	s.mu.Lock()
	for _, tn := range strings.Split(tenant, "|") {
		for _, st := range s.tenants[tn] {
			if !sel.matches(st.set) {
				continue
			}
			for _, e := range st.entries {
				if e.Timestamp.After(from) && !e.Timestamp.After(at) && sel.keeps(e.Line) {
					if sm[1] == "count" {
						sum++
					} else {
						sum += int64(len(e.Line))
					}
				}
			}
		}
	}
	s.mu.Unlock()
	_ = json.NewEncoder(w).Encode(map[string]any{"status": "success", "data": map[string]any{"resultType": "vector",
		"result": []any{map[string]any{"metric": map[string]string{}, "value": []any{float64(at.Unix()), strconv.FormatInt(sum, 10)}}}}})
}

func (s *Server) labelValues(w http.ResponseWriter, r *http.Request, tenant string) {
	name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/loki/api/v1/label/"), "/values")
	seen := map[string]bool{}
	s.mu.Lock()
	for _, tn := range strings.Split(tenant, "|") {
		for _, st := range s.tenants[tn] {
			if v := st.set[name]; v != "" {
				seen[v] = true
			}
		}
	}
	s.mu.Unlock()
	vals := []string{}
	for v := range seen {
		vals = append(vals, v)
	}
	sort.Strings(vals)
	_ = json.NewEncoder(w).Encode(map[string]any{"status": "success", "data": vals})
}

func parseTime(s string, def time.Time) time.Time {
	if s == "" {
		return def
	}
	if ns, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(0, ns)
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t
	}
	return def
}

func labelString(set map[string]string) string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + strconv.Quote(set[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
