package parsers

import (
	"bytes"
	"fmt"
	"strings"
)

// Hard-wrapped and shortened kernel lines. A terminal cuts a long line at its width and the
// rest goes on the next line as it was (mid-token); format=flowed mail and web editors wrap
// at a space and drop it. Such a continuation has no stamp of its own. A kernel message is
// re-joined with the lines after it only when kernelLineState says it is cut and a join makes
// it whole: never blindly. Pagers and search indexes shorten lines with "…" or "...": the
// rest is gone, so what is left is read as it is.

// maxWrapPieces is how many lines one message may have been wrapped over: the longest
// report line (a summary naming two systemd cgroup paths, 450 bytes) at 80 columns, after a
// stamp an editor put on a line of its own. Variants longer than kernelLineState reads are
// dropped, so their number and size stay bounded.
const maxWrapPieces = 8

// maxWrapBlanks is how many blank lines may sit between pieces (double-spaced pastes).
const maxWrapBlanks = 2

// wrapped is a cut message waiting for its continuation lines. Every way of joining the
// pieces seen so far that still reads as cut is kept: at most 2^(maxWrapPieces-1).
type wrapped struct {
	e        entry
	variants []wrapVariant
	pieces   int
	blanks   int
	quiet    bool // a maybe-header (a task name alone): no warning when nothing completes it
}

type wrapVariant struct{ text, raw string }

func newWrapped(e entry) *wrapped {
	w := &wrapped{}
	w.start(e)
	return w
}

// start makes w wait for the continuation of e, reusing its variants' memory.
func (w *wrapped) start(e entry) {
	*w = wrapped{e: e, variants: append(w.variants[:0], wrapVariant{e.m.Text, strings.TrimRight(e.m.Raw, " \t")}), pieces: 1}
}

// waitFor makes the run wait for the continuation of e. One message waits at a time, so the
// run's one wrapped value serves them all: a short line (a v2 stats line) may be a task name
// cut from its header, and such lines come by the thousand in a report.
func (p *run) waitFor(e entry) *wrapped {
	p.wrapBuf.start(e)
	p.wrap = &p.wrapBuf
	return p.wrap
}

// take tries one more line as the continuation. It returns the whole message when a join
// completes it, and false in more when the line cannot continue it.
func (w *wrapped) take(b []byte, state func(string) LineState) (whole *wrapVariant, more bool) {
	piece := strings.TrimRight(string(b), " \t")
	var next []wrapVariant
	for _, v := range w.variants {
		for _, sep := range []string{"", " "} {
			rawSep := sep
			if v.text == "" { // a stamp on its own line: the space after it went with the break
				if sep != "" {
					continue
				}
				rawSep = " "
			}
			text := v.text + sep + piece
			switch state(text) {
			case LineWhole:
				return &wrapVariant{text, v.raw + rawSep + piece}, true
			case LineCut:
				next = append(next, wrapVariant{text, v.raw + rawSep + piece})
			}
		}
	}
	w.pieces++
	if len(next) == 0 || w.pieces >= maxWrapPieces {
		return nil, false
	}
	w.variants, w.blanks = next, 0
	return nil, true
}

// continuation returns the text of a line that can be the rest of a wrapped line: one with
// no envelope of its own (no framing read it, or it is a bare message) and with text.
func continuation(e *entry) ([]byte, bool) {
	b := e.raw
	if e.framed {
		if !e.bare {
			return nil, false
		}
		b = []byte(e.m.Raw)
	}
	return b, e.kind == entryLine && len(bytes.TrimSpace(b)) > 0 && !hasControlBytes(b)
}

