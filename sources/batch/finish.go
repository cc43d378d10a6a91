package batch

import (
	"context"
	"fmt"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// NothingReadError says that no window of the range could be read: the report holds no
// analysis at all.
type NothingReadError struct {
	Store string // the product's name
	Cause string // why the first window was not read
}

func (e *NothingReadError) Error() string {
	return fmt.Sprintf("nothing could be read from %s: %s", e.Store, e.Cause)
}

// EmptyError says that the store holds nothing in the range for what the run reads: no death
// found means nothing there, as the tenant, index or selector is likely wrong.
type EmptyError struct {
	What string // what holds nothing, as the store names it
}

func (e *EmptyError) Error() string {
	return e.What + " holds nothing in the range: the report's lack of deaths says nothing"
}

// IncompleteError says that some windows could not be read: the analysis is incomplete
// there, and the report lists them.
type IncompleteError struct {
	Missing int
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("%d window(s) of the range could not be read; the analysis is incomplete there", e.Missing)
}

// Finish completes the report of the run once the analysis is done (and its deaths are cut
// to the range): the transfer summary, a warning per missing window, the explanation of an
// empty result, and the deaths written back to the store when the run was asked to. The
// report is to be written whatever Finish returns; the error says how complete it is
// (*NothingReadError, *IncompleteError) or why the store's answer was empty.
func (j *Job) Finish(ctx context.Context, rep *report.Report) error {
	d := j.store.Describe()
	tr := &report.Transfer{Store: d.Store, URL: d.URL, From: j.opts.From, To: j.opts.To, Queries: j.Queries(),
		Shard: j.shardName(), Windows: j.Stats.Windows, Lines: j.Stats.Lines, Bytes: j.Stats.Bytes,
		ContextLines: j.Stats.ContextLines, UnfilteredLines: j.Stats.UnfilteredLines,
		UnfilteredBytes: j.Stats.UnfilteredBytes, Missing: []report.MissingWindow{}}
	rep.Transfer = tr
	rep.Warnings = append(rep.Warnings, j.Warnings...)
	for _, m := range j.Missing {
		tr.Missing = append(tr.Missing, report.MissingWindow{From: m.Window.From, To: m.Window.To, Error: m.Err})
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("window %s not read: %s", m.Window, m.Err))
	}
	if e, ok := j.store.(Explainer); ok && j.Stats.Lines == 0 && len(j.Missing) == 0 {
		if err := e.ExplainEmpty(ctx, j.opts.From, j.opts.To); err != nil {
			rep.Warnings = append(rep.Warnings, err.Error())
			return err
		}
	}
	var empty *EmptyError
	if e, ok := j.store.(Emptiness); ok && j.Stats.Lines == 0 && len(j.Missing) == 0 {
		switch nothing, what, err := e.HoldsNothing(ctx, j.opts.From, j.opts.To); {
		case err != nil:
			rep.Warnings = append(rep.Warnings, "no line was shipped, and whether the store holds any in the range could not be checked: "+err.Error())
		case nothing:
			empty = &EmptyError{What: what}
			rep.Warnings = append(rep.Warnings, empty.Error())
		}
	}
	if p, ok := j.store.(Publisher); ok && p.Publishing() {
		deaths := append(append([]report.Death{}, rep.Deaths...), rep.HostKills...)
		if n, err := p.Publish(ctx, deaths, j.opts.To); err != nil {
			rep.Warnings = append(rep.Warnings, err.Error())
		} else {
			tr.Pushed = n
		}
	}
	switch {
	case len(j.Missing) > 0 && j.Stats.Lines == 0 && len(j.Missing) >= j.Stats.Windows:
		return &NothingReadError{Store: d.Title, Cause: j.firstMissing()}
	case len(j.Missing) > 0:
		return &IncompleteError{Missing: len(j.Missing)}
	case empty != nil:
		return empty
	}
	return nil
}
