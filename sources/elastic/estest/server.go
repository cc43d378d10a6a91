// Package estest is an Elasticsearch (or OpenSearch) for tests: an httptest server with the
// subset coroner calls, answering as the documented examples do (docs/log-stores.md §2): point in
// time open/close in both dialects, _search with pit, sort, search_after and a bool / range /
// match_phrase / term / terms / exists query subset, _count, _bulk and index templates. In
// Elasticsearch mode every answer carries X-Elastic-Product (the Go client refuses servers
// without it); in OpenSearch mode none does. pit_id rotates on every search, date_nanos sort
// values exceed 2^53, and 429s with Retry-After and expired PITs are injected on demand.
package estest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is the fake cluster.
type Server struct {
	*httptest.Server
	OpenSearch bool
	// Fault, when set, may answer a request instead of the server (status, body, Retry-After
	// seconds).
	Fault func(r *http.Request) (status int, body string, retryAfter int)

	mu      sync.Mutex
	indices map[string][]doc
	seq     int
	pits    map[string]*pit // every id a PIT ever had
	pitSeq  int
	Bodies  []string // search bodies, in order
	// Opened and Closed count the points in time opened and the distinct ones closed, so a
	// test can tell that a client leaves none open (an expired one included: a real cluster
	// may still hold it on some shards).
	Opened, Closed int
	Bulk           []string // _bulk bodies
	Templates      map[string]string
}

type doc struct {
	index string
	id    string
	shard int
	seq   int
	src   map[string]any
}

type pit struct {
	docs    []doc
	expired bool
}

// New starts an Elasticsearch-flavoured fake; set OpenSearch before the first request for the
// other dialect.
func New() *Server {
	s := &Server{indices: map[string][]doc{}, pits: map[string]*pit{}, Templates: map[string]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Index stores documents (their _id is given or made up), as a shipper would have.
func (s *Server) Index(index string, docs ...map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range docs {
		s.seq++
		id := fmt.Sprintf("doc-%06d", s.seq)
		if v, ok := d["_id"].(string); ok {
			id = v
			delete(d, "_id")
		}
		s.put(index, id, d)
	}
}

func (s *Server) put(index, id string, src map[string]any) {
	for i, d := range s.indices[index] {
		if d.id == id {
			s.indices[index][i].src = src
			return
		}
	}
	s.seq++
	s.indices[index] = append(s.indices[index], doc{index: index, id: id, shard: s.seq % 3, seq: s.seq, src: src})
}

// Docs returns an index's documents (tests of the findings writer).
func (s *Server) Docs(index string) map[string]map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]map[string]any{}
	for _, d := range s.indices[index] {
		out[d.id] = d.src
	}
	return out
}

