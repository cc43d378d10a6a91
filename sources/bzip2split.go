package sources

import (
	"io"
)

// bzip2's blocks are independent: each starts with a 48-bit marker at any bit offset, holds
// its own CRC, and decodes without the blocks before it. A stream ends with another marker and
// the CRC of its blocks' CRCs. splitBzip2 finds the markers, as bzip2recover does, so that one
// bad block costs that block and not the rest of the file.
const (
	bzBlockMagic uint64 = 0x314159265359 // the digits of pi
	bzEndMagic   uint64 = 0x177245385090 // those of sqrt(pi)
	bzMask48     uint64 = 1<<48 - 1

	// bzMaxSegment bounds the compressed bits held for one block. A block of 900 kB grows by
	// at most 0.5% in bzip2's worst case, so twice that is no block: bits that long without a
	// marker are damage (a marker destroyed), dropped until the next marker.
	bzMaxSegment = 2 << 20
)

// bzCandidate says, for a byte, at which bit shifts it can be the third byte of either marker:
// the one byte every shift of a 48-bit marker covers whole. Only then are the shifts compared,
// so the scan costs a table look-up a byte.
var bzCandidate = func() (t [256]uint8) {
	for j := range 8 {
		for _, m := range []uint64{bzBlockMagic, bzEndMagic} {
			t[(m>>(24+j))&0xff] |= 1 << j
		}
	}
	return t
}()

// A bzPiece is what the splitter found, in the order of the input.
type bzPiece struct {
	kind  bzKind
	block int    // the block's number in the input, from 1
	at    int64  // compressed byte offset
	mark  int64  // a block's or an end's marker, in bits
	size  int64  // compressed bytes (a gap, trailing bytes)
	frame []byte // a block as a stream of its own, for compress/bzip2
	crc   uint32 // a block's stored CRC, a stream end's combined CRC
	last  bool   // the block runs to the end of the input: no marker closed it
	err   error  // the input's read error

	done chan struct{} // closed when a block is decoded
	out  []byte        // the block's decoded bytes
	nl   int64         // newlines in out
	bad  string        // why the block is not delivered
	junk bool          // the block decoded, but bits that are no block follow it
}

type bzKind uint8

const (
	bzBlock    bzKind = iota
	bzEnd             // a stream's end marker and its CRC (crcCut: cut inside it)
	bzGap             // bits with no marker where a block should start
	bzTrailing        // bytes after the last stream that are not bzip2
	bzReadErr         // the input could not be read further
)

// splitBzip2 reads r and hands each piece to emit, in order, until the input ends or emit
// says stop. Memory is one segment (at most bzMaxSegment) and a read buffer.
func splitBzip2(r io.Reader, emit func(*bzPiece) bool) {
	s := bzSplitter{emit: emit, seg: -1, end: -1, nonzero: -1, expect: 4 * 8}
	chunk := make([]byte, 256<<10)
	for {
		n, err := r.Read(chunk)
		if n > 0 && !s.scan(chunk[:n]) {
			return
		}
		if err == io.EOF {
			s.finish(nil)
			return
		}
		if err != nil {
			s.finish(err)
			return
		}
	}
}

type bzSplitter struct {
	emit     func(*bzPiece) bool
	buf      []byte // the input from byte base on
	base     int64
	pos      int64  // the next byte to scan
	v        uint64 // the last seven bytes scanned
	seg      int64  // bit offset of the open block's marker, or -1
	blocks   int
	expect   int64 // where a block marker is due when none is open (-1: not known)
	end      int64 // bit offset of an end marker whose CRC is not read yet, or -1
	lastEnd  int64 // the byte after the last stream's end, where trailing bytes start
	nonzero  int64 // the last byte past lastEnd that is not zero (padding), or -1
	afterEnd bool  // a stream has ended and nothing has started since
	stopped  bool
}

func (s *bzSplitter) scan(p []byte) bool {
	s.buf = append(s.buf, p...)
	for ; s.pos < s.base+int64(len(s.buf)); s.pos++ {
		s.v = (s.v<<8 | uint64(s.buf[s.pos-s.base])) & (1<<56 - 1)
		if s.pos < 6 {
			continue
		}
		cand := bzCandidate[(s.v>>32)&0xff]
		if cand == 0 {
			continue
		}
		for j := range 8 {
			if cand&(1<<j) == 0 {
				continue
			}
			m := (s.v >> (8 - j)) & bzMask48
			if m == bzBlockMagic || m == bzEndMagic {
				if !s.marker((s.pos-6)*8+int64(j), m == bzEndMagic) {
					return false
				}
			}
		}
		if s.seg >= 0 && s.pos-s.seg/8 > bzMaxSegment {
			if !s.send(&bzPiece{kind: bzGap, at: s.seg / 8, size: s.pos - s.seg/8}) {
				return false
			}
			s.seg, s.expect = -1, -1
		}
	}
	if !s.readEnd(false) {
		return false
	}
	s.trim()
	return true
}

// marker handles a marker at bit offset at: it closes the open block, notes bits that should
// have been a block, and opens the next block or reads the stream's end.
func (s *bzSplitter) marker(at int64, end bool) bool {
	if s.end >= 0 && at < s.end+80 {
		return true // inside the end marker's CRC: not a marker
	}
	if !s.readEnd(false) {
		return false
	}
	switch {
	case s.seg >= 0:
		if !s.closeBlock(at, false) {
			return false
		}
	case s.expect >= 0 && at > s.expect:
		if !s.send(&bzPiece{kind: bzGap, at: s.expect / 8, size: (at - s.expect + 7) / 8}) {
			return false
		}
	case s.expect >= 0 && at < s.expect:
		return true // in a stream's header: no block starts there
	}
	s.afterEnd = false
	if end {
		s.end, s.expect = at, -1
		return true
	}
	s.seg = at
	return true
}

