package batch

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/sources"
)

// Options are a batch run's settings, whatever the store.
type Options struct {
	From, To time.Time     // the range, half-open
	Window   time.Duration // the range is read in windows this long; default one hour
	Parallel int           // windows read at once
	Shard    *Shard        // nil: every node
	Evidence Evidence
	// ReportLine marks the kernel lines around which a kernel stream is read unfiltered (a
	// Surrounder's reads); nil reads only what the filters shipped.
	ReportLine func(text string) bool
	Count      bool // ask a Counter how much an unfiltered pull would ship
	// ContextReads caps the reads around kills (0: no cap); past it the run warns.
	ContextReads int
	// Progress is told after each window of each query; nil for none.
	Progress func(done, total, records int)
}

// A Job is one batch run over a store, and the coroner source of what it reads: one input
// per stream, its records in time order. It holds the evidence the filters shipped, never
// the range's logs.
type Job struct {
	store   Store
	opts    Options
	ctx     context.Context
	queries []Query

	Stats    Stats
	Missing  []Missing
	Warnings []string // what the report must say that is no missing window
}

var _ sources.Source = (*Job)(nil)

// Stats compare what was shipped with what an unfiltered pull of the range would ship.
type Stats struct {
	Windows         int
	Lines           int   // records shipped, counted once
	Bytes           int64 // their text
	ContextLines    int   // of Lines, read around kernel kills
	UnfilteredLines int64 // what the range holds, when the store can count it
	UnfilteredBytes int64
}

// Start reaches the store and plans the run. Its errors are the user's to fix: nothing has
// been read yet. ctx bounds the whole run (--deadline, an interrupt).
func Start(ctx context.Context, store Store, opts Options) (*Job, error) {
	if err := store.Reach(ctx); err != nil {
		return nil, err
	}
	queries, err := store.Plan(ctx, Plan{From: opts.From, To: opts.To, Shard: opts.Shard, Evidence: opts.Evidence})
	if err != nil {
		return nil, err
	}
	if opts.Shard != nil && opts.Shard.I != 0 {
		// The cluster's Events are read once, by shard 0.
		queries = slices.DeleteFunc(queries, func(q Query) bool { return q.Cluster })
	}
	if opts.Window <= 0 {
		opts.Window = time.Hour
	}
	return &Job{store: store, opts: opts, ctx: ctx, queries: queries}, nil
}

// Queries are the texts of the reads the run makes, as the report lists them.
func (j *Job) Queries() []string {
	out := make([]string, len(j.queries))
	for i, q := range j.queries {
		out[i] = q.Text
	}
	return out
}

// stream is one input's records as they arrive, in any order.
type stream struct {
	docs []Doc
	seen map[string]bool
}

// Inputs reads the range window by window, then around the kills, and yields one input per
// stream.
func (j *Job) Inputs() iter.Seq2[*sources.Input, error] {
	return func(yield func(*sources.Input, error) bool) {
		windows := Windows(j.opts.From, j.opts.To, j.opts.Window)
		j.Stats.Windows = len(windows)
		streams := map[string]*stream{}
		add := func(cluster bool) func(Doc) {
			return func(d Doc) { j.add(streams, d, cluster) }
		}
		done, total := 0, len(windows)*len(j.queries)
		for _, q := range j.queries {
			keep := add(q.Cluster)
			fetch := Fetcher[Doc]{Split: j.store.TooLarge, Fetch: func(ctx context.Context, w Window) ([]Doc, error) {
				var docs []Doc
				err := q.Fetch(ctx, w, func(d Doc) { docs = append(docs, d) })
				return docs, err
			}}
			Run(j.ctx, windows, j.opts.Parallel, fetch, func(docs []Doc, missing []Missing) {
				for _, d := range docs {
					keep(d)
				}
				j.Missing = append(j.Missing, missing...)
				done++
				if j.opts.Progress != nil {
					j.opts.Progress(done, total, j.Stats.Lines)
				}
			})
		}
		names := make([]string, 0, len(streams))
		for name := range streams {
			names = append(names, name)
		}
		sort.Strings(names)
		if s, ok := j.store.(Surrounder); ok && j.opts.ReportLine != nil {
			j.readAround(s, names, streams, add(false))
		}
		if c, ok := j.store.(Counter); ok && j.opts.Count {
			j.Stats.UnfilteredLines, j.Stats.UnfilteredBytes = c.Unfiltered(j.ctx, windows)
		}
		prefix := j.store.Describe().Store + ":"
		for _, name := range names {
			if !yield(j.input(prefix+name, streams[name].docs), nil) {
				return
			}
		}
	}
}

