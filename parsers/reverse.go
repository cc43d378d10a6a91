package parsers

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Input in reverse order (journalctl -r, any output mode). The kernel parser assembles a
// report from its lines in the order the kernel printed them (header … summary, kill,
// reaper), so a reversed report must reach it forward. The direction is read from the input
// itself: stamps that go down, and a victim's pid named by the reaper before the kill or by
// the kill before the summary. Until it is known, the lines are held; once it is reversed,
// each run of lines around the OOM lines (a report spans well under a minute) is held and
// fed backwards. Forward input is fed as it comes once its direction is known, and what was
// held meanwhile is fed in its own order, so nothing changes for it.

type direction int8

const (
	dirUnknown direction = 0
	dirForward direction = 1
	dirReverse direction = -1
)

const (
	maxRunEntries = 100_000  // a held run longer than this is fed in pieces, with a warning
	maxRunBytes   = 16 << 20 // the same, in bytes
	maxUndecided  = 4096     // entries held waiting for the direction before taking it as forward
	runGapLines   = 2048     // stampless lines without an OOM line that end a reversed run
	maxSamples    = 512      // stamps of skipped lines read for the direction before taking it as forward
	runWindow     = reportOpenFor + lingerAfter
	contentVote   = 3 // weight of a pid seen in the wrong order: decisive alone
)

// order is the reorder stage of one input.
type order struct {
	dir       direction
	asc, desc int
	prev      stamp
	pids      map[int]int // victim pid → rank of the first report line that named it
	held      []entry     // in input order
	bytes     int
	heldHits  int // held entries that are OOM lines
	holding   bool
	hitAt     stamp // the last OOM line of a reversed run
	sinceHit  int
	samples   int // lines the hot path skipped while the direction was unknown
}

// stamp is the clock a message carries, for comparing two messages of one input.
type stamp struct {
	boot    time.Duration
	seq     int
	hasBoot bool
	wall    time.Time
}

func stampOf(m *Message) (stamp, bool) {
	s := stamp{boot: m.Boot, seq: m.BootSeq, hasBoot: m.HasBoot, wall: m.Wall}
	return s, s.hasBoot || !s.wall.IsZero()
}

// after returns how far s is after t, and false when their clocks cannot be compared.
func (s stamp) after(t stamp) (time.Duration, bool) {
	switch {
	case s.hasBoot && t.hasBoot && s.seq == t.seq:
		return s.boot - t.boot, true
	case !s.wall.IsZero() && !t.wall.IsZero():
		return s.wall.Sub(t.wall), true
	}
	return 0, false
}

// vote counts what one message says about the direction, and decides when it is clear:
// forward needs twice as many rising steps as falling ones, reverse four times as many
// falling ones, so a few out-of-order lines (interleaved hosts, klog goroutines) decide
// nothing.
func (o *order) vote(m *Message) {
	if o.dir != dirUnknown {
		return
	}
	if s, ok := stampOf(m); ok {
		if d, ok := s.after(o.prev); ok && d != 0 {
			if d > 0 {
				o.asc++
			} else {
				o.desc++
			}
		}
		o.prev = s
	}
	if m.Program == "kernel" {
		switch v := o.pidVote(m.Text); {
		case v > 0:
			o.asc += v
		case v < 0:
			o.desc -= v
		}
	}
	switch {
	case o.asc >= 2 && o.asc > 2*o.desc:
		o.dir = dirForward
	case o.desc >= 3 && o.desc > 4*o.asc:
		o.dir = dirReverse
	}
}

// pidVote: the kernel names a victim in its summary, then kills it, then reaps it. A pid
// named again by a line of a lower rank than the first that named it says reverse.
func (o *order) pidVote(text string) int {
	rank, pid := victimOf(text)
	if rank == 0 {
		return 0
	}
	if o.pids == nil || len(o.pids) > 256 {
		o.pids = map[int]int{}
	}
	first, ok := o.pids[pid]
	if !ok {
		o.pids[pid] = rank
		return 0
	}
	switch {
	case rank > first:
		return contentVote
	case rank < first:
		return -contentVote
	}
	return 0
}

// victimOf finds the pid a summary (rank 1), kill (2) or reaper (3) line names.
func victimOf(text string) (rank, pid int) {
	var digits string
	switch {
	case strings.HasPrefix(text, "oom-kill:"):
		if i := strings.LastIndex(text, ",pid="); i >= 0 {
			rank, digits = 1, text[i+5:]
		}
	case strings.HasPrefix(text, "oom_reaper: reaped process "):
		rank, digits = 3, text[len("oom_reaper: reaped process "):]
	default:
		if i := strings.Index(text, "Killed process "); i >= 0 {
			rank, digits = 2, text[i+len("Killed process "):]
		}
	}
	n := 0
	for n < len(digits) && digits[n] >= '0' && digits[n] <= '9' {
		n++
	}
	if rank == 0 || n == 0 {
		return 0, 0
	}
	pid, err := strconv.Atoi(digits[:n])
	if err != nil {
		return 0, 0
	}
	return rank, pid
}

