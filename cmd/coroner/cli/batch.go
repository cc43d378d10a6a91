package cli

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"github.com/k8s-coroner/coroner/correlate"
	"github.com/k8s-coroner/coroner/correlate/analysis"
	"github.com/k8s-coroner/coroner/correlate/render"
	"github.com/k8s-coroner/coroner/parsers"
	"github.com/k8s-coroner/coroner/sources"
	"github.com/k8s-coroner/coroner/sources/batch"
)

// storeFlags are a log store's own flags, in the store's package: they open the store and
// say how the command is used. A new store is that file plus one entry in the cli struct.
type storeFlags interface {
	Open(batch.Conn) (batch.Store, error)
	Examples() []string
}

// storeCmd is the batch job over one log store: the store's flags beside the shared ones.
type storeCmd[F any, P interface {
	*F
	storeFlags
}] struct {
	Store F `embed:""`
	batchJob
}

func (c *storeCmd[F, P]) Run(env *Env) error {
	conn := c.Conn()
	conn.Secrets = env.secrets
	store, err := P(&c.Store).Open(conn)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	return c.run(env, store)
}

func (c *storeCmd[F, P]) examples() []string { return P(&c.Store).Examples() }

// batchJob is what every batch command shares: the job's flags, the correlation window and
// the output.
type batchJob struct {
	batch.Flags
	Window time.Duration `default:"2m" help:"How far apart evidence of one death may be."`
	outputFlags
}

// run maps the flags to a job over the store, runs the analysis on what it reads, and maps
// the job's outcome to an exit code; the report is written whatever the outcome.
func (b *batchJob) run(env *Env, store batch.Store) error {
	opts, err := b.Options(time.Now())
	if err != nil {
		return &exitError{exitUsage, err}
	}
	opts.Evidence = batch.Evidence{Phrases: parsers.TriggerPhrases(), Pattern: parsers.NodeTriggerPattern(),
		Reasons: slices.Sorted(maps.Keys(parsers.MemoryEventReasons))}
	if !b.NoContext {
		opts.ReportLine = parsers.IsOOMReportLine
	}
	if b.Progress || render.IsTerminal(env.Stderr) {
		unit := store.Describe().Unit
		opts.Progress = func(done, total, records int) {
			fmt.Fprintf(env.Stderr, "\rcoroner: %d/%d windows read, %s", done, total, countOf(int64(records), unit))
			if done == total {
				fmt.Fprintln(env.Stderr)
			}
		}
	}
	ctx, cancel := runContext(b.Deadline)
	defer cancel()
	job, err := batch.Start(ctx, store, opts)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	rep := analysis.Analyze([]sources.Source{job}, analysis.Options{Window: b.Window}).Report
	outside := correlate.KeepRange(rep, opts.From, opts.To)
	outcome := job.Finish(ctx, rep)
	rep.Transfer.OutsideRange = outside
	if err := b.write(env, rep); err != nil {
		return err
	}
	var incomplete *batch.IncompleteError
	var empty *batch.EmptyError
	switch {
	case outcome == nil:
		return nil
	case errors.As(outcome, &incomplete), errors.As(outcome, &empty):
		return &exitError{exitPartial, outcome}
	}
	return &exitError{exitUsage, outcome}
}

// runContext bounds a batch job: by --deadline when set, and by an interrupt (Ctrl-C,
// SIGTERM from a CronJob's deadline), so that work in flight stops and points in time close.
func runContext(deadline time.Duration) (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if deadline <= 0 {
		return ctx, stop
	}
	ctx, cancel := context.WithTimeout(ctx, deadline)
	return ctx, func() { cancel(); stop() }
}
