package parsers

import (
	"bytes"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/k8s-coroner/coroner/sources"
)

// Warning is a problem at a position of an input that did not stop the analysis.
type Warning struct {
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// InputResult says what became of one input.
type InputResult struct {
	Name    string
	Archive *sources.ArchiveInfo // the archive or directory it came from, nil for a plain file
	Role    string               // what the archive's layout says it is
	// First and Last are the earliest and latest wall-clock times of the lines the parsers
	// read (Floating when the stamps had no zone), zero when none had one.
	First, Last time.Time
	Floating    bool
	Kind        string // the framing most of its lines had, "unknown" when none matched
	Lines       int
	Warnings    []Warning
	Err         error // set when nothing of the input could be read
}

// maxWarnings bounds the warnings kept per input; a binary file would otherwise produce one
// per line. The count of the rest is reported.
const maxWarnings = 50

// kindSample is how many leading lines are framed whatever their content, so the report can
// name the kind of an input that holds no OOM at all.
const kindSample = 64

// Options configures the pipeline.
type Options struct {
	Clock Clock // year and zone for stamps that lack them; ModTime is taken from each input
}

// ParseInput frames the records of one input and feeds them to every registered parser,
// calling emit for each event. A cheap byte prefilter built from the parsers' triggers skips
// lines no parser can use before any framing or regex runs.
func ParseInput(in *sources.Input, opts Options, emit func(Event)) *InputResult {
	p := newRun(in, opts)
	emit = p.notices(emit)
	next, stop := iter.Pull2(in.Records)
	defer stop()
	first, err, ok := next()
	if ok && err == nil && p.forced == nil && p.export == nil && (in.Kind == KubeObjects || isObjectStart(first.Bytes)) {
		p.objects(first, next, emit)
		return p.finish()
	}
	for ; ok; first, err, ok = next() {
		if err != nil {
			p.readError(first.Line, err)
			break
		}
		p.record(first, emit)
	}
	if p.export != nil { // the last entry may lack its closing empty line
		p.exportLine(sources.Record{Line: p.res.Lines + 1}, emit)
	}
	for _, parser := range p.parsers {
		parser.Flush(emit)
	}
	return p.finish()
}

// objects decodes Kubernetes objects (JSON or YAML) from the input.
func (p *run) objects(first sources.Record, next func() (sources.Record, error, bool), emit func(Event)) {
	r := newRecordReader(first, next)
	d := &objectDecoder{r: r, input: p.res.Name, emit: emit, warn: p.warn}
	t := bytes.TrimSpace(first.Bytes)
	d.decode(!(len(t) > 0 && (t[0] == '{' || t[0] == '[')))
	p.res.Lines = r.lines
	p.kindName = KubeObjects
	if r.lastErr != nil && r.lastErr != io.EOF {
		p.warn(r.lines, fmt.Sprintf("read error, the rest of the input is lost: %v", r.lastErr))
	}
	if d.used == 0 {
		p.warn(0, "no Pod or Event objects found")
	}
}

// run is the state of one ParseInput call.
type run struct {
	res      InputResult
	clock    Clock
	forced   *Framing
	sticky   int         // index of the framing that matched last
	counts   map[int]int // lines per framing index
	parsers  []Parser
	filter   *prefilter
	bootSeq  int                    // boots counted by journalctl's "-- Boot --" separators
	bootIDs  map[string]int         // boots numbered by the journal's _BOOT_ID, when entries name it
	export   *exportEntry           // the entry being read, when the input is journalctl -o export
	kindName string                 // a kind that is not a framing (Kubernetes objects)
	garbage  struct{ from, to int } // the current run of binary lines
	last     []byte                 // the last text line not framed, framed at the end for the time span
	bare     bool                   // lines came as bare messages with their labels (Loki, Elasticsearch)
	dropped  int                    // warnings beyond maxWarnings
}

func newRun(in *sources.Input, opts Options) *run {
	p := &run{res: InputResult{Name: in.Name, Archive: in.Archive, Role: in.Role}, clock: opts.Clock, counts: map[int]int{}}
	p.clock.ModTime = in.ModTime
	switch {
	case in.Kind == JournalExport:
		p.export = newExportEntry()
	case in.Kind == KubeObjects:
	case in.Kind != "":
		p.forced, _ = FramingByName(in.Kind)
	}
	var triggers []string
	for _, s := range Registry {
		p.parsers = append(p.parsers, s.New())
		triggers = append(triggers, s.Triggers...)
	}
	p.filter = newPrefilter(triggers)
	return p
}

// span widens the input's time span with a framed line.
func (p *run) span(m *Message) {
	if m.Wall.IsZero() {
		return
	}
	if p.res.First.IsZero() || m.Wall.Before(p.res.First) {
		p.res.First = m.Wall
	}
	if m.Wall.After(p.res.Last) {
		p.res.Last = m.Wall
	}
	p.res.Floating = p.res.Floating || m.Floating
}

// notices turns the Notices parsers emit into warnings of this input; other events pass.
func (p *run) notices(emit func(Event)) func(Event) {
	return func(ev Event) {
		if n, ok := ev.(*Notice); ok {
			p.warn(n.Pos.Line, n.Why)
			return
		}
		emit(ev)
	}
}

func (p *run) readError(line int, err error) {
	if p.res.Lines == 0 {
		p.res.Err = err
		return
	}
	p.warn(line, fmt.Sprintf("read error, the rest of the input is lost: %v", err))
}

func (p *run) record(rec sources.Record, emit func(Event)) {
	p.res.Lines = rec.Line
	b := rec.Bytes
	if rec.Cut > 0 {
		p.warn(rec.Line, fmt.Sprintf("line of %d bytes cut to its first %d", len(b)+rec.Cut, len(b)))
	}
	if p.export != nil || (rec.Line == 1 && p.forced == nil && isExportStart(b)) {
		p.exportLine(rec, emit)
		return
	}
	if bytes.IndexByte(b, 0) >= 0 {
		p.binary(rec.Line)
		return
	}
	if bytes.HasPrefix(b, []byte("-- ")) {
		p.endGarbage()
		p.journalMarker(b)
		return
	}
	// Event streams (Program EventsProgram) were selected by reason at the source: every line
	// is an Event.
	wanted := p.busy() || p.filter.match(b) || rec.Program == EventsProgram
	if !wanted && rec.Line > kindSample {
		p.endGarbage()
		p.last = append(p.last[:0], b...) // framed at the end, for the input's time span
		return
	}
	var m Message
	if rec.Bare {
		p.endGarbage()
		if !wanted {
			return
		}
		m = Message{Text: string(b), Program: rec.Program, Host: rec.Host, Wall: rec.Time, Priority: -1, Labels: rec.Labels}
		if m.Program == "" {
			m.Program = guessProgram(m.Text)
		}
		if m.Program == "kernel" {
			setBody(&m, b) // a kernel message may keep its printk stamp
		}
		p.bare = true
		p.feed(&m, rec.Line, string(b), emit)
		return
	}
	if !p.frame(b, &m) {
		switch {
		case !wanted || len(b) == 0 || b[0] == ' ' || b[0] == '\t':
			// not ours, or a continuation line of a multi-line record (journalctl, dmesg -T)
			p.endGarbage()
		case hasControlBytes(b) || !utf8.Valid(b):
			p.binary(rec.Line)
		default:
			p.endGarbage()
			p.warn(rec.Line, "line in no known log format skipped")
		}
		return
	}
	p.endGarbage()
	if !wanted {
		p.span(&m)
		p.last = append(p.last[:0], b...)
		return
	}
	if !rec.Time.IsZero() && m.Wall.IsZero() {
		m.Wall = rec.Time
	}
	p.feed(&m, rec.Line, string(b), emit)
}

// feed completes a framed message and hands it to every parser.
func (p *run) feed(m *Message, line int, raw string, emit func(Event)) {
	m.Input, m.Line, m.Raw, m.BootSeq = p.res.Name, line, raw, p.bootSeqOf(m.BootID)
	// Pasted and relayed logs often pad lines with spaces; no kernel field ends in one.
	m.Text = strings.TrimRight(m.Text, " \t")
	p.span(m)
	for _, parser := range p.parsers {
		parser.Feed(m, emit)
	}
}

// exportLine reads one line of journalctl -o export; an empty line completes an entry.
func (p *run) exportLine(rec sources.Record, emit func(Event)) {
	if p.export == nil {
		p.export = newExportEntry()
	}
	if len(rec.Bytes) > 0 {
		if !p.export.add(rec.Bytes, rec.Line, p.filter.match) {
			p.warn(rec.Line, "journal export line without KEY=value skipped (binary field?)")
		}
		return
	}
	e := p.export
	p.export = newExportEntry()
	if e.empty || !(e.wanted || p.busy()) {
		return
	}
	m := Message{Priority: -1}
	if !e.message(&m) {
		p.warn(e.msgLine, "journal export entry without MESSAGE or time skipped")
		return
	}
	p.feed(&m, e.msgLine, e.msgRaw, emit)
}

// hasControlBytes reports C0 control bytes other than tab and ESC (colour codes), which text
// logs do not contain but random bytes almost always do.
func hasControlBytes(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != 0x1b {
			return true
		}
	}
	return false
}

