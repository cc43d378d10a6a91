package loki

import (
	"context"
	"fmt"
	"iter"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/sources"
	"github.com/k8s-coroner/coroner/sources/batch"
)

// Source reads node logs and Events out of Loki as coroner inputs: one input per Loki stream
// (a node's kernel messages, its kubelet journal, an Events stream), its entries in time
// order. Only the lines the parsers can use are shipped (the queries carry the parsers'
// trigger words as line filters), so memory holds the evidence, not the range's logs.
type Source struct {
	// Ctx bounds the whole run (--deadline, an interrupt); nil for none.
	Ctx         context.Context
	Client      *Client
	NodeQuery   string // LogQL for node logs, line filter included
	EventsQuery string // LogQL for Events streams; "" to read none
	From, To    time.Time
	Window      time.Duration
	Parallel    int
	Mapping     Mapping
	// Context, when set, marks the kernel lines (kills, summaries) around which the kernel
	// stream is read unfiltered, so the whole OOM report (header, memcg counters, task table)
	// reaches the parser; nil reads only what the filter shipped.
	Context func(text string) bool
	// Unfiltered, when set, is the selector whose unfiltered volume is counted for Stats.
	Unfiltered string
	// Progress is told after each window; nil for none.
	Progress func(done, total, lines int)

	Stats   Stats
	Missing []batch.Missing
}

// Stats compares what was shipped with what an unfiltered pull of the same range would ship.
type Stats struct {
	Windows         int   `json:"windows"`
	Lines           int   `json:"lines"`
	Bytes           int64 `json:"bytes"`
	ContextLines    int   `json:"contextLines"`              // read around kernel kills
	UnfilteredLines int64 `json:"unfilteredLines,omitempty"` // count_over_time of the selector
	UnfilteredBytes int64 `json:"unfilteredBytes,omitempty"` // bytes_over_time of the selector
}

var _ sources.Source = (*Source)(nil)

// Inputs fetches the range and yields one input per stream.
func (s *Source) Inputs() iter.Seq2[*sources.Input, error] {
	return func(yield func(*sources.Input, error) bool) {
		ctx := s.Ctx
		if ctx == nil {
			ctx = context.Background()
		}
		window := s.Window
		if window <= 0 {
			window = time.Hour
		}
		windows := batch.Windows(s.From, s.To, window)
		s.Stats.Windows = len(windows)
		byStream := map[string]*streamBuf{}
		add := func(it Item) {
			b := byStream[it.Stream.Labels]
			if b == nil {
				b = &streamBuf{stream: it.Stream, seen: map[string]bool{}}
				byStream[it.Stream.Labels] = b
			}
			if k := it.key(); !b.seen[k] {
				b.seen[k] = true
				b.items = append(b.items, it)
				s.Stats.Lines++
				s.Stats.Bytes += int64(len(it.Line))
			}
		}
		queries := []string{s.NodeQuery}
		if s.EventsQuery != "" {
			queries = append(queries, s.EventsQuery)
		}
		done, total := 0, len(windows)*len(queries)
		for _, q := range queries {
			fetch := batch.Fetcher[Item]{Split: IsTimeout, Fetch: func(ctx context.Context, w batch.Window) ([]Item, error) {
				var items []Item
				_, err := s.Client.Fetch(ctx, q, w.From, w.To, func(it Item) { items = append(items, it) })
				return items, err
			}}
			batch.Run(ctx, windows, s.Parallel, fetch, func(items []Item, missing []batch.Missing) {
				for _, it := range items {
					add(it)
				}
				s.Missing = append(s.Missing, missing...)
				done++
				if s.Progress != nil {
					s.Progress(done, total, s.Stats.Lines)
				}
			})
		}
		if s.Context != nil {
			s.readContext(ctx, byStream, add)
		}
		if s.Unfiltered != "" {
			s.countUnfiltered(ctx, windows)
		}
		keys := make([]string, 0, len(byStream))
		for k := range byStream {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !yield(s.input(byStream[k]), nil) {
				return
			}
		}
	}
}

type streamBuf struct {
	stream *Stream
	items  []Item
	seen   map[string]bool
}

// input turns a stream's entries into an input, in time order.
func (s *Source) input(b *streamBuf) *sources.Input {
	sort.SliceStable(b.items, func(i, j int) bool { return b.items[i].Timestamp.Before(b.items[j].Timestamp) })
	kind, node, program := s.Mapping.classify(b.stream.Set)
	in := &sources.Input{Name: "loki:" + b.stream.Labels, ModTime: s.To}
	items := b.items
	in.Records = func(yield func(sources.Record, error) bool) {
		for i, it := range items {
			rec := sources.Record{Line: i + 1, Bytes: []byte(it.Line), Time: it.Timestamp, Labels: b.stream.Set}
			switch kind {
			case kindMessages:
				rec.Bare, rec.Program, rec.Host = true, program, node
			case kindEvents:
				if !strings.HasPrefix(strings.TrimSpace(it.Line), "{") || !strings.Contains(it.Line, `"involvedObject"`) {
					rec.Bare, rec.Program, rec.Host = true, "k8s-events", node
				}
			}
			if !yield(rec, nil) {
				return
			}
		}
	}
	return in
}

// maxContextReads bounds the extra queries a run with very many kills makes.
const maxContextReads = 500

// readContext reads each kernel stream unfiltered for a few seconds around its kill lines.
func (s *Source) readContext(ctx context.Context, byStream map[string]*streamBuf, add func(Item)) {
	reads := 0
	for _, b := range byStream {
		kind, _, program := s.Mapping.classify(b.stream.Set)
		if kind != kindMessages || (program != "kernel" && program != "") {
			continue
		}
		var kills []time.Time
		for _, it := range b.items {
			if s.Context(it.Line) {
				kills = append(kills, it.Timestamp)
			}
		}
		spans := batch.Around(kills, 3*time.Second, 2*time.Second)
		for _, w := range spans {
			if reads >= maxContextReads {
				return
			}
			reads++
			before := s.Stats.Lines
			// A stream's canonical label string is the selector of exactly that stream.
			_, err := s.Client.Fetch(ctx, b.stream.Labels, w.From, w.To, add)
			s.Stats.ContextLines += s.Stats.Lines - before
			if err != nil {
				s.Missing = append(s.Missing, batch.Missing{Window: w, Err: "reading the whole kernel report around a kill: " + err.Error()})
			}
		}
	}
}

// countUnfiltered asks Loki how many lines and bytes the selector holds in the range,
// without shipping them, to compare with what the filters shipped.
func (s *Source) countUnfiltered(ctx context.Context, windows []batch.Window) {
	for _, w := range windows {
		d := logqlDuration(w.To.Sub(w.From))
		if n, err := s.Client.instantSum(ctx, fmt.Sprintf("sum(count_over_time(%s[%s]))", s.Unfiltered, d), w.To); err == nil {
			s.Stats.UnfilteredLines += int64(n)
		}
		if n, err := s.Client.instantSum(ctx, fmt.Sprintf("sum(bytes_over_time(%s[%s]))", s.Unfiltered, d), w.To); err == nil {
			s.Stats.UnfilteredBytes += int64(n)
		}
	}
}

// logqlDuration writes a duration as LogQL reads it (whole seconds).
func logqlDuration(d time.Duration) string {
	return strconv.FormatInt(int64(d/time.Second), 10) + "s"
}