// add keeps a document once, unless it is another shard's.
func (j *Job) add(streams map[string]*stream, d Doc, cluster bool) {
	if sh := j.opts.Shard; sh != nil && !cluster && d.Record.Host != "" && !sh.Holds(d.Record.Host) {
		return
	}
	s := streams[d.Stream]
	if s == nil {
		s = &stream{seen: map[string]bool{}}
		streams[d.Stream] = s
	}
	if s.seen[d.Key] {
		return
	}
	s.seen[d.Key] = true
	s.docs = append(s.docs, d)
	j.Stats.Lines++
	j.Stats.Bytes += int64(len(d.Record.Bytes))
}

// readAround reads each kernel stream unfiltered for a few seconds around its kill lines, up
// to the cap of reads; the reads past it are counted and said, never dropped in silence.
func (j *Job) readAround(s Surrounder, names []string, streams map[string]*stream, add func(Doc)) {
	reads, skipped := 0, 0
	defer func() {
		if skipped > 0 {
			j.Warnings = append(j.Warnings, fmt.Sprintf("the whole kernel report was read around the first kills (%d reads); %d more reads were not made, so those kills' reports have only the lines the filters shipped (--context-reads %d; raise it, or 0 for no cap)",
				reads, skipped, j.opts.ContextReads))
		}
	}()
	for _, name := range names {
		docs := streams[name].docs
		read := s.Around(docs[0])
		if read == nil {
			continue
		}
		var kills []time.Time
		for _, d := range docs {
			if j.opts.ReportLine(string(d.Record.Bytes)) {
				kills = append(kills, d.Record.Time)
			}
		}
		slices.SortFunc(kills, func(a, b time.Time) int { return a.Compare(b) })
		for _, w := range Around(kills, 3*time.Second, 2*time.Second) {
			if j.opts.ContextReads > 0 && reads >= j.opts.ContextReads {
				skipped++
				continue
			}
			reads++
			before := j.Stats.Lines
			err := read(j.ctx, w, add)
			j.Stats.ContextLines += j.Stats.Lines - before
			if err != nil {
				j.Missing = append(j.Missing, Missing{Window: w, Err: "reading the whole kernel report around a kill: " + err.Error()})
			}
		}
	}
}

// input turns one stream's documents into an input, in time order.
func (j *Job) input(name string, docs []Doc) *sources.Input {
	sort.SliceStable(docs, func(a, b int) bool { return docs[a].Record.Time.Before(docs[b].Record.Time) })
	in := &sources.Input{Name: name, ModTime: j.opts.To}
	in.Records = func(yield func(sources.Record, error) bool) {
		for i, d := range docs {
			rec := d.Record
			rec.Line = i + 1
			if !yield(rec, nil) {
				return
			}
		}
	}
	return in
}

// shardName is the shard as the report names it, "" for none.
func (j *Job) shardName() string {
	if j.opts.Shard == nil {
		return ""
	}
	return j.opts.Shard.String()
}

// firstMissing says why the first missing window was not read.
func (j *Job) firstMissing() string {
	if len(j.Missing) == 0 {
		return ""
	}
	return strings.TrimSpace(j.Missing[0].Err)
}