func (p *run) busy() bool {
	for _, parser := range p.parsers {
		if parser.Busy() {
			return true
		}
	}
	return false
}

// frame decodes the envelope: the forced framing only, else the last one that matched, then
// the others in order, so a file that mixes formats still reads.
func (p *run) frame(b []byte, m *Message) bool {
	m.Priority = -1
	if p.forced != nil {
		return p.forced.Frame(b, &p.clock, m)
	}
	if Framings[p.sticky].Frame(b, &p.clock, m) {
		p.counts[p.sticky]++
		return true
	}
	for i := range Framings {
		if i == p.sticky {
			continue
		}
		*m = Message{Priority: -1}
		if Framings[i].Frame(b, &p.clock, m) {
			p.sticky = i
			p.counts[i]++
			return true
		}
	}
	return false
}

// bootSeqOf numbers boots: by the entry's boot ID when it names one, else by separators.
func (p *run) bootSeqOf(id string) int {
	if id == "" {
		return p.bootSeq
	}
	if p.bootIDs == nil {
		p.bootIDs = map[string]int{}
	}
	seq, ok := p.bootIDs[id]
	if !ok {
		seq = len(p.bootIDs)
		p.bootIDs[id] = seq
	}
	return seq
}

// journalMarker reads journalctl's "-- Boot <id> --" and "-- Reboot --" separators: boot
// times before and after one belong to different boots.
func (p *run) journalMarker(b []byte) {
	if bytes.HasPrefix(b, []byte("-- Boot ")) || bytes.HasPrefix(b, []byte("-- Reboot --")) {
		p.bootSeq++
	}
}

