package parsers

import (
	"slices"
	"time"
)

// While a node stays under pressure the kubelet logs the same lines every housekeeping
// interval (ten seconds): "attempting to reclaim memory", the same ranking of pods. A node
// in pressure for weeks, or a month of a cluster in a log store, gives millions of them,
// and each kept as an event of its own took about a kilobyte until the correlation (a
// million lines: 2.1 GB). Of a run of lines that repeat the last one of their kind on their
// node, each within repeatWithin of the one before, the first keptRepeats are events; the
// rest are folded into the last of those: it counts them (Repeats) and says when the last
// came (Until), so the episode's counts and span are those of every line.

// repeatWithin is how far apart two lines may be and still be one run of repeats: a few
// housekeeping intervals, well inside the gap that ends a pressure episode (five minutes).
const repeatWithin = time.Minute

// keptRepeats is how many lines of a run stay events of their own, the proof lines an
// episode shows of it (it keeps five of each kind at either end).
const keptRepeats = 5

// foldable are the kinds of line the kubelet repeats while the pressure lasts.
var foldable = map[string]bool{KubeletReclaim: true, KubeletMustEvict: true, KubeletRanked: true}

// repeats holds the current run of each foldable kind per node.
type repeats map[repeatKey]*repeatRun

type repeatKey struct{ host, kind string }

// repeatRun is a run of lines that say the same: the last one emitted, and how many were.
type repeatRun struct {
	last    *KubeletLine
	emitted int
}

// fold folds l into its run when the run has emitted keptRepeats lines, and reports whether
// it did; otherwise l is emitted, as the run's next line or the first of a new run.
func (r *repeats) fold(l *KubeletLine) bool {
	if !foldable[l.Kind] || l.Evidence.Wall.IsZero() {
		return false
	}
	k := repeatKey{l.Host, l.Kind}
	if run := (*r)[k]; run != nil && sameRepeat(run.last, l) {
		prev := run.last.Evidence.Wall
		if !run.last.Until.IsZero() {
			prev = run.last.Until
		}
		if d := l.Evidence.Wall.Sub(prev); d >= 0 && d <= repeatWithin {
			if run.emitted >= keptRepeats {
				run.last.Repeats++
				run.last.Until = l.Evidence.Wall
				return true
			}
			run.last, run.emitted = l, run.emitted+1
			return false
		}
	}
	if *r == nil {
		*r = repeats{}
	}
	(*r)[k] = &repeatRun{last: l, emitted: 1}
	return false
}

// sameRepeat says whether two lines say the same: kind, resource and ranking, in one boot.
func sameRepeat(a, b *KubeletLine) bool {
	return a.Kind == b.Kind && a.Resource == b.Resource && slices.Equal(a.Pods, b.Pods) &&
		a.Evidence.BootSeq == b.Evidence.BootSeq && a.Evidence.Input == b.Evidence.Input
}
