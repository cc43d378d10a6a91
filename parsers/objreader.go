package parsers

import (
	"bytes"
	"io"

	"github.com/k8s-coroner/coroner/sources"
)

// recordReader turns the rest of an input's records back into a byte stream, for decoders
// that need one (Kubernetes objects in JSON or YAML), and maps the decoder's byte offsets back
// to line numbers. It serves inputs without a raw stream (sources.Input.Raw): their lines
// longer than sources.MaxLineBytes arrive cut, and so do the objects on them. It only remembers the lines between the decoder's last query and what it
// has read, so memory stays bounded by one object, not by the input.
type recordReader struct {
	next    func() (sources.Record, error, bool)
	buf     []byte
	offset  int64       // bytes handed out so far
	starts  []lineStart // starts of lines not yet passed by a query
	lastErr error
	lines   int
	cutLine int // the first line the source cut at sources.MaxLineBytes, 0 when none
}

type lineStart struct {
	offset int64
	line   int
}

// fromLineOf drops the line starts before the line holding offset off: offsets are asked in
// increasing order, so the lines before are done with.
func fromLineOf(starts []lineStart, off int64) []lineStart {
	i := 0
	for i+1 < len(starts) && starts[i+1].offset <= off {
		i++
	}
	return starts[i:]
}

func newRecordReader(first sources.Record, next func() (sources.Record, error, bool)) *recordReader {
	r := &recordReader{next: next}
	r.push(first)
	return r
}

func (r *recordReader) push(rec sources.Record) {
	if rec.Cut > 0 && r.cutLine == 0 {
		r.cutLine = rec.Line
	}
	r.starts = append(r.starts, lineStart{r.offset + int64(len(r.buf)), rec.Line})
	r.buf = append(r.buf, rec.Bytes...)
	r.buf = append(r.buf, '\n')
	r.lines = rec.Line
}

func (r *recordReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.lastErr != nil {
			return 0, r.lastErr
		}
		rec, err, ok := r.next()
		switch {
		case !ok:
			r.lastErr = io.EOF
		case err != nil:
			r.lastErr = err
		default:
			r.push(rec)
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	r.offset += int64(n)
	return n, nil
}

// lineAt returns the line holding byte offset off and forgets the lines before it. Offsets
// must be asked in increasing order.
func (r *recordReader) lineAt(off int64) int {
	if off >= r.offset+int64(len(r.buf)) { // at the start of a line not read yet
		return r.lines + 1
	}
	r.starts = fromLineOf(r.starts, off)
	if len(r.starts) == 0 {
		return r.lines
	}
	return r.starts[0].line
}

func (r *recordReader) nextLine(max int) ([]byte, int, bool) {
	if len(r.buf) > 0 {
		line := bytes.TrimSuffix(r.buf, []byte("\n"))
		r.buf = nil
		return line, 0, true
	}
	rec, err, ok := r.next()
	if !ok || err != nil {
		if err != nil {
			r.lastErr = err
		}
		return nil, 0, false
	}
	r.lines = rec.Line
	b, cut := rec.Bytes, rec.Cut
	if len(b) > max {
		b, cut = b[:max], cut+len(b)-max
	}
	return b, cut, true
}

func (r *recordReader) lineCount() int { return r.lines }

func (r *recordReader) err() error {
	if r.lastErr == io.EOF {
		return nil
	}
	return r.lastErr
}
