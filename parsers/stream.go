package parsers

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"runtime"
	"sync"

	"github.com/k8s-coroner/coroner/sources"
)

// An input that is one byte stream of lines is read in blocks of whole lines. Workers, one
// per core, split each block into lines and run the prefilter over them, noting the lines
// the pipeline must see: the trigger hits, and every line that could change its state while
// nothing is open (a kubectl header, a journal marker, binary data, paste furniture, a line
// too long to keep whole). The pipeline then takes the blocks in order. While nothing is open
// it jumps from one noted line to the next; while a parser is Busy, or a wrapped line, a
// reversed run or a kubectl block is open, it reads every line, as the record path does. So
// the work for each unrelated line, which is nearly all of a node's log, runs on every core.
const blocksInFlight = 8 // blocks read ahead and being scanned: the memory is their size

// blockSize is how many bytes are read at once: large enough that the cost per block
// vanishes; tests make it small to cut reports and lines at its edges.
var blockSize = 1 << 20

// blockPool keeps block buffers from one input to the next: a run over thousands of small
// files would otherwise allocate, and clear, a megabyte for each.
var blockPool sync.Pool

func newBlockBuffer() []byte {
	if p, ok := blockPool.Get().(*[]byte); ok && len(*p) == blockSize {
		return *p
	}
	return make([]byte, blockSize)
}

// block is a run of whole lines of the input.
type block struct {
	buf   []byte // the buffer the block lives in, given back when the block is taken
	data  []byte // the lines, each ending in '\n' but possibly the input's last
	cut   int    // for a block of one over-long line: the bytes dropped from its end
	lines int    // how many lines it holds, counted by the scan
	noted []notedLine
	done  chan struct{} // closed when the scan is done
}

// notedLine is a line the pipeline must see even while nothing is open.
type notedLine struct {
	off, index int32 // where it starts in the block, and its index among the block's lines
}

// blocks reads an input of lines from its byte stream, in blocks.
func (p *run) blocks(br *bufio.Reader) {
	p.start(sources.KindDetect)
	if partial, err := p.scanBlocks(br); err != nil {
		line := p.res.Lines + 1
		if partial {
			line-- // sources.Lines names the cut line itself
		}
		p.readError(line, err)
	}
	p.end()
}

// scanBlocks takes the blocks in order as the workers finish them, and returns the read
// error that ended the input, if any, and whether the last line was cut short by it.
func (p *run) scanBlocks(r *bufio.Reader) (partial bool, err error) {
	// free holds the buffers this input may have in flight; each is taken from the pool
	// only when needed, so a small input costs one buffer, not blocksInFlight.
	free := make(chan []byte, blocksInFlight)
	for range blocksInFlight {
		free <- nil
	}
	defer func() {
		for range blocksInFlight {
			if buf := <-free; len(buf) == blockSize {
				blockPool.Put(&buf)
			}
		}
	}()
	ordered := make(chan *block, blocksInFlight)
	work := make(chan *block, blocksInFlight)
	var readErr error
	go func() {
		readErr = readBlocks(r, free, func(b *block) {
			ordered <- b
			work <- b
		})
		close(work)
		close(ordered)
	}()
	for range max(runtime.GOMAXPROCS(0), 1) {
		go func() {
			for b := range work {
				p.note(b)
				close(b.done)
			}
		}()
	}
	line := 1
	for b := range ordered {
		<-b.done
		p.takeBlock(b, line)
		line += b.lines
		partial = len(b.data) > 0 && b.data[len(b.data)-1] != '\n'
		free <- b.buf
	}
	return partial, readErr // readErr was set before ordered was closed
}

// readBlocks cuts the stream into blocks of whole lines, each in a buffer from free. A line
// longer than a buffer grows it, up to sources.MaxLineBytes; a longer line is cut to that,
// as sources.Lines cuts it, and makes a block of its own.
func readBlocks(r *bufio.Reader, free chan []byte, send func(*block)) error {
	var carry []byte // the start of a line the last block did not end
	for {
		buf := <-free
		if buf == nil {
			buf = newBlockBuffer()
		}
		if len(buf) <= len(carry) {
			buf = make([]byte, 2*len(carry))
		}
		n := copy(buf, carry)
		var err error
		for {
			var m int
			m, err = io.ReadFull(r, buf[n:])
			n += m
			if err != nil || bytes.IndexByte(buf[n-m:n], '\n') >= 0 || len(buf) > sources.MaxLineBytes {
				break
			}
			grown := make([]byte, 2*len(buf)) // one line fills the buffer: grow it
			copy(grown, buf[:n])
			buf = grown
		}
		end := bytes.LastIndexByte(buf[:n], '\n') + 1
		if err != nil {
			end = n // the input's last line, or the part of a line read before an error
		}
		switch {
		case end > 0:
			carry = append(carry[:0], buf[end:n]...)
			send(&block{buf: buf, data: buf[:end], done: make(chan struct{})})
		case n == len(buf): // a line longer than the cap: keep its head
			dropped, derr := sources.SkipToNewline(r)
			carry = carry[:0]
			send(&block{buf: buf, data: buf[:sources.MaxLineBytes], cut: n - sources.MaxLineBytes + dropped, done: make(chan struct{})})
			err = derr
		default:
			free <- buf
		}
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil
			}
			return err
		}
	}
}

