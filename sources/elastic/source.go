package elastic

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/sources"
	"github.com/k8s-coroner/coroner/sources/batch"
)

// Fields names the fields of node-log documents (log-stores.md §2.7).
type Fields struct {
	Time       string   // when the line was written
	Message    string   // the line
	Unit       string   // systemd unit
	Transport  string   // journal transport: "kernel" for kernel messages
	Identifier string   // syslog identifier
	Hosts      []string // the node, first present wins
	Program    string   // a fixed program for every document (Fluent Bit's kmsg input: kernel)
}

// Presets of node-log fields.
var Presets = map[string]Fields{
	// Filebeat / Elastic Agent journald input (ECS): message, systemd.*, syslog.identifier, host.*.
	"filebeat": {Time: "@timestamp", Message: "message", Unit: "systemd.unit", Transport: "systemd.transport",
		Identifier: "syslog.identifier", Hosts: []string{"host.hostname", "host.name"}},
	// Fluent Bit's systemd input: the journal's own keys.
	"fluent-bit": {Time: "@timestamp", Message: "MESSAGE", Unit: "_SYSTEMD_UNIT", Transport: "_TRANSPORT",
		Identifier: "SYSLOG_IDENTIFIER", Hosts: []string{"_HOSTNAME", "hostname", "host"}},
	// Fluent Bit's kmsg input: priority, sequence, sec, usec, msg.
	"fluent-bit-kmsg": {Time: "@timestamp", Message: "msg", Program: "kernel", Hosts: []string{"hostname", "host", "_HOSTNAME"}},
}

// EventFields names the fields of Event documents.
type EventFields struct {
	Time string // the time to filter and sort on
	// Whole: the document is a whole Kubernetes Event (kubernetes-event-exporter), read by
	// the Event decoder; else the fields below are Metricbeat's kubernetes.event.*.
	Whole                                               bool
	Reason, Message, Type, Count, Kind, Name, Namespace string
}

// EventPresets of Event documents.
var EventPresets = map[string]EventFields{
	// kubernetes-event-exporter: the raw Event, no @timestamp: its own lastTimestamp counts.
	"event-exporter": {Time: "lastTimestamp", Whole: true, Reason: "reason"},
	// Metricbeat / Elastic Agent kubernetes.event.
	"metricbeat": {Time: "@timestamp", Reason: "kubernetes.event.reason", Message: "kubernetes.event.message",
		Type: "kubernetes.event.type", Count: "kubernetes.event.count", Kind: "kubernetes.event.involved_object.kind",
		Name: "kubernetes.event.involved_object.name", Namespace: "kubernetes.event.metadata.namespace"},
}

// Source reads node logs and Events out of Elasticsearch or OpenSearch as coroner inputs: one
// input per node and program, its documents in time order. Only documents holding one of
// the parsers' trigger phrases are shipped.
type Source struct {
	// Ctx bounds the whole run (--deadline, an interrupt): open points in time are closed when
	// it ends. nil for none.
	Ctx         context.Context
	Client      *Client
	Index       string // node logs, e.g. "logs-*,filebeat-*"
	Fields      Fields
	Phrases     []string // match_phrase on the message field
	EventsIndex string   // "" to read no Events
	EventFields EventFields
	Reasons     []string
	From, To    time.Time
	Window      time.Duration
	Parallel    int
	Tiebreaker  string            // "_shard_doc" (Elasticsearch) or a unique field (OpenSearch 2.x)
	Context     func(string) bool // marks kernel lines to read the whole report around; nil: none
	Keep        func(string) bool // keeps a node (--shard); nil keeps all
	Count       bool              // count the range's documents unfiltered, for Stats
	Progress    func(done, total, docs int)

	Stats   Stats
	Missing []batch.Missing
}

// Stats compares what was shipped with the unfiltered count of the range.
type Stats struct {
	Windows     int   `json:"windows"`
	Docs        int   `json:"docs"`
	Bytes       int64 `json:"bytes"`
	ContextDocs int   `json:"contextDocs"`
	Unfiltered  int64 `json:"unfiltered,omitempty"`
}

var _ sources.Source = (*Source)(nil)

// a line is one document as the parsers will see it.
type line struct {
	at      time.Time
	host    string
	program string
	text    string
	whole   bool // a whole Event document
	labels  map[string]string
	key     string
}