// ExpireAll makes every open point in time expire, as keep_alive running out does.
func (s *Server) ExpireAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.pits {
		p.expired = true
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if !s.OpenSearch {
		w.Header().Set("X-Elastic-Product", "Elasticsearch")
	}
	if s.Fault != nil {
		if code, body, after := s.Fault(r); code != 0 {
			if after > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(after))
			}
			w.WriteHeader(code)
			io.WriteString(w, body)
			return
		}
	}
	body, _ := io.ReadAll(r.Body)
	// Elasticsearch 8 refuses a body it is not told is JSON (or NDJSON, for _bulk).
	if ct := r.Header.Get("Content-Type"); len(body) > 0 && !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "application/x-ndjson") {
		w.WriteHeader(http.StatusNotAcceptable)
		fmt.Fprintf(w, `{"error":"Content-Type header [%s] is not supported","status":406}`, ct)
		return
	}
	path := strings.Trim(r.URL.Path, "/")
	parts := strings.Split(path, "/")
	switch {
	case !s.OpenSearch && len(parts) == 2 && parts[1] == "_pit" && r.Method == http.MethodPost:
		s.openPIT(w, parts[0], "id")
	case !s.OpenSearch && path == "_pit" && r.Method == http.MethodDelete:
		s.closePIT(w, body, "id")
	case s.OpenSearch && len(parts) == 3 && parts[1] == "_search" && parts[2] == "point_in_time" && r.Method == http.MethodPost:
		s.openPIT(w, parts[0], "pit_id")
	case s.OpenSearch && path == "_search/point_in_time" && r.Method == http.MethodDelete:
		s.closePIT(w, body, "pit_id")
	case path == "_search":
		s.search(w, body)
	case len(parts) == 2 && parts[1] == "_count":
		s.count(w, parts[0], body)
	case path == "_bulk":
		s.bulk(w, body)
	case len(parts) == 2 && parts[0] == "_index_template" && r.Method == http.MethodPut:
		s.mu.Lock()
		s.Templates[parts[1]] = string(body)
		s.mu.Unlock()
		io.WriteString(w, `{"acknowledged":true}`)
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"error":{"root_cause":[{"type":"illegal_argument_exception","reason":"no handler for %s %s"}],"type":"illegal_argument_exception","reason":"no handler"},"status":404}`, r.Method, r.URL.Path)
	}
}

// resolve expands a comma-separated index pattern; an explicit index that does not exist is
// an error, a wildcard that matches nothing is not.
func (s *Server) resolve(pattern string) ([]doc, string) {
	var out []doc
	for _, p := range strings.Split(pattern, ",") {
		found := false
		for name, docs := range s.indices {
			if match(p, name) {
				found = true
				out = append(out, docs...)
			}
		}
		if !found && !strings.Contains(p, "*") {
			return nil, p
		}
	}
	return out, ""
}

func match(pattern, name string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == name
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	rest := name[len(parts[0]):]
	for _, p := range parts[1:] {
		i := strings.Index(rest, p)
		if i < 0 {
			return false
		}
		rest = rest[i+len(p):]
	}
	return strings.HasSuffix(name, parts[len(parts)-1])
}

func notFound(w http.ResponseWriter, index string) {
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprintf(w, `{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [%s]","index":"%s"}],"type":"index_not_found_exception","reason":"no such index [%s]","index":"%s"},"status":404}`, index, index, index, index)
}

func (s *Server) openPIT(w http.ResponseWriter, pattern, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	docs, missing := s.resolve(pattern)
	if missing != "" {
		notFound(w, missing)
		return
	}
	id := s.newPIT(&pit{docs: append([]doc(nil), docs...)})
	s.Opened++
	json.NewEncoder(w).Encode(map[string]any{key: id})
}

func (s *Server) newPIT(p *pit) string {
	s.pitSeq++
	id := fmt.Sprintf("pit-%04d-%s", s.pitSeq, strings.Repeat("x", 16))
	s.pits[id] = p
	return id
}

func (s *Server) closePIT(w http.ResponseWriter, body []byte, key string) {
	var req map[string]any
	json.Unmarshal(body, &req)
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	switch v := req[key].(type) {
	case string:
		ids = []string{v}
	case []any:
		for _, x := range v {
			ids = append(ids, fmt.Sprint(x))
		}
	}
	n := 0
	for _, id := range ids {
		if p := s.pits[id]; p != nil {
			for k, q := range s.pits { // all ids of this PIT go
				if q == p {
					delete(s.pits, k)
				}
			}
			n++
		}
	}
	s.Closed += n
	json.NewEncoder(w).Encode(map[string]any{"succeeded": true, "num_freed": n})
}

type searchReq struct {
	Size        int               `json:"size"`
	Query       map[string]any    `json:"query"`
	Sort        []json.RawMessage `json:"sort"`
	SearchAfter []json.RawMessage `json:"search_after"`
	Pit         struct {
		ID string `json:"id"`
	} `json:"pit"`
	Source json.RawMessage `json:"_source"`
}

type sortKey struct {
	field, order, format, numeric string
}

