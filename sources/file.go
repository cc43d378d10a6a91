package sources

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"fmt"
	"io"
	"iter"
	"os"
	"time"
)

// Files reads plain or compressed log files named on the command line; "-" is standard input.
type Files struct {
	Paths []string
	Kind  string    // forced kind for every file, "" to detect
	Stdin io.Reader // what "-" reads; os.Stdin when nil
	Now   time.Time // stands in for the modification time of standard input
}

var _ Source = (*Files)(nil)

// Inputs yields one input per path. A path that cannot be stat'ed yields an error and the
// source moves on to the next.
func (f *Files) Inputs() iter.Seq2[*Input, error] {
	return func(yield func(*Input, error) bool) {
		for _, p := range f.Paths {
			in, err := f.input(p)
			if !yield(in, err) {
				return
			}
		}
	}
}

func (f *Files) input(path string) (*Input, error) {
	if path == "-" {
		stdin := f.Stdin
		if stdin == nil {
			stdin = os.Stdin
		}
		return &Input{Name: "-", Kind: f.Kind, ModTime: f.Now,
			Records: decompressed("-", io.NopCloser(stdin), nil)}, nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return &Input{Name: path}, err
	}
	if st.IsDir() {
		return &Input{Name: path}, fmt.Errorf("%s is a directory (directories are not supported yet)", path)
	}
	open := func() (io.ReadCloser, error) { return os.Open(path) }
	return &Input{Name: path, Kind: f.Kind, ModTime: st.ModTime(),
		Records: decompressed(path, nil, open)}, nil
}

// decompressed yields the lines of a stream, unwrapping gzip and bzip2 by their magic bytes
// (not by file name, so a rotated "messages-20250329" that is really gzip still reads).
func decompressed(name string, rc io.ReadCloser, open func() (io.ReadCloser, error)) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		if rc == nil {
			var err error
			if rc, err = open(); err != nil {
				yield(Record{}, err)
				return
			}
		}
		defer rc.Close()
		r, err := Decompress(bufio.NewReaderSize(rc, 64<<10))
		if err != nil {
			yield(Record{}, fmt.Errorf("%s: %w", name, err))
			return
		}
		for rec, err := range Lines(r) {
			if !yield(rec, err) {
				return
			}
		}
	}
}

// Magic numbers of the compression formats we recognise.
var (
	gzipMagic  = []byte{0x1f, 0x8b}
	bzip2Magic = []byte("BZh")
	xzMagic    = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}
	zstdMagic  = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// Decompress returns a reader of the uncompressed bytes of br, or br itself when it does not
// start with a compression magic number we know.
func Decompress(br *bufio.Reader) (io.Reader, error) {
	head, _ := br.Peek(6)
	switch {
	case bytes.HasPrefix(head, gzipMagic):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("failed to read gzip header: %w", err)
		}
		return zr, nil
	case bytes.HasPrefix(head, bzip2Magic) && len(head) >= 4 && head[3] >= '1' && head[3] <= '9':
		return bzip2.NewReader(br), nil
	case bytes.HasPrefix(head, xzMagic):
		return nil, fmt.Errorf("xz-compressed input is not supported yet; decompress it first (xz -dc)")
	case bytes.HasPrefix(head, zstdMagic):
		return nil, fmt.Errorf("zstd-compressed input is not supported yet; decompress it first (zstd -dc)")
	}
	return br, nil
}