// closeBlock sends the open block, which ends at bit e.
func (s *bzSplitter) closeBlock(e int64, last bool) bool {
	s.blocks++
	p := &bzPiece{kind: bzBlock, block: s.blocks, at: s.seg / 8, mark: s.seg, last: last}
	if e-s.seg >= 48+32 {
		p.crc = uint32(readBits(s.buf, s.seg-s.base*8+48, 32))
		p.frame = bzFrame(s.buf, s.seg-s.base*8, e-s.seg, p.crc)
	}
	s.seg = -1
	return s.send(p)
}

// readEnd reads the CRC after an end marker once its bits are in; at the input's end
// (final) a cut CRC is sent as such.
func (s *bzSplitter) readEnd(final bool) bool {
	if s.end < 0 {
		return true
	}
	have := (s.base + int64(len(s.buf))) * 8
	if have < s.end+80 {
		if !final {
			return true
		}
		at := s.end / 8
		p := &bzPiece{kind: bzEnd, at: at, mark: s.end, err: errCutEnd}
		s.end = -1
		return s.send(p)
	}
	p := &bzPiece{kind: bzEnd, at: s.end / 8, mark: s.end, crc: uint32(readBits(s.buf, s.end-s.base*8+48, 32))}
	next := (s.end + 80 + 7) / 8 // the end is padded to a byte; a next stream's header may follow
	s.end, s.lastEnd, s.expect, s.afterEnd, s.nonzero = -1, next, (next+4)*8, true, -1
	return s.send(p)
}

// trim drops the bytes no open block or end marker needs, keeping six for a marker that
// straddles this read and the next, and notes whether dropped bytes after a stream's end are
// more than zero padding.
func (s *bzSplitter) trim() {
	keep := s.pos - 6
	if s.seg >= 0 {
		keep = min(keep, s.seg/8)
	}
	if s.end >= 0 {
		keep = min(keep, s.end/8)
	}
	if keep <= s.base {
		return
	}
	if s.afterEnd {
		s.noteNonzero(s.base, keep)
	}
	n := copy(s.buf, s.buf[keep-s.base:])
	s.buf, s.base = s.buf[:n], keep
}

func (s *bzSplitter) noteNonzero(from, to int64) {
	for i := max(from, s.lastEnd); i < to; i++ {
		if s.buf[i-s.base] != 0 {
			s.nonzero = i
		}
	}
}

// finish sends what the end of the input leaves: the block it cut, an end marker's cut CRC,
// the bytes after the last stream, a read error.
func (s *bzSplitter) finish(err error) {
	total := (s.base + int64(len(s.buf))) * 8
	if !s.readEnd(true) {
		return
	}
	if s.seg >= 0 && !s.closeBlock(total, true) {
		return
	}
	if err != nil {
		s.send(&bzPiece{kind: bzReadErr, err: err})
		return
	}
	if !s.afterEnd {
		return
	}
	s.noteNonzero(s.base, s.base+int64(len(s.buf)))
	if s.nonzero >= 0 {
		s.send(&bzPiece{kind: bzTrailing, at: s.lastEnd, size: total/8 - s.lastEnd})
	}
}

func (s *bzSplitter) send(p *bzPiece) bool {
	if s.stopped {
		return false
	}
	if !s.emit(p) {
		s.stopped = true
		return false
	}
	return true
}

// errCutEnd marks an end marker whose CRC the input's end cut.
var errCutEnd = io.ErrUnexpectedEOF

// readBits reads n (at most 32) bits of b from bit offset at, most significant first.
func readBits(b []byte, at int64, n int) uint64 {
	var v uint64
	for i := range int64(n) {
		bit := at + i
		v = v<<1 | uint64(b[bit/8]>>(7-bit%8)&1)
	}
	return v
}

// bzFrame makes the n bits of b from bit offset at (a block, from its marker) a bzip2 stream
// of its own: a level-9 header, which admits every block size, the block, and an end marker
// whose combined CRC is the block's own, as it is for a stream of one block.
func bzFrame(b []byte, at, n int64, crc uint32) []byte {
	out := make([]byte, 0, 4+n/8+12)
	out = append(out, 'B', 'Z', 'h', '9')
	src, sh := b[at/8:], uint(at%8)
	full := n / 8
	if sh == 0 {
		out = append(out, src[:full]...)
	} else {
		for i := range full {
			out = append(out, src[i]<<sh|src[i+1]>>(8-sh))
		}
	}
	w := bitWriter{b: out}
	if rem := int(n % 8); rem > 0 {
		w.write(readBits(b, at+full*8, rem), rem)
	}
	w.write(bzEndMagic, 48)
	w.write(uint64(crc), 32)
	return w.flush()
}

// bitWriter appends bits, most significant first.
type bitWriter struct {
	b   []byte
	acc uint64
	n   int
}

func (w *bitWriter) write(v uint64, n int) {
	for i := n - 1; i >= 0; i-- {
		w.acc = w.acc<<1 | (v>>uint(i))&1
		w.n++
		if w.n == 8 {
			w.b = append(w.b, byte(w.acc))
			w.acc, w.n = 0, 0
		}
	}
}

func (w *bitWriter) flush() []byte {
	if w.n > 0 {
		w.b = append(w.b, byte(w.acc<<(8-w.n)))
		w.acc, w.n = 0, 0
	}
	return w.b
}