// unwrap holds a cut kernel message until the lines after it complete it, and passes every
// other entry on.
func (p *run) unwrap(e *entry, emit func(Event)) {
	if w := p.wrap; w != nil {
		if e.kind == entryLine && !e.framed && len(bytes.TrimSpace(e.raw)) == 0 && w.blanks < maxWrapBlanks {
			w.blanks++
			return
		}
		if piece, ok := continuation(e); ok {
			whole, more := w.take(piece, p.lineState)
			switch {
			case whole != nil:
				p.wrap = nil
				j := w.e
				j.m.Text, j.m.Raw = whole.text, whole.raw
				if n := tableColumns(j.m.Text); n > 0 {
					p.tableCols = n
				}
				j.hit = j.hit || p.filter.match([]byte(whole.text))
				p.putWarning(j.line, fmt.Sprintf("line %d continues on line %d (hard-wrapped); read joined", j.line, e.line), emit)
				p.put(&j, emit)
				return
			case more:
				return
			}
		}
		p.wrap = nil
		if !w.quiet {
			p.putWarning(w.e.line, "line looks cut and no line after it completes it; read as it is", emit)
		}
		p.put(&w.e, emit)
	}
	if !e.framed && e.kind == entryLine && p.haveLastKernel && statContinuation(e.raw) {
		// dmesg prints a printk's continuation lines indented under its text, without a
		// stamp: the memcg stats of a report ("               file 0") are such lines.
		m := p.lastKernel
		m.Text, m.Raw = string(bytes.TrimSpace(e.raw)), string(e.raw)
		c := entry{kind: entryLine, line: e.line, m: m, framed: true, hit: true}
		p.put(&c, emit)
		return
	}
	if e.framed && e.m.Program == "kernel" {
		p.lastKernel, p.haveLastKernel = e.m, true
		if head, ok := shortened(e.m.Text); ok {
			e.m.Text = head
			p.putWarning(e.line, "line shortened with '...'; what is left is read", emit)
		} else if e.m.Text == "" && !e.bare || p.lineState(e.m.Text) == LineCut {
			// A stamp alone: an editor broke the line after it, at the first space.
			p.waitFor(*e)
			return
		} else if maybeHeaderStart(e) {
			// The header's anchor words come after the allocating task's name: a line cut
			// right after the name reads as nothing known until the next line says so.
			p.waitFor(*e).quiet = true
			return
		}
		if n := tableColumns(e.m.Text); n > 0 {
			p.tableCols = n
		}
	}
	p.put(e, emit)
}

// lineState is kernelLineState, and for a row of the task table the count of the columns
// its header named.
func (p *run) lineState(text string) LineState {
	st := kernelLineState(text)
	if st == LineUnknown && p.tableCols > 0 {
		st = taskRowState(text, p.tableCols)
	}
	return st
}

// maybeHeaderStart reports a kernel line that may be the start of a header cut after the task
// name ("%s invoked oom-killer: …"): no more than TASK_COMM_LEN-1 bytes, read as nothing else.
func maybeHeaderStart(e *entry) bool {
	return !e.bare && len(e.m.Text) > 0 && len(e.m.Text) <= 15 && e.m.Text[0] != ' ' && kernelLineState(e.m.Text) == LineUnknown
}

// flushWrap passes on a cut message that is still waiting when the input ends.
func (p *run) flushWrap(emit func(Event)) {
	if w := p.wrap; w != nil {
		p.wrap = nil
		if !w.quiet {
			p.putWarning(w.e.line, "line looks cut and no line after it completes it; read as it is", emit)
		}
		p.put(&w.e, emit)
	}
}

// shortened finds an ellipsis in an OOM-report line and returns what comes before it. "…"
// (U+2026) is never in a report line as the kernel prints it, wherever it sits; "..." may be
// part of a task name, so it counts only in a line that is not whole with it. A pager puts
// the ellipsis near the end of its width and keeps a few bytes after it, which belong to no
// known place of the line.
func shortened(text string) (string, bool) {
	i := strings.Index(text, "…")
	if i < 0 {
		if i = strings.Index(text, "..."); i < 0 || kernelLineState(text) == LineWhole {
			return "", false
		}
	}
	head := strings.TrimRight(text[:i], " \t")
	if kernelLineState(head) == LineUnknown {
		return "", false
	}
	return head, true
}

// statContinuation says whether an unframed line is an indented "name value" continuation of
// a printk, as dmesg prints the memcg stats of an OOM report under its first stat.
func statContinuation(b []byte) bool {
	if len(b) == 0 || (b[0] != ' ' && b[0] != '\t') {
		return false
	}
	_, _, ok := statRecord(string(b))
	return ok
}
