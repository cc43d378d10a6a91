package batch

import (
	"context"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/sources"
)

// A Store is a log store as the batch job sees it: how to reach it and how to ask it for
// what the parsers can use. Everything else of a batch run (windows, shards, statistics,
// progress, missing windows, the transfer summary, exit codes) the Job does, once for every
// store. Loki and Elasticsearch/OpenSearch implement it in sources/loki and sources/elastic;
// the optional interfaces below add what only some stores can do.
type Store interface {
	// Describe names the store for the report and for messages.
	Describe() Description
	// Reach makes one cheap request, so that an address that cannot be reached is said once
	// (an *UnreachableError) instead of once per window.
	Reach(ctx context.Context) error
	// Plan returns the reads of a run. An error is the user's to fix (a selector that does
	// not parse, a flag --shard needs), so the job stops before reading anything.
	Plan(ctx context.Context, p Plan) ([]Query, error)
	// TooLarge says an error means that a window was too large to answer in time, so that its
	// halves are worth trying.
	TooLarge(err error) bool
}

// Description names a store.
type Description struct {
	Store string // the report's transfer.store: "loki", "elasticsearch", "opensearch"
	Title string // the product's name in messages: "Loki", "OpenSearch"
	URL   string // where it was read, as the report shows it: credentials never appear
	Unit  string // what the store calls one record, for progress: "line", "document"
}

// Plan is what a run asks of a store.
type Plan struct {
	From, To time.Time // the range, half-open
	// Shard, when set, keeps the nodes of one shard. A store that can select them in its
	// query does so; the job drops documents of other nodes whatever the store did.
	Shard    *Shard
	Evidence Evidence
}

// Evidence is what the parsers can use, in the forms stores filter on, so that only
// evidence is shipped: never the range's logs.
type Evidence struct {
	Phrases []string // fixed phrases; every line a parser wants holds one
	Pattern string   // the same as one RE2/ERE alternation
	Reasons []string // the Event reasons the correlator reads
}

// A Query is one read repeated over every window of the range.
type Query struct {
	Text string // as the report lists it: a LogQL query, an index pattern
	// Cluster marks a read of cluster-wide evidence (Events): only shard 0 makes it, and the
	// shard's node filter does not apply to it.
	Cluster bool
	// Fetch reads one window and emits its documents. Documents emitted before an error are
	// dropped with the window (it is then read in halves, or reported missing).
	Fetch func(ctx context.Context, w Window, emit func(Doc)) error
}

// A Doc is one record read from a store.
type Doc struct {
	// Stream is the input the record belongs to, e.g. `{host="a", unit="kubelet"}`: the job
	// yields one input per stream, named by the store and the stream, its records in time
	// order.
	Stream string
	// Key identifies the record within its stream: one read twice (a window's edge, a read
	// around a kill) counts once.
	Key    string
	Record sources.Record // its Line is numbered by the job
}

// A Surrounder reads a kernel stream unfiltered around a time, so that the whole OOM report
// (header, memory counters, task table) reaches the kernel parser, not only the lines that
// passed the store's filter.
type Surrounder interface {
	// Around returns the unfiltered read of the stream that first belongs to, or nil when that
	// stream holds no kernel reports.
	Around(first Doc) func(ctx context.Context, w Window, emit func(Doc)) error
}

// A Counter tells how much an unfiltered pull of the range would have shipped, for the
// report to compare with what the filters shipped. Errors leave the count out.
type Counter interface {
	Unfiltered(ctx context.Context, windows []Window) (lines, bytes int64)
}

// A Publisher writes a run's deaths back into the store, when the run was asked to.
type Publisher interface {
	Publishing() bool
	// Publish writes the deaths; one without a time is placed at fallback (the range's end).
	// It returns how many it wrote.
	Publish(ctx context.Context, deaths []report.Death, fallback time.Time) (int, error)
}

// An Explainer says why a run that read no record at all found nothing, when the store can
// tell (documents exist, but none has the field the run filters on).
type Explainer interface {
	ExplainEmpty(ctx context.Context, from, to time.Time) error
}

// An Emptiness check says whether what the run reads holds nothing at all in the range,
// not even lines the filters drop: a wrong tenant, an empty index, a selector that matches
// no stream. Then the report's silence means nothing, and the run says so. It answers
// false, with the error, when it cannot tell.
type Emptiness interface {
	HoldsNothing(ctx context.Context, from, to time.Time) (empty bool, what string, err error)
}
