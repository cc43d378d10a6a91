package sources

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Files reads plain or compressed log files named on the command line; "-" is standard input.
type Files struct {
	Paths []string
	// Dir is the directory relative paths are read from, "" for the working directory; the
	// inputs keep the names as given, so reports do not depend on where they were read.
	Dir   string
	Kind  Kind      // forced kind for every file, KindDetect to detect
	Stdin io.Reader // what "-" reads; os.Stdin when nil
	Now   time.Time // stands in for the modification time of standard input

	// Archives lists the archives and directories met so far, in order; each is complete once
	// the inputs it holds have been read.
	Archives []*ArchiveInfo
	// Explain records every archive member's fate in its ArchiveInfo (--explain-inputs).
	Explain bool
	// Limits bound each path named and all it holds; zero fields take DefaultLimits.
	Limits Limits

	mu      sync.Mutex
	partial []string // what was left unread, for Incomplete
	// listDir stands in for os.DirFS in tests.
	listDir func(root string) fs.FS
}

var _ Source = (*Files)(nil)

// ArchivesRead lists the archives and directories met, for the report; each is complete once
// the inputs it holds have been read.
func (f *Files) ArchivesRead() []*ArchiveInfo { return f.Archives }

// Inputs yields the inputs of every path: a file is one input, a directory or a tar archive
// (compressed or not) one input per log it holds. A path that cannot be read yields an error
// and the source moves on to the next.
func (f *Files) Inputs() iter.Seq2[*Input, error] {
	return func(yield func(*Input, error) bool) {
		for _, p := range f.Paths {
			if !f.inputs(p, yield) {
				return
			}
		}
	}
}

func (f *Files) inputs(path string, yield func(*Input, error) bool) bool {
	b := f.budget(path)
	if path == "-" {
		stdin := f.Stdin
		if stdin == nil {
			stdin = os.Stdin
		}
		raw := decompressedRaw("-", io.NopCloser(stdin), nil, b.chain())
		return yield(&Input{Name: "-", Kind: f.Kind, ModTime: f.Now, Records: RawLines(raw), Raw: raw}, nil)
	}
	at := path
	if f.Dir != "" && !filepath.IsAbs(path) {
		at = filepath.Join(f.Dir, path)
	}
	st, err := os.Stat(at)
	if err != nil {
		return yield(&Input{Name: path}, named(err, path))
	}
	if st.IsDir() {
		return newTree(f, path, "directory", b.chain(), 0).walkDir(at, path, yield)
	}
	if what := notRegular(st.Mode()); what != "" {
		return yield(&Input{Name: path}, errNotRegular(path, what))
	}
	file, err := openRegular(at, path)
	if err != nil {
		return yield(&Input{Name: path}, err)
	}
	c := b.chain()
	dr, err := openDecoder(path, file, c)
	if err != nil {
		file.Close()
		return yield(&Input{Name: path}, err)
	}
	br := bufio.NewReaderSize(dr, MaxLineBytes)
	if head, _ := br.Peek(tarBlock); isTar(head) {
		defer file.Close()
		defer dr.Close()
		return newTree(f, path, "tar", c, 0).walkTar(br, yield)
	}
	// Closed before the input is read, so that its reading may take the decoder slot.
	dr.Close()
	file.Close()
	// Opened again when it is read, so that it can be read later.
	raw := decompressedRaw(path, nil, func() (io.ReadCloser, error) { return openRegular(at, path) }, c)
	return yield(&Input{Name: path, Kind: f.Kind, ModTime: st.ModTime(), Records: RawLines(raw), Raw: raw, Detached: true}, nil)
}

// named makes a file error name the path as the user gave it, not as it was resolved.
func named(err error, path string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		pe.Path = path
	}
	return err
}

// decompressedRaw reads a stream unsplit, for Input.Raw (and, through RawLines, its lines),
// unwrapping gzip, bzip2, xz and zstd by their magic bytes (not by file name, so a rotated
// "messages-20250329" that is really gzip still reads), within the limits of its chain.
func decompressedRaw(name string, rc io.ReadCloser, open func() (io.ReadCloser, error), c *chain) func(func(*bufio.Reader) error) error {
	return func(read func(*bufio.Reader) error) error {
		if rc == nil {
			var err error
			if rc, err = open(); err != nil {
				return err
			}
		}
		defer rc.Close()
		r, err := openDecoder(name, rc, c)
		if err != nil {
			return err
		}
		defer r.Close()
		return read(bufio.NewReaderSize(r, MaxLineBytes))
	}
}
