package parsers

import (
	"strings"
	"unicode/utf8"
)

// An entry is one line on its way from the reader to the parsers, after framing: the unwrap
// stage may hold it until its continuation arrives, the reorder stage until the input's
// direction is known or a reversed run is complete. Everything that depends on what the
// parsers did before it (whether a report is open) is decided in post, when it is fed.
type entry struct {
	kind   entryKind
	line   int
	raw    []byte // the line as read, for a line no framing took (the reader's buffer until held)
	m      Message
	framed bool
	bare   bool // framed without an envelope (bare messages): it may continue a wrapped line
	hit    bool // the prefilter wanted it (or it is an Event line)
	quiet  bool // a journal export entry: unwanted, it leaves no trace (not even in the time span)
	msg    string
}

type entryKind uint8

const (
	entryLine    entryKind = iota
	entryWarning           // a warning that belongs at this place of the input
	entryBinary            // a line of binary data
	entryMarker            // a line that ends a run of binary data and is nothing else
)

// putWarning passes on a warning that belongs at this place of the input.
func (p *run) putWarning(line int, msg string, emit func(Event)) {
	p.put(&entry{kind: entryWarning, line: line, msg: msg}, emit)
}

// lineEntry makes the entry of a framed message: its position and evidence are fixed now.
func (p *run) lineEntry(m *Message, line int, raw []byte, hit bool) entry {
	p.prepare(m, line, string(raw))
	return entry{kind: entryLine, line: line, m: *m, framed: true, hit: hit}
}

// prepare completes a framed message: position, evidence text, boot.
func (p *run) prepare(m *Message, line int, raw string) {
	m.Input, m.Line, m.Raw, m.BootSeq = p.res.Name, line, raw, p.bootSeqOf(m.BootID)
	// Pasted and relayed logs often pad lines with spaces; no kernel field ends in one.
	m.Text = strings.TrimRight(m.Text, " \t")
	// The message is most often the end of the raw line: share its bytes, so a kept line
	// (the proof of a kill) holds one copy of its text, not two.
	if r := strings.TrimRight(raw, " \t"); len(m.Text) > 0 && strings.HasSuffix(r, m.Text) {
		m.Text = r[len(r)-len(m.Text):]
	}
}

// post feeds an entry, as the pipeline always did with a line: a framed line the prefilter
// wanted, or any while a report is open, goes to the parsers; an unframed line is a warning
// only where a parser could have used it.
func (p *run) post(e *entry, emit func(Event)) {
	switch e.kind {
	case entryWarning:
		p.warn(e.line, e.msg)
		return
	case entryBinary:
		p.binary(e.line)
		return
	case entryMarker:
		p.endGarbage()
		return
	}
	wanted := e.hit || p.busy()
	if !e.framed {
		b := e.raw
		switch {
		case !wanted || len(b) == 0 || b[0] == ' ' || b[0] == '\t':
			// not ours, or a continuation line of a multi-line record (journalctl, dmesg -T)
			p.endGarbage()
		case hasControlBytes(b) || !utf8.Valid(b):
			p.binary(e.line)
		default:
			p.endGarbage()
			p.warn(e.line, "line in no known log format skipped")
		}
		return
	}
	p.endGarbage()
	if !wanted {
		if !e.quiet {
			p.span(&e.m)
		}
		return
	}
	p.deliver(&e.m)
}

// deliver hands a message to every parser.
func (p *run) deliver(m *Message) {
	p.span(m)
	p.fed++
	// The parsers are called through an interface, which the compiler must assume keeps the
	// message: feeding the run's own copy keeps the entry, and so every line read, off the heap.
	f := &p.feeding
	*f = *m
	for _, parser := range p.parsers {
		parser.Feed(f, p.out)
	}
	*m = *f
}