// put passes an entry through the reorder stage.
func (p *run) put(e *entry, emit func(Event)) {
	o := &p.order
	if e.kind == entryLine && e.framed && o.dir == dirUnknown {
		o.vote(&e.m)
		if o.dir == dirReverse && o.holding && !o.startRun() {
			p.release(emit) // the lines held so far are no run: none is an OOM line
		}
	}
	switch o.dir {
	case dirForward:
		if o.holding {
			p.release(emit)
		}
		p.post(e, emit)
	case dirReverse:
		p.putReversed(e, emit)
	default:
		p.putUndecided(e, emit)
	}
}

// putUndecided holds the first lines, and the lines from an OOM line on, until the direction
// is known.
func (p *run) putUndecided(e *entry, emit func(Event)) {
	o := &p.order
	switch {
	case o.holding:
	case e.line <= kindSample || e.hit:
		o.holding = true
	default:
		p.post(e, emit)
		return
	}
	o.hold(e)
	switch {
	case len(o.held) >= maxUndecided || o.bytes >= maxRunBytes:
		o.dir = dirForward // nothing tells: taken as written, and never held again
		p.release(emit)
	case o.heldHits == 0 && e.line > kindSample:
		p.release(emit) // the first lines say nothing: as they come, until an OOM line
	}
}

// release feeds what is held in input order.
func (p *run) release(emit func(Event)) {
	o := &p.order
	held := o.held
	o.held, o.bytes, o.heldHits, o.holding = nil, 0, 0, false
	for i := range held {
		p.post(&held[i], emit)
	}
}

// putReversed holds each run of lines from an OOM line until a line a minute older than
// the run's last OOM line (or runGapLines lines without one, for lines without stamps).
func (p *run) putReversed(e *entry, emit func(Event)) {
	o := &p.order
	if o.holding && o.endsRun(e) {
		p.replayReversed(emit)
	}
	if !o.holding {
		if !e.hit {
			p.post(e, emit)
			return
		}
		o.holding = true
	}
	o.hold(e)
	o.sinceHit++
	if e.hit {
		o.sinceHit = 0
		if s, ok := stampOf(&e.m); ok && e.framed {
			o.hitAt = s
		}
	}
	if len(o.held) >= maxRunEntries || o.bytes >= maxRunBytes {
		p.warn(e.line, fmt.Sprintf("reverse-ordered input: %d lines around OOM reports held, the most kept at once; read in pieces", len(o.held)))
		p.replayReversed(emit)
	}
}

// startRun turns lines held while the direction was unknown into a reversed run; false
// when none of them is an OOM line.
func (o *order) startRun() bool {
	for i := len(o.held) - 1; i >= 0; i-- {
		if e := &o.held[i]; e.hit {
			o.sinceHit = len(o.held) - 1 - i
			if s, ok := stampOf(&e.m); ok && e.framed {
				o.hitAt = s
			}
			return true
		}
	}
	return false
}

func (o *order) endsRun(e *entry) bool {
	if e.kind == entryLine && e.framed {
		if s, ok := stampOf(&e.m); ok {
			if d, ok := o.hitAt.after(s); ok {
				return d > runWindow
			}
		}
	}
	return o.sinceHit >= runGapLines
}

// replayReversed feeds a held run from its last line to its first.
func (p *run) replayReversed(emit func(Event)) {
	o := &p.order
	held := o.held
	o.held, o.bytes, o.heldHits, o.holding, o.hitAt, o.sinceHit = nil, 0, 0, false, stamp{}, 0
	for i := len(held) - 1; i >= 0; i-- {
		p.post(&held[i], emit)
	}
}

// hold keeps a copy of an entry; the bytes of an unframed line belong to the reader.
func (o *order) hold(ep *entry) {
	e := *ep
	if !e.framed {
		e.raw = append([]byte(nil), e.raw...)
	} else {
		e.raw = nil
	}
	o.bytes += len(e.raw) + len(e.m.Raw) + len(e.m.Text) + 64
	if e.hit {
		o.heldHits++
	}
	o.held = append(o.held, e)
}

// flushOrder feeds whatever is still held when the input ends.
func (p *run) flushOrder(emit func(Event)) {
	if !p.order.holding {
		return
	}
	if p.order.dir == dirReverse {
		p.replayReversed(emit)
		return
	}
	p.release(emit)
}
