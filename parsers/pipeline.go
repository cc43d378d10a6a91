package parsers

import (
	"bufio"
	"bytes"
	"fmt"
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
	// Fault marks the read or decoding error that ended the input early: what came before
	// it was analysed, the rest is lost. It is never dropped by the warning cap.
	Fault bool `json:"fault,omitempty"`
}

// InputResult says what became of one input.
type InputResult struct {
	Name    string
	Archive *sources.ArchiveInfo // the archive or directory it came from, nil for a plain file
	Role    sources.InputRole    // what the archive's layout says it is
	// First and Last are the earliest and latest wall-clock times of the lines the parsers
	// read (Floating when the stamps had no zone), zero when none had one.
	First, Last time.Time
	Floating    bool
	Kind        sources.Kind // the framing most of its lines had, sources.KindUnknown when none matched
	Lines       int
	Warnings    []Warning
	Err         error // set when nothing of the input could be read
	Fault       error // the read or decoding error that ended it after some of it was read
	// Unrecognised says what the input looks like, and what to give instead, when nothing
	// in it was understood; "" otherwise.
	Unrecognised string
}

// maxWarnings bounds the warnings kept per input; a binary file would otherwise produce one
// per line. The count of the rest is reported, and a fault (Warning.Fault) is always kept:
// a corrupt archive's garbage must not hide the error that says it is corrupt.
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
// An input that is one byte stream of lines (Raw) is scanned in large blocks, prefiltered
// on every core (stream.go).
func ParseInput(in *sources.Input, opts Options, emit func(Event)) *InputResult {
	return newRun(in, opts).parse(in, emit)
}

func (p *run) parse(in *sources.Input, emit func(Event)) *InputResult {
	p.out = p.outputs(emit)
	emit = p.out.Event
	if in.Raw != nil && p.forced == nil && p.export == nil {
		// Objects are read from the bytes, so that no line cut at sources.MaxLineBytes cuts
		// an object; other input is read as the same stream's lines.
		err := in.Raw(func(br *bufio.Reader) error {
			head, ok := firstLine(br)
			switch {
			case ok && (in.Kind == sources.KindKubeObjects || isObjectStart(head)):
				p.objects(newRawStream(br), head, emit)
			case in.Kind == sources.KindDetect && !isExportStart(head):
				p.blocks(br)
			default:
				p.lines(sources.Lines(br), in.Kind, emit)
			}
			return nil
		})
		if err != nil {
			p.readError(0, err)
		}
		return p.finish()
	}
	p.lines(in.Records, in.Kind, emit)
	return p.finish()
}

// firstLine peeks at the stream's first line (at most its buffer's worth) without reading
// it; ok is false when the stream is empty.
func firstLine(br *bufio.Reader) ([]byte, bool) {
	for n := 1; ; {
		_, err := br.Peek(n)
		b, _ := br.Peek(br.Buffered())
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			return bytes.TrimSuffix(b[:i], []byte("\r")), true
		}
		if err != nil || len(b) >= br.Size() {
			return b, len(b) > 0
		}
		n = len(b) + 1
	}
}

// lines frames the records of one input of the given kind and feeds them to the parsers;
// objects (kind kube-objects, or a first line that starts objects) are turned back into bytes.
func (p *run) lines(records iter.Seq2[sources.Record, error], kind sources.Kind, emit func(Event)) {
	next, stop := iter.Pull2(records)
	defer stop()
	first, err, ok := next()
	if ok && err == nil && p.forced == nil && p.export == nil && (kind == sources.KindKubeObjects || isObjectStart(first.Bytes)) {
		p.objects(newRecordReader(first, next), first.Bytes, emit)
		return
	}
	p.start(kind)
	for ; ok; first, err, ok = next() {
		if err != nil {
			p.readError(first.Line, err)
			break
		}
		p.record(first, emit)
	}
	p.end()
}

// start readies the readers that span lines, once the input is known to be lines.
func (p *run) start(kind sources.Kind) {
	if p.forced == nil && p.export == nil && !p.noFraming || kind == sources.KindKubectlText {
		p.kubectl = newKubectlReader(p.res.Name, p.clock.Now, p.out.Event, p.warn)
		p.kubectl.isLogLine = p.isLogLine
	}
}

// end closes whatever is still open at the end of the input's lines.
func (p *run) end() {
	emit := p.out.Event
	if p.kubectl != nil {
		p.kubectl.flush()
	}
	if p.export != nil { // the last entry may lack its closing empty line
		p.exportLine(sources.Record{Line: p.res.Lines + 1}, emit)
	}
	p.endVerbose(emit)
	p.flushWrap(emit)
	p.flushOrder(emit)
	for _, parser := range p.parsers {
		parser.Flush(p.out)
	}
}