// Inputs reads the range window by window and yields one input per node and program.
func (s *Source) Inputs() iter.Seq2[*sources.Input, error] {
	return func(yield func(*sources.Input, error) bool) {
		ctx := s.Ctx
		if ctx == nil {
			ctx = context.Background()
		}
		if s.Tiebreaker == "" {
			s.Tiebreaker = "_shard_doc"
		}
		w := s.Window
		if w <= 0 {
			w = time.Hour
		}
		windows := batch.Windows(s.From, s.To, w)
		s.Stats.Windows = len(windows)
		groups := map[string][]line{}
		seen := map[string]bool{}
		add := func(l line) {
			if s.Keep != nil && l.host != "" && !s.Keep(l.host) {
				return
			}
			if seen[l.key] {
				return
			}
			seen[l.key] = true
			g := l.host + "\x00" + l.program
			if l.whole {
				g = "\x00events"
			}
			groups[g] = append(groups[g], l)
			s.Stats.Docs++
			s.Stats.Bytes += int64(len(l.text))
		}
		type job struct {
			index string
			fetch func(context.Context, batch.Window) ([]line, error)
		}
		jobs := []job{{s.Index, s.nodeWindow}}
		if s.EventsIndex != "" {
			jobs = append(jobs, job{s.EventsIndex, s.eventsWindow})
		}
		done, total := 0, len(windows)*len(jobs)
		for _, j := range jobs {
			batch.Run(ctx, windows, s.Parallel, batch.Fetcher[line]{Fetch: j.fetch, Split: IsTimeout},
				func(lines []line, missing []batch.Missing) {
					for _, l := range lines {
						add(l)
					}
					s.Missing = append(s.Missing, missing...)
					done++
					if s.Progress != nil {
						s.Progress(done, total, s.Stats.Docs)
					}
				})
		}
		if s.Context != nil {
			s.readContext(ctx, groups, add)
		}
		if s.Count {
			if n, err := s.Client.Count(ctx, s.Index, timeRange(s.Fields.Time, s.From, s.To)); err == nil {
				s.Stats.Unfiltered = n
			}
		}
		keys := make([]string, 0, len(groups))
		for k := range groups {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !yield(s.input(k, groups[k]), nil) {
				return
			}
		}
	}
}

// nodeQuery selects a window's documents holding a trigger phrase.
func (s *Source) nodeQuery(from, to time.Time, extra ...map[string]any) map[string]any {
	should := make([]any, 0, len(s.Phrases))
	for _, p := range s.Phrases {
		should = append(should, map[string]any{"match_phrase": map[string]any{s.Fields.Message: p}})
	}
	filter := []any{timeRange(s.Fields.Time, from, to)}
	for _, e := range extra {
		filter = append(filter, e)
	}
	b := map[string]any{"filter": filter}
	if len(should) > 0 {
		b["should"], b["minimum_should_match"] = should, 1
	}
	return map[string]any{"bool": b}
}

func (s *Source) includes() []string {
	f := s.Fields
	out := []string{f.Time, f.Message}
	for _, x := range append([]string{f.Unit, f.Transport, f.Identifier}, f.Hosts...) {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

func (s *Source) nodeWindow(ctx context.Context, w batch.Window) ([]line, error) {
	var out []line
	err := s.Client.scan(ctx, s.Index, s.nodeQuery(w.From, w.To), s.includes(), sortBy(s.Fields.Time, s.Tiebreaker), func(h Hit) {
		if l, ok := s.nodeLine(h); ok {
			out = append(out, l)
		}
	})
	return out, err
}

// nodeLine reads a node-log document.
func (s *Source) nodeLine(h Hit) (line, bool) {
	var src map[string]any
	dec := json.NewDecoder(bytes.NewReader(h.Source))
	dec.UseNumber()
	if dec.Decode(&src) != nil {
		return line{}, false
	}
	f := s.Fields
	l := line{text: str(lookup(src, f.Message)), key: h.Index + "\x00" + h.ID}
	l.at, _ = parseTime(lookup(src, f.Time))
	for _, hf := range f.Hosts {
		if v := str(lookup(src, hf)); v != "" {
			l.host = v
			break
		}
	}
	switch {
	case f.Program != "":
		l.program = f.Program
	case strings.EqualFold(str(lookup(src, f.Transport)), "kernel"), str(lookup(src, f.Identifier)) == "kernel":
		l.program = "kernel"
	case str(lookup(src, f.Unit)) != "":
		l.program = strings.TrimSuffix(str(lookup(src, f.Unit)), ".service")
	default:
		l.program = str(lookup(src, f.Identifier))
	}
	return l, l.text != "" && !l.at.IsZero()
}

func (s *Source) eventsWindow(ctx context.Context, w batch.Window) ([]line, error) {
	ef := s.EventFields
	reasons := make([]any, len(s.Reasons))
	for i, r := range s.Reasons {
		reasons[i] = r
	}
	q := map[string]any{"bool": map[string]any{"filter": []any{timeRange(ef.Time, w.From, w.To),
		map[string]any{"terms": map[string]any{ef.Reason: reasons}}}}}
	var includes []string
	if !ef.Whole {
		includes = []string{ef.Time, ef.Reason, ef.Message, ef.Type, ef.Count, ef.Kind, ef.Name, ef.Namespace}
	}
	var out []line
	err := s.Client.scan(ctx, s.EventsIndex, q, includes, sortBy(ef.Time, s.Tiebreaker), func(h Hit) {
		if l, ok := s.eventLine(h); ok {
			out = append(out, l)
		}
	})
	return out, err
}

// eventLine reads an Event document: a whole Event goes to the Event decoder as it is;
// Metricbeat's fields become the key=value line the events parser reads (Alloy's form).
func (s *Source) eventLine(h Hit) (line, bool) {
	var src map[string]any
	dec := json.NewDecoder(bytes.NewReader(h.Source))
	dec.UseNumber()
	if dec.Decode(&src) != nil {
		return line{}, false
	}
	ef := s.EventFields
	l := line{key: h.Index + "\x00" + h.ID, program: "k8s-events"}
	l.at, _ = parseTime(lookup(src, ef.Time))
	if ef.Whole {
		l.whole, l.text = true, string(h.Source)
		return l, true
	}
	l.text = fmt.Sprintf("name=%s kind=%s reason=%s type=%s count=%s msg=%s", str(lookup(src, ef.Name)), str(lookup(src, ef.Kind)),
		str(lookup(src, ef.Reason)), str(lookup(src, ef.Type)), cmp.Or(str(lookup(src, ef.Count)), "1"), strconv.Quote(str(lookup(src, ef.Message))))
	l.labels = map[string]string{"namespace": str(lookup(src, ef.Namespace))}
	return l, !l.at.IsZero()
}

// input turns one group's documents into an input, in time order.
func (s *Source) input(key string, lines []line) *sources.Input {
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].at.Before(lines[j].at) })
	name := "elasticsearch:" + strings.ReplaceAll(strings.Trim(key, "\x00"), "\x00", ":")
	in := &sources.Input{Name: name, ModTime: s.To}
	in.Records = func(yield func(sources.Record, error) bool) {
		for i, l := range lines {
			rec := sources.Record{Line: i + 1, Bytes: []byte(l.text), Time: l.at, Labels: l.labels}
			if !l.whole {
				rec.Bare, rec.Program, rec.Host = true, l.program, l.host
			}
			if !yield(rec, nil) {
				return
			}
		}
	}
	return in
}

