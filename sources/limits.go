package sources

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Limits bound what one path named on the command line may cost, with everything it nests:
// a hostile or broken archive (a bomb, thousands of archives inside each other, millions of
// tiny members) stops at a cap with a warning instead of taking the machine's memory, its
// processes or the rest of the day. A zero field takes its DefaultLimits value.
type Limits struct {
	Depth   int   // archives inside archives (a sos-collector tarball of sosreports is 1)
	Members int   // archive members and directory entries, all nested archives together
	Bytes   int64 // bytes all the decoders of the path produce together
	Ratio   int   // what one decoder may produce per compressed byte, once past ratioFloor

	ratioFloor int64 // ratioFloor, unless a test lowers it
}

// DefaultLimits are far beyond any real collection (a sosreport nests nothing, a
// sos-collector tarball once; a must-gather has some 100k files; compressed logs decode to
// 5-50 times their size) and low enough that a bomb stops in seconds to minutes.
var DefaultLimits = Limits{Depth: 4, Members: 1_000_000, Bytes: 64 << 30, Ratio: 1000}

// ratioFloor is what a decoder may produce before its ratio is checked: a small file of one
// repeated line compresses far better than any log, and costs nothing.
const ratioFloor = 64 << 20

func (l Limits) orDefault() Limits {
	if l.Depth <= 0 {
		l.Depth = DefaultLimits.Depth
	}
	if l.Members <= 0 {
		l.Members = DefaultLimits.Members
	}
	if l.Bytes <= 0 {
		l.Bytes = DefaultLimits.Bytes
	}
	if l.Ratio <= 0 {
		l.Ratio = DefaultLimits.Ratio
	}
	if l.ratioFloor <= 0 {
		l.ratioFloor = ratioFloor
	}
	return l
}

// budget is what one named path has spent of its limits. Its inputs may be read on several
// goroutines at once (a directory's files), so the byte count is atomic.
type budget struct {
	lim     Limits
	f       *Files
	path    string // as the user named it
	bytes   atomic.Int64
	members int // counted by the walk, on the source's goroutine
	said    sync.Map
}

func (f *Files) budget(path string) *budget {
	return &budget{lim: f.Limits.orDefault(), f: f, path: path}
}

// hit records that a cap stopped the reading of part of a path; each cap is said once per
// path, however many readers run into it.
func (b *budget) hit(cap, msg string) {
	if _, dup := b.said.LoadOrStore(cap, true); !dup {
		b.f.incomplete(msg)
	}
}

// incomplete records something left unread (a cap, a directory that cannot be listed), so
// that the run's exit code says the result is partial.
func (f *Files) incomplete(msg string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.partial = append(f.partial, msg)
}

// Incomplete lists what was left unread of the paths that could be opened, each naming its
// path and why: a cap reached, a directory or file that could not be read. It is complete
// once every input has been read.
func (f *Files) Incomplete() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.partial...)
}

// chain is one stream of archives inside archives (or one file of a directory): its decoders
// run one inside the other, so if each were a process, 300 nested .tar.xz would start 300 xz
// at once. A chain lends its one decoder process slot to one decoder at a time; the others
// decode in process.
type chain struct {
	b    *budget
	slot chan struct{}
}

func (b *budget) chain() *chain {
	return &chain{b: b, slot: make(chan struct{}, 1)}
}

// takeSlot takes the chain's decoder process slot if it is free.
func (c *chain) takeSlot() bool {
	select {
	case c.slot <- struct{}{}:
		return true
	default:
		return false
	}
}

func (c *chain) freeSlot() { <-c.slot }

// errLimit marks a read stopped by a cap, so that a tar stopped by one is not called damaged.
type errLimit struct{ msg string }

func (e *errLimit) Error() string { return e.msg }

func limitErr(format string, args ...any) error { return &errLimit{fmt.Sprintf(format, args...)} }