// note splits a block into lines and notes the ones the pipeline must see while nothing is
// open. It reads the run's prefilter, which no one writes once the run is made.
func (p *run) note(b *block) {
	data := b.data
	binary := bytes.IndexByte(data, 0) >= 0
	var index int32
	for off := 0; off < len(data); index++ {
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += off
		}
		if raw := data[off:end]; b.cut > 0 || len(raw) > sources.MaxLineBytes || mustSee(p.filter, bytes.TrimSuffix(raw, []byte("\r")), binary) {
			b.noted = append(b.noted, notedLine{int32(off), index})
		}
		off = end + 1
	}
	b.lines = int(index)
}

// mustSee says whether the pipeline must see a line even while nothing is open: the record
// path (run.record) does more with it than skip it.
func mustSee(f *prefilter, line []byte, binary bool) bool {
	n := len(line)
	return f.match(line) ||
		binary && bytes.IndexByte(line, 0) >= 0 || // binary data
		pasted(line) || // quoted, fenced or coloured paste
		n >= 3 && line[0] == '-' && line[1] == '-' && line[2] == ' ' || // a journal marker
		n >= 40 && line[n-1] == ']' || // journalctl -o verbose's entry header
		strongStart(line) // kubectl output (a reversed input's reaper lines are trigger hits)
}

// takeBlock feeds the block's lines to the pipeline: every line while something is open,
// else only the noted ones.
func (p *run) takeBlock(b *block, first int) {
	emit := p.out.Event
	data := b.data
	next := 0 // the next noted line
	off, index := 0, 0
	took := -1 // the index of the last line fed
	for off < len(data) {
		if p.quiet(first + index) {
			for next < len(b.noted) && int(b.noted[next].index) < index {
				next++
			}
			if next == len(b.noted) {
				break
			}
			off, index = int(b.noted[next].off), int(b.noted[next].index)
			if index > took+1 { // lines were skipped: the last of them is the record path's p.last
				p.last = append(p.last[:0], lastLine(data[:off])...)
			}
		}
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += off
		}
		rec := sources.Record{Line: first + index, Bytes: data[off:end], Cut: b.cut}
		if len(rec.Bytes) > sources.MaxLineBytes { // cut as sources.Lines cuts it
			rec.Cut, rec.Bytes = len(rec.Bytes)-sources.MaxLineBytes, rec.Bytes[:sources.MaxLineBytes]
		} else {
			rec.Bytes = bytes.TrimSuffix(rec.Bytes, []byte("\r"))
		}
		p.record(rec, emit)
		took = index
		off, index = end+1, index+1
	}
	last := first + b.lines - 1
	p.res.Lines = last
	if took != b.lines-1 && b.lines > 0 && !p.relTime { // the block's last line was skipped
		p.last = append(p.last[:0], lastLine(data)...)
	}
}

// quiet says that nothing is open before the given line: the pipeline may skip to the next
// noted line. It lists the states in which run.record does more with an unnoted line than
// skip it.
func (p *run) quiet(line int) bool {
	return line > kindSample && !p.sniff.empty() && p.export == nil && p.verbose == nil && !p.relTime &&
		p.wrap == nil && !p.order.holding && p.order.dir != dirUnknown && p.garbage.from == 0 &&
		(p.kubectl == nil || !p.kubectl.open() && p.kubectl.used == 0) && !p.busy()
}

// lastLine is the last line of a block, without its line terminator.
func lastLine(data []byte) []byte {
	data = bytes.TrimSuffix(data, []byte("\n"))
	return bytes.TrimSuffix(data[bytes.LastIndexByte(data, '\n')+1:], []byte("\r"))
}
