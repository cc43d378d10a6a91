package sources

import (
	"bufio"
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
		defer r.Close()
		for rec, err := range Lines(r) {
			if !yield(rec, err) {
				return
			}
		}
	}
}