const maxContextReads = 500

// readContext reads each node's kernel documents unfiltered for a few seconds around its kill
// lines, so the whole OOM report (memcg counters, task table) reaches the parser.
func (s *Source) readContext(ctx context.Context, groups map[string][]line, add func(line)) {
	reads := 0
	for _, lines := range groups {
		if len(lines) == 0 || lines[0].program != "kernel" || lines[0].host == "" {
			continue
		}
		host := lines[0].host
		var kills []time.Time
		for _, l := range lines {
			if s.Context(l.text) {
				kills = append(kills, l.at)
			}
		}
		spans := batch.Around(kills, 3*time.Second, 2*time.Second)
		for _, w := range spans {
			if reads >= maxContextReads {
				return
			}
			reads++
			hostFilter := map[string]any{"bool": map[string]any{"should": hostTerms(s.Fields.Hosts, host), "minimum_should_match": 1}}
			q := map[string]any{"bool": map[string]any{"filter": []any{timeRange(s.Fields.Time, w.From, w.To), hostFilter}}}
			before := s.Stats.Docs
			err := s.Client.scan(ctx, s.Index, q, s.includes(), sortBy(s.Fields.Time, s.Tiebreaker), func(h Hit) {
				if l, ok := s.nodeLine(h); ok && l.program == "kernel" {
					add(l)
				}
			})
			s.Stats.ContextDocs += s.Stats.Docs - before
			if err != nil {
				s.Missing = append(s.Missing, batch.Missing{Window: w, Err: "reading the whole kernel report around a kill: " + err.Error()})
			}
		}
	}
}

func hostTerms(fields []string, host string) []any {
	var out []any
	for _, f := range fields {
		out = append(out, map[string]any{"term": map[string]any{f: host}})
	}
	return out
}

// parseTime reads a date as shippers write it: RFC 3339 (nanoseconds allowed) or epoch millis.
func parseTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return t.UTC(), true
		}
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return time.UnixMilli(n).UTC(), true
		}
	}
	return time.Time{}, false
}

// CheckFields explains an empty result: when the range holds documents but none has a field
// the preset relies on, it names the field and the presets whose fields the data has.
func (s *Source) CheckFields(ctx context.Context) error {
	all, err := s.Client.Count(ctx, s.Index, timeRange(s.Fields.Time, s.From, s.To))
	if err != nil || all == 0 {
		return err
	}
	for _, f := range []string{s.Fields.Message, s.Fields.Unit} {
		if f == "" {
			continue
		}
		q := map[string]any{"bool": map[string]any{"filter": []any{timeRange(s.Fields.Time, s.From, s.To),
			map[string]any{"exists": map[string]any{"field": f}}}}}
		n, err := s.Client.Count(ctx, s.Index, q)
		if err != nil || n > 0 {
			continue
		}
		var fits []string
		for name, p := range Presets {
			q := map[string]any{"bool": map[string]any{"filter": []any{timeRange(p.Time, s.From, s.To),
				map[string]any{"exists": map[string]any{"field": p.Message}}}}}
			if n, err := s.Client.Count(ctx, s.Index, q); err == nil && n > 0 && p.Message != s.Fields.Message {
				fits = append(fits, name)
			}
		}
		sort.Strings(fits)
		hint := ""
		if len(fits) > 0 {
			hint = "; try --preset " + strings.Join(fits, " or --preset ")
		}
		return fmt.Errorf("no documents have field %s%s", f, hint)
	}
	return nil
}
