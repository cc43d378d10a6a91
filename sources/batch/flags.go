package batch

import (
	"fmt"
	"time"

	"github.com/k8s-coroner/coroner/sources/secret"
)

// Flags are the command-line flags every batch job shares, whatever the store, as kong reads
// them (the struct tags); a command embeds them beside its store's own flags.
type Flags struct {
	Since        time.Duration `default:"24h" help:"Analyse this long before --until."`
	Until        string        `help:"End of the range (RFC 3339), exclusive; default now."`
	From         string        `help:"Start of the range (RFC 3339), inclusive; overrides --since."`
	To           string        `help:"End of the range (RFC 3339), exclusive; same as --until."`
	QueryWindow  time.Duration `default:"1h" help:"Split the range into windows this long, fetched concurrently."`
	Parallel     int           `default:"4" help:"Windows fetched at once."`
	PageSize     int           `default:"5000" help:"Records per request; a lower limit the store states wins (Loki's max_entries_limit_per_query)."`
	Timeout      time.Duration `default:"1m" help:"Per-request timeout; a window that times out is read in halves."`
	Deadline     time.Duration `default:"2h" help:"Give up on the windows not read after this long, and report them missing (0: no deadline; the default keeps a hung store from holding a nightly run for hours)."`
	Retries      int           `default:"5" help:"Retries of a request answered 429 or 5xx, or dropped."`
	Shard        string        `placeholder:"I/N" help:"Analyse only the nodes of shard I of N (by a hash of the node name); merge the N reports with coroner merge."`
	NoContext    bool          `help:"Do not read the whole kernel report around each kill (only the lines the filters ship)."`
	ContextReads int           `default:"500" help:"Read the whole kernel report around at most this many kills (one read each; 0: no cap); past it, a warning says how many reports have only the lines the filters shipped."`
	NoCount      bool          `help:"Do not ask the store how much an unfiltered pull of the range would ship."`
	Progress     bool          `help:"Report progress on stderr even when it is not a terminal."`
}

// Conn is what a store's client takes from the shared flags.
type Conn struct {
	PageSize int
	Timeout  time.Duration
	Retries  int
	// Secrets learns the credentials the store is opened with, so that nothing coroner
	// prints shows them; nil learns nothing.
	Secrets *secret.Scrubber
}

// Conn returns the client settings of the flags.
func (f *Flags) Conn() Conn {
	return Conn{PageSize: f.PageSize, Timeout: f.Timeout, Retries: f.Retries}
}

// Options turns the flags into a run's options, the range ending at now unless --until or
// --to says otherwise. Evidence, ReportLine and Progress are the caller's to fill.
func (f *Flags) Options(now time.Time) (Options, error) {
	from, to, err := f.Range(now)
	if err != nil {
		return Options{}, err
	}
	opts := Options{From: from, To: to, Window: f.QueryWindow, Parallel: f.Parallel, Count: !f.NoCount, ContextReads: f.ContextReads}
	if f.Shard != "" {
		sh, err := ParseShard(f.Shard)
		if err != nil {
			return Options{}, err
		}
		opts.Shard = &sh
	}
	return opts, nil
}

// Range is [from, to) from the range flags.
func (f *Flags) Range(now time.Time) (time.Time, time.Time, error) {
	to := now
	for _, s := range []string{f.Until, f.To} {
		if s != "" {
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return time.Time{}, time.Time{}, fmt.Errorf("%q is not an RFC 3339 time", s)
			}
			to = t
		}
	}
	from := to.Add(-f.Since)
	if f.From != "" {
		t, err := time.Parse(time.RFC3339Nano, f.From)
		if err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("--from %q is not an RFC 3339 time", f.From)
		}
		from = t
	}
	if !from.Before(to) {
		return time.Time{}, time.Time{}, fmt.Errorf("the range %s – %s is empty", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	return from, to, nil
}