func (s *Server) search(w http.ResponseWriter, body []byte) {
	var req searchReq
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&req); err != nil {
		badRequest(w, "parsing_exception", err.Error())
		return
	}
	s.mu.Lock()
	s.Bodies = append(s.Bodies, string(body))
	p := s.pits[req.Pit.ID]
	if p == nil || p.expired {
		s.mu.Unlock()
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"error":{"root_cause":[{"type":"search_context_missing_exception","reason":"No search context found for id [%s]"}],"type":"search_phase_execution_exception","reason":"all shards failed","phase":"query"},"status":404}`, req.Pit.ID)
		return
	}
	newID := s.newPIT(p) // Elasticsearch may answer with a new pit_id; clients must use the latest
	s.mu.Unlock()
	keys, err := sortKeys(req.Sort, s.OpenSearch)
	if err != nil {
		badRequest(w, "illegal_argument_exception", err.Error())
		return
	}
	var hits []hit
	for _, d := range p.docs {
		ok, err := eval(req.Query, d.src)
		if err != nil {
			badRequest(w, "parsing_exception", err.Error())
			return
		}
		if ok {
			hits = append(hits, hit{d, sortValues(d, keys)})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return less(hits[i].values, hits[j].values, keys) })
	if len(req.SearchAfter) > 0 {
		after := make([]any, len(req.SearchAfter))
		for i, raw := range req.SearchAfter {
			after[i] = decodeSortValue(raw)
		}
		i := sort.Search(len(hits), func(i int) bool { return less(after, hits[i].values, keys) })
		hits = hits[i:]
	}
	if req.Size == 0 {
		req.Size = 10
	}
	if len(hits) > req.Size {
		hits = hits[:req.Size]
	}
	var out []map[string]any
	for _, h := range hits {
		out = append(out, map[string]any{"_index": h.d.index, "_id": h.d.id, "_score": nil, "_source": project(h.d.src, req.Source), "sort": h.values})
	}
	if out == nil {
		out = []map[string]any{}
	}
	json.NewEncoder(w).Encode(map[string]any{"pit_id": newID, "took": 3, "timed_out": false,
		"_shards": map[string]any{"total": 3, "successful": 3, "skipped": 0, "failed": 0},
		"hits":    map[string]any{"total": map[string]any{"value": len(out), "relation": "gte"}, "max_score": nil, "hits": out}})
}

type hit struct {
	d      doc
	values []any
}

func badRequest(w http.ResponseWriter, typ, reason string) {
	w.WriteHeader(http.StatusBadRequest)
	b, _ := json.Marshal(reason)
	fmt.Fprintf(w, `{"error":{"root_cause":[{"type":"%s","reason":%s}],"type":"%s","reason":%s},"status":400}`, typ, b, typ, b)
}

func sortKeys(raw []json.RawMessage, openSearch bool) ([]sortKey, error) {
	var keys []sortKey
	for _, r := range raw {
		var m map[string]json.RawMessage
		if json.Unmarshal(r, &m) != nil || len(m) != 1 {
			return nil, fmt.Errorf("sort clause %s is not {field: …}", r)
		}
		for f, v := range m {
			k := sortKey{field: f, order: "asc"}
			var order string
			if json.Unmarshal(v, &order) == nil {
				k.order = order
			} else {
				var opts struct {
					Order       string `json:"order"`
					Format      string `json:"format"`
					NumericType string `json:"numeric_type"`
				}
				json.Unmarshal(v, &opts)
				k.order, k.format, k.numeric = opts.Order, opts.Format, opts.NumericType
			}
			if f == "_shard_doc" && openSearch {
				return nil, fmt.Errorf("No mapping found for [_shard_doc] in order to sort on") // OpenSearch 2.x
			}
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// sortValues are what Elasticsearch returns in hits[].sort: a date as epoch millis, as epoch
// nanoseconds (a long above 2^53) for numeric_type date_nanos, as a string with a format.
func sortValues(d doc, keys []sortKey) []any {
	var out []any
	for _, k := range keys {
		switch k.field {
		case "_shard_doc":
			out = append(out, json.Number(strconv.FormatInt(int64(d.shard)<<32|int64(d.seq), 10)))
		case "_id":
			out = append(out, d.id)
		default:
			v := lookup(d.src, k.field)
			if t, ok := asTime(v); ok {
				switch {
				case k.format != "":
					out = append(out, t.UTC().Format("2006-01-02T15:04:05.000000000Z"))
				case k.numeric == "date_nanos":
					out = append(out, json.Number(strconv.FormatInt(t.UnixNano(), 10)))
				default:
					out = append(out, json.Number(strconv.FormatInt(t.UnixMilli(), 10)))
				}
				continue
			}
			out = append(out, v)
		}
	}
	return out
}

func decodeSortValue(raw json.RawMessage) any {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return json.Number(strings.TrimSpace(string(raw)))
}

func less(a, b []any, keys []sortKey) bool {
	for i := range keys {
		if i >= len(a) || i >= len(b) {
			return false
		}
		c := compare(a[i], b[i])
		if c == 0 {
			continue
		}
		if keys[i].order == "desc" {
			return c > 0
		}
		return c < 0
	}
	return false
}

func compare(a, b any) int {
	an, aok := a.(json.Number)
	bn, bok := b.(json.Number)
	if aok && bok { // compare as integers: float64 would merge nanoseconds above 2^53
		ai, err1 := strconv.ParseInt(string(an), 10, 64)
		bi, err2 := strconv.ParseInt(string(bn), 10, 64)
		if err1 == nil && err2 == nil {
			switch {
			case ai < bi:
				return -1
			case ai > bi:
				return 1
			}
			return 0
		}
	}
	as, bs := fmt.Sprint(a), fmt.Sprint(b)
	return strings.Compare(as, bs)
}

func (s *Server) count(w http.ResponseWriter, pattern string, body []byte) {
	var req struct {
		Query map[string]any `json:"query"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	dec.Decode(&req)
	s.mu.Lock()
	docs, missing := s.resolve(pattern)
	s.mu.Unlock()
	if missing != "" {
		notFound(w, missing)
		return
	}
	n := 0
	for _, d := range docs {
		if ok, _ := eval(req.Query, d.src); ok {
			n++
		}
	}
	json.NewEncoder(w).Encode(map[string]any{"count": n, "_shards": map[string]any{"total": 3, "successful": 3, "skipped": 0, "failed": 0}})
}

func (s *Server) bulk(w http.ResponseWriter, body []byte) {
	s.mu.Lock()
	s.Bulk = append(s.Bulk, string(body))
	s.mu.Unlock()
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var items []any
	for sc.Scan() {
		var action map[string]struct {
			Index string `json:"_index"`
			ID    string `json:"_id"`
		}
		if json.Unmarshal(sc.Bytes(), &action) != nil || !sc.Scan() {
			badRequest(w, "illegal_argument_exception", "Malformed action/metadata line")
			return
		}
		var src map[string]any
		json.Unmarshal(sc.Bytes(), &src)
		for op, a := range action {
			s.mu.Lock()
			s.put(a.Index, a.ID, src)
			s.mu.Unlock()
			items = append(items, map[string]any{op: map[string]any{"_index": a.Index, "_id": a.ID, "status": 201, "result": "created"}})
		}
	}
	json.NewEncoder(w).Encode(map[string]any{"took": 5, "errors": false, "items": items})
}

// asTime reads a date as Elasticsearch would index it: an RFC 3339 string or epoch millis.
func asTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return t, true
		}
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return time.UnixMilli(n), true
		}
	case float64:
		return time.UnixMilli(int64(x)), true
	}
	return time.Time{}, false
}