func (p *run) binary(line int) {
	if p.garbage.from == 0 {
		p.garbage.from = line
	}
	p.garbage.to = line
}

func (p *run) endGarbage() {
	g := p.garbage
	if g.from == 0 {
		return
	}
	p.garbage.from = 0
	if g.from == g.to {
		p.warn(g.from, "binary data skipped")
	} else {
		p.warn(g.from, fmt.Sprintf("binary data skipped (lines %d-%d)", g.from, g.to))
	}
}

func (p *run) warn(line int, msg string) {
	if len(p.res.Warnings) >= maxWarnings {
		p.dropped++
		return
	}
	p.res.Warnings = append(p.res.Warnings, Warning{Line: line, Message: msg})
}

func (p *run) finish() *InputResult {
	p.endGarbage()
	if len(p.last) > 0 {
		var m Message
		if p.frame(p.last, &m) {
			p.span(&m)
		}
	}
	if p.dropped > 0 {
		p.res.Warnings = append(p.res.Warnings, Warning{Message: fmt.Sprintf("%d more warnings not shown", p.dropped)})
	}
	p.res.Kind = "unknown"
	if p.forced != nil {
		p.res.Kind = p.forced.Name
	}
	if p.export != nil {
		p.res.Kind = JournalExport
		return &p.res
	}
	if p.kindName != "" {
		p.res.Kind = p.kindName
		return &p.res
	}
	if p.bare && len(p.counts) == 0 {
		p.res.Kind = "messages"
		return &p.res
	}
	best := 0
	for i, n := range p.counts {
		if n > best || (n == best && i < p.kindIndex()) {
			best, p.res.Kind = n, Framings[i].Name
		}
	}
	return &p.res
}

func (p *run) kindIndex() int {
	for i := range Framings {
		if Framings[i].Name == p.res.Kind {
			return i
		}
	}
	return len(Framings)
}

// guessProgram names the writer of a bare message whose transport did not: klog and logrus
// lines say so by their shape; the rest is taken as the kernel's, whose journal entries carry
// no unit. The kernel parser's anchored patterns keep a quoted kernel line in another
// program's message from being read as a kill.
func guessProgram(text string) string {
	if _, ok := parseKlog(text); ok {
		return "klog"
	}
	if strings.HasPrefix(text, `time="`) || strings.Contains(text, " level=") {
		return "logrus"
	}
	return "kernel"
}
