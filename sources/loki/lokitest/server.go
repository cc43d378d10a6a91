// Package lokitest is a Loki for tests: an httptest server that stores what is pushed to it
// (JSON, as Loki's /loki/api/v1/push takes it) and answers query_range,
// instant count/bytes_over_time queries and label values the way Loki does (loki-http-api.md):
// label matchers and line filters, start inclusive and end exclusive, limit and direction,
// streams never merged across label sets, max_entries_limit_per_query's 400 text, 401 without a
// tenant, and faults injected on demand (429, 504, dropped connections).
package lokitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
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
	entries []Entry
}

// An Entry is one stored line.
type Entry struct {
	Timestamp time.Time
	Line      string
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
func (s *Server) Push(tenant string, set map[string]string, entries ...Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store(tenant, set, entries)
}

func (s *Server) store(tenant string, set map[string]string, entries []Entry) {
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

// push takes Loki's JSON push body: {"streams":[{"stream":{labels},"values":[["<ns>","<line>"]
// or ["<ns>","<line>",{metadata}]]}]}. Loki also takes protobuf+snappy; coroner does not send
// it, so this fake answers it 415 rather than storing it unread.
func (s *Server) push(w http.ResponseWriter, r *http.Request, tenant string) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		http.Error(w, "unsupported Content-Type "+strconv.Quote(r.Header.Get("Content-Type")), http.StatusUnsupportedMediaType)
		return
	}
	var j struct {
		Streams []struct {
			Stream map[string]string   `json:"stream"`
			Values [][]json.RawMessage `json:"values"`
		} `json:"streams"`
	}
	if err := json.NewDecoder(r.Body).Decode(&j); err != nil {
		http.Error(w, "loghttp.PushRequest: "+err.Error(), http.StatusBadRequest)
		return
	}
	type parsed struct {
		set     map[string]string
		entries []Entry
	}
	var streams []parsed
	for _, st := range j.Streams {
		if len(st.Stream) == 0 {
			http.Error(w, "error at least one label pair is required per stream", http.StatusBadRequest)
			return
		}
		p := parsed{set: st.Stream}
		for _, v := range st.Values {
			var tsText, line string
			if len(v) < 2 || len(v) > 3 || json.Unmarshal(v[0], &tsText) != nil || json.Unmarshal(v[1], &line) != nil {
				http.Error(w, "a value is not [\"<ns>\", \"<line>\"(, {metadata})]", http.StatusBadRequest)
				return
			}
			ns, err := strconv.ParseInt(tsText, 10, 64)
			if err != nil {
				http.Error(w, "timestamp "+strconv.Quote(tsText)+" is not nanoseconds", http.StatusBadRequest)
				return
			}
			p.entries = append(p.entries, Entry{Timestamp: time.Unix(0, ns).UTC(), Line: line})
		}
		streams = append(streams, p)
	}
	s.mu.Lock()
	for _, p := range streams {
		s.store(tenant, p.set, p.entries)
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// Streams returns a tenant's stored streams (label string → lines), for tests of pushers.
func (s *Server) Streams(tenant string) map[string][]Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]Entry{}
	for k, st := range s.tenants[tenant] {
		out[k] = append([]Entry(nil), st.entries...)
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
		e  Entry
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
