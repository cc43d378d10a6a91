package parsers

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// objectStream is the byte stream the objects decoder reads, with what it needs to name
// lines: a JSON decoder reads it with Read and asks lineAt for the line of its offsets; the
// YAML reader takes whole lines with nextLine instead (the two do not mix).
type objectStream interface {
	io.Reader
	// lineAt returns the line holding byte offset off of what Read handed out, forgetting
	// the lines before it; offsets must be asked in increasing order.
	lineAt(off int64) int
	// nextLine returns the next line without its terminator, at most max bytes of it, and
	// how many bytes past those were dropped; ok is false at the end of the input.
	nextLine(max int) (line []byte, cut int, ok bool)
	// lineCount is how many lines were read, err why reading stopped early (nil at the end).
	lineCount() int
	err() error
}

var (
	_ objectStream = (*rawStream)(nil)
	_ objectStream = (*recordReader)(nil)
)

// rawStream reads objects straight from an input's bytes (sources.Input.Raw), so no object
// is cut at sources.MaxLineBytes: a one-line List of any length reads whole. It counts lines
// as the bytes pass, so memory stays one buffer, and drops the white space between JSON tokens
// on the way to the JSON decoder: kubectl indents by four spaces a level, so most of a
// pretty-printed List is indentation that the decoder's scanner would otherwise step through
// byte by byte, once for the item and again for each value decoded from it.
type rawStream struct {
	br      *bufio.Reader
	offset  int64       // bytes handed out so far, after compaction
	starts  []lineStart // starts of lines not yet passed by a query, in handed-out offsets
	line    int         // the line the next byte read is on
	midLine bool        // a byte of that line was read
	lastErr error
	// the compaction's state between reads
	inString, escaped bool
	prev              byte // the last byte handed out
	chunk             []byte
	lineBuf           []byte
}

func newRawStream(br *bufio.Reader) *rawStream {
	return &rawStream{br: br, line: 1, starts: []lineStart{{0, 1}}}
}

// Read hands out the stream's bytes without the white space outside JSON strings, but for
// the first byte of white space after a literal byte: that one ends or breaks the literal
// (1 2, true false, 0. [), so input that is not JSON stays not JSON and fails at the same
// byte. Runs of string bytes and of other bytes are copied whole.
func (r *rawStream) Read(p []byte) (int, error) {
	if r.lastErr != nil {
		return 0, r.lastErr
	}
	n := 0
	for n == 0 {
		if r.br.Buffered() == 0 {
			if _, err := r.br.Peek(1); err != nil {
				r.lastErr = err
				return 0, err
			}
		}
		in, _ := r.br.Peek(r.br.Buffered())
		used := 0
		for used < len(in) && n < len(p) {
			lim := min(len(in), used+len(p)-n)
			c := in[used]
			if r.inString {
				if r.escaped {
					r.escaped = false
				} else if j := runOf(in, used, lim, &stringPlain); j > used {
					n += copy(p[n:], in[used:j])
					used = j
					continue
				} else if c == '\\' {
					r.escaped = true
				} else if c == '"' {
					r.inString = false
				}
				p[n] = c
				n++
				used++
				if c == '\n' { // invalid in a string, but still a line
					r.newLine(int64(n))
				}
				r.prev, r.midLine = c, true
				continue
			}
			switch jsonClass[c] {
			case classNewline:
				r.keepSpaceAfterLiteral(p, &n, c)
				used++
				r.newLine(int64(n))
				continue
			case classSpace:
				r.keepSpaceAfterLiteral(p, &n, c)
				used = runOf(in, used, len(in), &spaceRun)
				r.midLine = true
				continue
			}
			if c == '"' {
				r.inString = true
				p[n] = c
				n++
				used++
			} else {
				j := runOf(in, used, lim, &tokenPlain)
				n += copy(p[n:], in[used:j])
				used = j
			}
			r.prev, r.midLine = in[used-1], true
		}
		r.br.Discard(used)
	}
	r.offset += int64(n)
	return n, nil
}

// runOf returns where the run of bytes of the class plain that starts at i ends, before lim.
func runOf(b []byte, i, lim int, plain *[256]bool) int {
	for i < lim && plain[b[i]] {
		i++
	}
	return i
}

const (
	classToken = iota
	classSpace
	classNewline
)

var (
	jsonClass   [256]uint8
	stringPlain [256]bool // bytes of a string copied as they are
	tokenPlain  [256]bool // bytes outside strings that are neither white space nor a quote
	spaceRun    [256]bool // white space within a line
)

func init() {
	for c := range 256 {
		stringPlain[c] = c != '"' && c != '\\' && c != '\n'
		tokenPlain[c] = c != '"' && c != ' ' && c != '\t' && c != '\r' && c != '\n'
	}
	spaceRun[' '], spaceRun['\t'], spaceRun['\r'] = true, true, true
	jsonClass[' '], jsonClass['\t'], jsonClass['\r'], jsonClass['\n'] = classSpace, classSpace, classSpace, classNewline
}

// newLine notes that a line begins at handed-out offset at (relative to this Read).
func (r *rawStream) newLine(at int64) {
	r.line++
	r.midLine = false
	r.starts = append(r.starts, lineStart{r.offset + at, r.line})
}

// keepSpaceAfterLiteral hands out the white space byte c when it follows a literal byte: that
// is the one place the decoder's scanner does not skip white space (it ends a number or a
// true, false, null, or is an error inside one, as in "0. ["), so keeping the very byte
// makes the decoder see, and name, what it would see in the input. p has room for a byte.
func (r *rawStream) keepSpaceAfterLiteral(p []byte, n *int, c byte) {
	if isLiteralByte(r.prev) {
		p[*n] = c
		*n++
		r.prev = c
	}
}

func isLiteralByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '-' || c == '+'
}

func (r *rawStream) lineAt(off int64) int {
	r.starts = fromLineOf(r.starts, off)
	return r.starts[0].line
}

func (r *rawStream) nextLine(max int) ([]byte, int, bool) {
	r.lineBuf = r.lineBuf[:0]
	cut := 0
	for {
		b, err := r.br.ReadSlice('\n')
		if len(b) > 0 {
			r.midLine = true
		}
		keep := min(len(b), max-len(r.lineBuf))
		r.lineBuf = append(r.lineBuf, b[:keep]...)
		cut += len(b) - keep
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			r.lastErr = err
			if len(r.lineBuf) == 0 && cut == 0 {
				return nil, 0, false
			}
			return bytes.TrimSuffix(r.lineBuf, []byte("\r")), cut, true
		}
		line := r.lineBuf
		if len(line) > 0 && line[len(line)-1] == '\n' {
			line = line[:len(line)-1]
		} else {
			cut-- // the newline itself was dropped
		}
		r.line++
		r.midLine = false
		return bytes.TrimSuffix(line, []byte("\r")), cut, true
	}
}

func (r *rawStream) lineCount() int {
	if r.midLine {
		return r.line
	}
	return r.line - 1
}

func (r *rawStream) err() error {
	if r.lastErr == io.EOF {
		return nil
	}
	return r.lastErr
}
