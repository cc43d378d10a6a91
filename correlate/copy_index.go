package correlate

import (
	"sort"
	"time"

	"github.com/k8s-coroner/coroner/parsers"
)

// copyIndex finds the earlier reports a report may be a copy of, by a key (a line's body, a
// victim), without scanning every earlier report of the key: a crash loop that prints the
// same kill line thousands of times, or a hostile input of one line repeated, made that
// quadratic (100k kills took two minutes). Reports of a key are kept per input, in time order;
// a lookup searches only the window the caller's rule allows.
type copyIndex map[string]*copyBucket

// copyBucket holds one key's reports, per input in the order the inputs were first seen. A
// key is nearly always in one input or two, so a slice is cheaper than a map for them.
type copyBucket struct {
	inputs []string
	lists  []*copyList
}

// list is the input's list of the key, nil when it has none.
func (b *copyBucket) list(in string) *copyList {
	for i, name := range b.inputs {
		if name == in {
			return b.lists[i]
		}
	}
	return nil
}

// copyList is one input's reports of a key: those with a wall-clock time sorted by it (the
// year set to a fixed one, since a stamp without a year may have guessed it wrong and the
// rules forgive that), the others in the order they came.
type copyList struct {
	timed   []timedKill
	untimed []*parsers.KernelOOM
}

type timedKill struct {
	at time.Time
	o  *parsers.KernelOOM
}

// indexYear is the year every wall time is moved to, a leap year so that 29 February stays.
const indexYear = 2000

func yearless(t time.Time) time.Time { return t.UTC().AddDate(indexYear-t.UTC().Year(), 0, 0) }

func (x copyIndex) add(key string, o *parsers.KernelOOM) {
	b := x[key]
	if b == nil {
		b = &copyBucket{}
		x[key] = b
	}
	in := o.Lines[0].Input
	l := b.list(in)
	if l == nil {
		l = &copyList{}
		b.inputs, b.lists = append(b.inputs, in), append(b.lists, l)
	}
	wall := o.Decisive().Wall
	if wall.IsZero() {
		l.untimed = append(l.untimed, o)
		return
	}
	at := yearless(wall)
	i := sort.Search(len(l.timed), func(i int) bool { return l.timed[i].at.After(at) })
	l.timed = append(l.timed, timedKill{})
	copy(l.timed[i+1:], l.timed[i:]) // nearly always at the end: a log is in time order
	l.timed[i] = timedKill{at, o}
}

// find returns the first report of the key that match accepts, looking at the inputs in
// the order they were first seen (skipping o's own unless sameInput), each input's reports
// without a wall time first, then those whose wall time is within slack of o's. A report o
// without a wall time is compared with all of them, as the rules let it match any time.
func (x copyIndex) find(key string, o *parsers.KernelOOM, slack time.Duration, sameInput bool, match func(prev *parsers.KernelOOM) bool) *parsers.KernelOOM {
	b := x[key]
	if b == nil {
		return nil
	}
	own := o.Lines[0].Input
	wall := o.Decisive().Wall
	for i, in := range b.inputs {
		if in == own && !sameInput {
			continue
		}
		l := b.lists[i]
		for _, prev := range l.untimed {
			if match(prev) {
				return prev
			}
		}
		if wall.IsZero() {
			for _, t := range l.timed {
				if match(t.o) {
					return t.o
				}
			}
			continue
		}
		if prev := l.within(yearless(wall), slack, match); prev != nil {
			return prev
		}
	}
	return nil
}

// within returns the report nearest in time to at, within slack, that match accepts: of a
// kill line repeated every few seconds, the copy in another input is the one stamped alike.
// The window wraps at the year's ends, where a yearless time jumps.
func (l *copyList) within(at time.Time, slack time.Duration, match func(*parsers.KernelOOM) bool) *parsers.KernelOOM {
	hi := sort.Search(len(l.timed), func(i int) bool { return !l.timed[i].at.Before(at) })
	lo := hi - 1
	for {
		inLo := lo >= 0 && at.Sub(l.timed[lo].at) <= slack
		inHi := hi < len(l.timed) && l.timed[hi].at.Sub(at) <= slack
		var i int
		switch {
		case inLo && inHi && at.Sub(l.timed[lo].at) <= l.timed[hi].at.Sub(at), inLo && !inHi:
			i, lo = lo, lo-1
		case inHi:
			i, hi = hi, hi+1
		default:
			return l.wrapped(at, slack, match)
		}
		if match(l.timed[i].o) {
			return l.timed[i].o
		}
	}
}

// wrapped searches the part of the window past the year's start or end.
func (l *copyList) wrapped(at time.Time, slack time.Duration, match func(*parsers.KernelOOM) bool) *parsers.KernelOOM {
	start := time.Date(indexYear, 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(1, 0, 0)
	var from, to time.Time
	switch {
	case at.Add(-slack).Before(start):
		from, to = at.Add(-slack).AddDate(1, 0, 0), end
	case !at.Add(slack).Before(end):
		from, to = start, at.Add(slack).AddDate(-1, 0, 0)
	default:
		return nil
	}
	i := sort.Search(len(l.timed), func(i int) bool { return !l.timed[i].at.Before(from) })
	for ; i < len(l.timed) && !l.timed[i].at.After(to); i++ {
		if match(l.timed[i].o) {
			return l.timed[i].o
		}
	}
	return nil
}