// objects decodes Kubernetes objects (JSON or YAML) from the input; head is its first line.
func (p *run) objects(r objectStream, head []byte, emit func(Event)) {
	d := &objectDecoder{r: r, input: p.res.Name, emit: emit, warn: p.warn}
	t := bytes.TrimSpace(head)
	d.decode(!(len(t) > 0 && (t[0] == '{' || t[0] == '[')))
	p.res.Lines = r.lineCount()
	p.kindName = sources.KindKubeObjects
	if err := r.err(); err != nil {
		p.readError(r.lineCount(), err)
	}
	if rr, ok := r.(*recordReader); ok && rr.cutLine > 0 {
		p.warn(rr.cutLine, fmt.Sprintf("line longer than %d KiB, cut by a source that only gives lines: the objects on it cannot be read whole; give the objects as a file or on standard input", sources.MaxLineBytes>>10))
	}
	if d.used == 0 {
		p.warn(0, "no Pod or Event objects found")
	}
}

// run is the state of one ParseInput call.
type run struct {
	res       InputResult
	clock     Clock
	forced    *Framing
	forcedIdx int         // the forced framing's index
	noFraming bool        // the forced kind spans lines (journalctl -o verbose): no framing applies
	sticky    int         // index of the framing that matched last
	counts    map[int]int // lines per framing index
	framed    int         // lines any framing read, forced or not
	parsers   []Parser
	out       Out // where the parsers send events and warnings
	filter    *prefilter
	bootSeq   int                    // boots counted by journalctl's "-- Boot --" separators
	bootIDs   map[string]int         // boots numbered by the journal's _BOOT_ID, when entries name it
	export    *exportEntry           // the entry being read, when the input is journalctl -o export
	exports   int                    // export entries read
	verbose   *verboseEntry          // the entry being read, when the input is journalctl -o verbose
	verboseN  int                    // verbose entries read
	kindName  sources.Kind           // a kind that is not a framing (Kubernetes objects)
	garbage   struct{ from, to int } // the current run of binary lines
	last      []byte                 // the last text line not framed, framed at the end for the time span
	bare      bool                   // lines came as bare messages with their labels (Loki, Elasticsearch)
	cat       bool                   // the input is bare kernel messages (journalctl -o cat): unframed lines are messages
	relTime   bool                   // the input is dmesg -e/-H: the deltas of the lines skipped must be added up too
	scratch   []byte                 // a line without its colour codes
	wrap      *wrapped               // a cut message waiting for its continuation: nil or &wrapBuf
	wrapBuf   wrapped
	// lastKernel is the last framed kernel message: its envelope dates the indented
	// continuation lines dmesg prints under it.
	lastKernel     Message
	haveLastKernel bool
	tableCols      int            // numeric columns of the last task table header, to tell a cut row
	order          order          // the direction of the input, and what is held until it is known
	fed            int            // messages handed to the parsers
	events         int            // events the parsers emitted
	sniff          sniffer        // what the first lines look like, for an input nothing of which was understood
	dropped        int            // warnings beyond maxWarnings
	kubectl        *kubectlReader // kubectl's human output, wherever in the input it is
	framing        Message        // the message being framed (frame)
	feeding        Message        // the message being fed to the parsers (deliver)
}

