package sources

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// openDecoder unwraps the compression of rc, by its magic bytes, for the input called name
// in the chain c, with the chain's limits on what the decoder produces. The decoder's fault
// is said with the input's name, the decoded byte and line it happened at, and every byte
// decoded before it is still delivered.
func openDecoder(name string, rc io.Reader, c *chain) (io.ReadCloser, error) {
	in := &tailCounter{r: rc}
	br := bufio.NewReaderSize(in, 64<<10)
	slot := c.takeSlot()
	dr, format, process, err := decompress(br, slot)
	if slot && !process {
		c.freeSlot()
		slot = false
	}
	if err != nil {
		if slot {
			c.freeSlot()
		}
		return nil, fault(name, format, err, 0, 1)
	}
	if format == "" {
		return dr, nil // plain bytes: nothing is decoded, nothing to bound beyond the disk
	}
	return &decoded{r: dr, in: in, format: format, name: name, c: c, process: process, slot: slot, lines: 1}, nil
}

// decoded reads a decoder's output, counting the bytes and lines it produced against the
// chain's limits, and turns its error into one sentence. The error, once met, is returned by
// every later read: bufio.Reader.Peek hands an error out once, and a reader that peeks
// (the tar and log sniffers) would otherwise take the rest of a broken stream for its end.
type decoded struct {
	r       io.ReadCloser
	in      *tailCounter
	format  string
	name    string
	c       *chain
	process bool // a decoder process
	slot    bool // holds the chain's process slot
	out     int64
	lines   int64
	err     error
}

func (d *decoded) Read(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	n, err := d.r.Read(p)
	d.out += int64(n)
	d.lines += int64(bytes.Count(p[:n], []byte{'\n'}))
	b := d.c.b
	if total := b.bytes.Add(int64(n)); total > b.lim.Bytes {
		d.err = limitErr("%s: not read past decoded byte %d: the decoders of %s have produced %d bytes, over the cap (--max-bytes %d)",
			d.name, d.out, b.path, total, b.lim.Bytes)
		b.hit("bytes", d.err.Error())
		return n, d.err
	}
	if d.out > b.lim.ratioFloor && d.out > d.in.n*int64(b.lim.Ratio) {
		d.err = limitErr("%s: not read past decoded byte %d: %s decodes it to more than %d times its compressed size (--max-ratio), as a decompression bomb does",
			d.name, d.out, d.format, b.lim.Ratio)
		b.hit("ratio "+d.name, d.err.Error())
		return n, d.err
	}
	if err == io.EOF && d.format == "xz" && !d.process && !d.in.endsXZ() {
		err = errors.New("the stream ends before its footer") // the pure-Go decoder takes a cut at a block's edge for the end
	}
	if err == nil || err == io.EOF {
		return n, err
	}
	var dmg *bzip2Damage
	if errors.As(err, &dmg) { // it says where, block by block
		d.err = &positioned{fmt.Errorf("%s: %s: %w", d.name, d.format, err)}
		return n, d.err
	}
	d.err = fault(d.name, d.format, err, d.out, d.lines)
	return n, d.err
}

// fault says a decoder's error in one sentence: the input, the format, the decoder's words,
// and where in the decoded stream it came.
func fault(name, format string, err error, at, line int64) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = fmt.Errorf("%w (the compressed stream is cut short)", err)
	}
	err = fmt.Errorf("%s: %s: %w, at decoded byte %d (line %d)", name, format, err, at, line)
	if at > 0 {
		err = fmt.Errorf("%w; what came before is read", err)
	}
	return &positioned{err}
}

// positioned is an error that already says where in the input it came.
type positioned struct{ error }

func (p *positioned) Unwrap() error { return p.error }

// SaysWhere reports whether err already names the input and where in it the read stopped
// (a decoder's fault, a cap), so that whoever reports it need not say it again.
func SaysWhere(err error) bool {
	var p *positioned
	var l *errLimit
	return errors.As(err, &p) || errors.As(err, &l)
}

func (d *decoded) Close() error {
	if d.err == nil {
		d.err = errors.New("closed")
	}
	err := d.r.Close()
	if d.slot {
		d.slot = false
		d.c.freeSlot()
	}
	return err
}

// tailCounter counts the compressed bytes read, for the ratio, and keeps the last few, to
// tell a complete xz stream (it ends with the footer magic "YZ", then zero padding).
type tailCounter struct {
	r    io.Reader
	n    int64
	tail [2]byte
}

func (t *tailCounter) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.n += int64(n)
	var last [2]byte // the read's last two bytes that are not padding (zeros), in order
	k := 0
	for i := n - 1; i >= 0 && k < 2; i-- {
		if p[i] != 0 {
			last[1-k] = p[i]
			k++
		}
	}
	for _, c := range last[2-k:] {
		t.tail[0], t.tail[1] = t.tail[1], c
	}
	return n, err
}

func (t *tailCounter) endsXZ() bool { return t.tail == [2]byte{'Y', 'Z'} }