func newRun(in *sources.Input, opts Options) *run {
	p := &run{res: InputResult{Name: in.Name, Archive: in.Archive, Role: in.Role}, clock: opts.Clock, counts: map[int]int{}}
	p.clock.ModTime = in.ModTime
	switch {
	case in.Kind == sources.KindJournalExport:
		p.export = newExportEntry()
	case in.Kind == sources.KindKubeObjects:
	case in.Kind == sources.KindJournalVerbose:
		p.noFraming = true
	case in.Kind != sources.KindDetect:
		p.forced, _ = FramingByName(in.Kind)
		for i := range Framings {
			if p.forced == &Framings[i] {
				p.forcedIdx = i
			}
		}
		p.cat = in.Kind == sources.KindBare
		p.relTime = in.Kind == sources.KindDmesgReltime
	}
	var triggers []string
	for _, s := range Registry {
		p.parsers = append(p.parsers, s.New())
		triggers = append(triggers, s.Triggers...)
	}
	p.filter = sharedPrefilter(triggers)
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

// outputs makes the two streams the parsers send to: events are decoded further, counted
// and passed on; warnings become warnings of this input.
func (p *run) outputs(emit func(Event)) Out {
	return Out{
		Event: func(ev Event) {
			if k, ok := ev.(*KubeEvent); ok {
				readNPDKill(k)
				readOOMWatcherVictim(k)
			}
			readEvictions(ev)
			p.events++
			emit(ev)
		},
		Warn: func(w Warning) { p.warn(w.Line, w.Message) },
	}
}

// readError records the error that ended the input. With nothing read it is the input's
// error; after some lines it is a fault, kept whatever the warning cap. A decoder's fault
// already says at which decoded byte and line it came (sources.SaysWhere); another read
// error is said with the last line read.
func (p *run) readError(line int, err error) {
	if p.res.Lines == 0 {
		p.res.Err = err
		return
	}
	p.res.Fault = err
	msg := err.Error()
	if !sources.SaysWhere(err) {
		msg = fmt.Sprintf("read error after line %d, the rest of the input is lost: %v", p.res.Lines, err)
	}
	p.res.Warnings = append(p.res.Warnings, Warning{Line: line, Fault: true, Message: msg})
}

func (p *run) record(rec sources.Record, emit func(Event)) {
	p.res.Lines = rec.Line
	b := rec.Bytes
	if rec.Cut > 0 {
		p.putWarning(rec.Line, fmt.Sprintf("line of %d bytes cut to its first %d", len(b)+rec.Cut, len(b)), emit)
	}
	if p.export != nil || (rec.Line == 1 && p.forced == nil && !p.noFraming && isExportStart(b)) {
		p.exportLine(rec, emit)
		return
	}
	if rec.Line <= kindSample || p.sniff.empty() {
		p.sniff.see(b)
	}
	if bytes.IndexByte(b, 0) >= 0 {
		p.put(&entry{kind: entryBinary, line: rec.Line}, emit)
		return
	}
	unpasted := false
	if !rec.Bare && pasted(b) {
		var skip bool
		if b, skip = unpaste(b, &p.scratch); skip {
			return
		}
		unpasted = true
	}
	if !rec.Bare && p.kubectlLine(rec.Line, b) {
		return
	}
	if bytes.HasPrefix(b, []byte("-- ")) {
		p.endVerbose(emit)
		p.journalMarker(b)
		p.put(&entry{kind: entryMarker, line: rec.Line}, emit)
		return
	}
	if !rec.Bare && (p.verbose != nil || len(b) >= 40 && b[len(b)-1] == ']') && p.verboseLine(rec.Line, b, emit) {
		return
	}
	// Event streams (Program EventsProgram) were selected by reason at the source: every line
	// is an Event.
	hit := p.filter.match(b) || rec.Program == EventsProgram || p.reaperInReverse(b)
	if !hit && rec.Line > kindSample && p.wrap == nil && !p.order.holding && !p.busy() {
		p.endGarbage()
		if p.relTime || p.order.dir == dirUnknown {
			p.skipped(rec.Line, b)
		} else {
			p.last = append(p.last[:0], b...) // framed at the end, for the input's time span
		}
		return
	}
	p.wantedLine(rec, b, hit, unpasted, emit)
}

// wantedLine takes a line a parser may want (or any line at the start or while something is
// held) from framing into the unwrap and reorder stages; apart from record so that the hot
// path keeps a small frame.
func (p *run) wantedLine(rec sources.Record, b []byte, hit, unpasted bool, emit func(Event)) {
	if !rec.Bare && !unpasted {
		var skip bool
		if b, skip = unpaste(b, &p.scratch); skip {
			return
		}
	}
	if rec.Bare {
		if !hit && !p.busy() {
			p.put(&entry{kind: entryMarker, line: rec.Line}, emit)
			return
		}
		m := Message{Text: string(b), Program: rec.Program, Host: rec.Host, Wall: rec.Time, Priority: -1, Labels: rec.Labels, Fields: rec.Fields}
		if m.Program == "" {
			m.Program = guessProgram(m.Text)
		}
		if m.Program == "kernel" {
			setBody(&m, b) // a kernel message may keep its printk stamp
		}
		p.bare = true
		e := p.lineEntry(&m, rec.Line, b, true)
		p.put(&e, emit)
		return
	}
	if e, ok := p.frameEntry(rec, b, hit); ok {
		p.unwrap(&e, emit)
	}
}

// skipped handles a line no parser wants while none is busy, when the hot path cannot just
// remember it: the deltas of dmesg -e must all be added up, and an undecided direction is
// sampled.
func (p *run) skipped(line int, b []byte) {
	if p.relTime {
		var m Message
		if frameDmesgReltime(b, &p.clock, &m) { // every delta counts
			p.span(&m)
		}
	} else {
		p.last = append(p.last[:0], b...) // framed at the end, for the input's time span
	}
	if p.order.dir == dirUnknown && line%8 == 0 {
		p.sampleDirection(b)
	}
	if p.order.samples++; p.order.dir == dirUnknown && p.order.samples > maxSamples*8 {
		p.order.dir = dirForward // a long input whose stamps never tell: taken as written
	}
}

// frameEntry frames a line; a shell prompt's command is no entry at all.
func (p *run) frameEntry(rec sources.Record, b []byte, hit bool) (entry, bool) {
	var m Message
	if i := p.frame(b, &m); i >= 0 {
		if !rec.Time.IsZero() && m.Wall.IsZero() {
			m.Wall = rec.Time
		}
		e := p.lineEntry(&m, rec.Line, b, hit)
		e.bare = Framings[i].Name == sources.KindBare
		return e, true
	}
	if rest, ok := shellPrompt(b); ok {
		m = Message{}
		if len(rest) == 0 || p.frame(rest, &m) < 0 {
			return entry{}, false // the command, not evidence
		}
		return p.lineEntry(&m, rec.Line, rest, hit), true
	}
	for _, rest := range linePrefixes(b) {
		m = Message{}
		if p.frame(rest, &m) >= 0 {
			return p.lineEntry(&m, rec.Line, rest, hit), true
		}
	}
	if p.cat && len(b) > 0 && b[0] != ' ' && b[0] != '\t' && !hasControlBytes(b) && utf8.Valid(b) {
		m = Message{Text: string(b), Priority: -1}
		m.Program = guessProgram(m.Text)
		e := p.lineEntry(&m, rec.Line, b, hit)
		e.bare = true
		return e, true
	}
	return entry{kind: entryLine, line: rec.Line, raw: b, hit: hit}, true
}

// sampleDirection reads the stamp of a line the hot path skips, now and then, while the
// input's direction is unknown; the clock is a copy, so nothing else changes.
func (p *run) sampleDirection(b []byte) {
	f := p.forced
	if f == nil {
		f = &Framings[p.sticky]
	}
	c := p.clock
	m := Message{Priority: -1}
	if f.Frame(b, &c, &m) {
		m.BootSeq = p.bootSeqOf(m.BootID)
		p.order.vote(&m)
	}
}

// reaperInReverse: in reversed input the reaper's line comes before the kill it follows, so
// it must start the held run; forward, the open report takes it.
func (p *run) reaperInReverse(b []byte) bool {
	return p.order.dir == dirReverse && bytes.Contains(b, []byte("oom_reaper: "))
}

// verboseLine reads the lines of journalctl -o verbose; false for a line that is not one.
func (p *run) verboseLine(line int, b []byte, emit func(Event)) bool {
	if p.verbose != nil {
		if p.verbose.add(b, line, p.filter.match) {
			return true
		}
		p.endVerbose(emit)
	}
	if p.forced != nil {
		return false
	}
	if e, ok := verboseHeader(b, &p.clock); ok {
		p.verbose = e
		p.verboseN++
		e.msgLine = line
		return true
	}
	return false
}

// endVerbose turns the verbose entry just read into a message.
func (p *run) endVerbose(emit func(Event)) {
	e := p.verbose
	if e == nil {
		return
	}
	p.verbose = nil
	m := Message{Priority: -1}
	if !e.message(&m) {
		p.putWarning(e.msgLine, "journal verbose entry without MESSAGE skipped", emit)
		return
	}
	hit := e.wanted || (p.order.dir == dirReverse && strings.Contains(m.Text, "oom_reaper: "))
	ent := p.lineEntry(&m, e.msgLine, bytes.TrimLeft([]byte(e.msgRaw), " "), hit)
	p.put(&ent, emit)
}

// exportLine reads one line of journalctl -o export; an empty line completes an entry.
func (p *run) exportLine(rec sources.Record, emit func(Event)) {
	if p.export == nil {
		p.export = newExportEntry()
	}
	if len(rec.Bytes) > 0 {
		if !p.export.add(rec.Bytes, rec.Line, p.filter.match) {
			p.putWarning(rec.Line, "journal export line without KEY=value skipped (binary field?)", emit)
		}
		return
	}
	e := p.export
	p.export = newExportEntry()
	if e.empty {
		return
	}
	p.exports++
	hit := e.wanted || (p.order.dir == dirReverse && strings.Contains(e.fields["MESSAGE"], "oom_reaper: "))
	if !(hit || p.busy() || p.order.holding) {
		return
	}
	m := Message{Priority: -1}
	if !e.message(&m) {
		if hit || p.busy() {
			p.putWarning(e.msgLine, "journal export entry without MESSAGE or time skipped", emit)
		}
		return
	}
	ent := p.lineEntry(&m, e.msgLine, []byte(e.msgRaw), hit)
	ent.quiet = true
	p.put(&ent, emit)
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
// the others in order, so a file that mixes formats still reads. It returns the index of the
// framing that read the line, -1 when none did.
func (p *run) frame(b []byte, m *Message) int {
	// The framings are called through function values, which the compiler must assume keep
	// the message: framing into the run's own copy keeps the caller's off the heap, one
	// allocation less for every line of a report.
	f := &p.framing
	*f = *m
	i := p.frameInto(b, f)
	*m = *f
	return i
}

func (p *run) frameInto(b []byte, m *Message) int {
	m.Priority = -1
	switch {
	case p.noFraming:
		return -1
	case p.forced != nil:
		if !p.forced.Frame(b, &p.clock, m) {
			return -1
		}
		p.framed++
		return p.forcedIdx
	}
	if Framings[p.sticky].Frame(b, &p.clock, m) {
		p.counts[p.sticky]++
		p.framed++
		return p.sticky
	}
	for i := range Framings {
		if i == p.sticky {
			continue
		}
		*m = Message{Priority: -1}
		if Framings[i].Frame(b, &p.clock, m) {
			p.sticky = i
			p.counts[i]++
			p.framed++
			p.cat = p.cat || Framings[i].Name == sources.KindBare
			p.relTime = Framings[i].Name == sources.KindDmesgReltime
			return i
		}
	}
	return -1
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
		if p.frame(p.last, &m) >= 0 {
			p.span(&m)
		}
	}
	if p.dropped > 0 {
		p.res.Warnings = append(p.res.Warnings, Warning{Message: fmt.Sprintf("%d more warnings not shown", p.dropped)})
	}
	p.res.Kind = p.kind()
	if p.relTimeRead() {
		p.res.Warnings = append(p.res.Warnings, Warning{Message: "dmesg -e/-H stamps give the time to the minute: times read from them may be up to a minute early"})
	}
	if p.order.dir == dirReverse {
		p.res.Warnings = append(p.res.Warnings, Warning{Message: "lines are newest first (journalctl -r): each OOM report was read from its oldest line"})
	}
	if !p.understood() {
		forced := sources.KindDetect
		if p.forced != nil || p.noFraming {
			forced = p.res.Kind
		}
		verdict := p.sniff.verdict(forced)
		if !p.sniff.empty() {
			p.res.Unrecognised = verdict
		}
		p.res.Warnings = append([]Warning{{Message: "nothing in this input was understood: " + verdict}}, p.res.Warnings...)
	}
	// A copy: a pointer into the run would keep all of its state (the parsers' indexes, the
	// buffers) alive for as long as the report names the input.
	res := p.res
	return &res
}

// kind names the input's format: the one most of its lines had.
func (p *run) kind() sources.Kind {
	switch {
	case p.export != nil:
		return sources.KindJournalExport
	case p.kindName != sources.KindDetect:
		return p.kindName
	case p.kubectl != nil && p.kubectl.used > 0 && p.kubectl.used >= p.framed:
		return sources.KindKubectlText
	case p.bare && len(p.counts) == 0:
		return sources.KindMessages
	case p.noFraming:
		return sources.KindJournalVerbose
	}
	kind, best := sources.KindUnknown, 0
	if p.forced != nil {
		kind = p.forced.Name
	}
	for i, n := range p.counts {
		if n > best || (n == best && i < kindIndex(kind)) {
			best, kind = n, Framings[i].Name
		}
	}
	if p.verboseN > best {
		kind = sources.KindJournalVerbose
	}
	return kind
}

// relTimeRead: some line had a dmesg -e stamp.
func (p *run) relTimeRead() bool {
	for i, n := range p.counts {
		if n > 0 && Framings[i].Name == sources.KindDmesgReltime {
			return true
		}
	}
	return p.forced != nil && p.forced.Name == sources.KindDmesgReltime && p.framed > 0
}

// understood: some line of the input was read as a log line or fed a parser.
func (p *run) understood() bool {
	return p.framed > 0 || p.exports > 0 || p.verboseN > 0 || p.fed > 0 || p.events > 0 || p.kindName != sources.KindDetect ||
		p.kubectl != nil && p.kubectl.used > 0
}

func kindIndex(kind sources.Kind) int {
	for i := range Framings {
		if Framings[i].Name == kind {
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
