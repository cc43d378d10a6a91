// Package archive builds the tarballs the golden cases and the demo read: a directory of
// files in the exact layout of a sosreport (or must-gather), packed the way sos packs it — one
// top directory named like the archive, members' mtimes kept — and compressed with any of the
// formats sos writes (xz, gzip, bzip2) or users meet (zstd, plain tar).
package archive

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// Extensions lists the archive names Pack understands, longest first.
var Extensions = []string{".tar.xz", ".tar.gz", ".tar.bz2", ".tar.zst", ".tar"}

// SymlinkSuffix marks a file whose content is a symlink target ("var/log/messages@" holding
// "../../sos_strings/logs/var.log.messages.tailed"), since the golden files cannot hold links.
const SymlinkSuffix = "@"

// Pack writes the tree under dir as the archive out; the top directory inside is out's base
// name without its extension, as sos names it.
func Pack(dir, out string) error {
	ext := ""
	for _, e := range Extensions {
		if strings.HasSuffix(out, e) {
			ext = e
			break
		}
	}
	if ext == "" {
		return fmt.Errorf("%s: not a tar name (%v)", out, Extensions)
	}
	top := strings.TrimSuffix(filepath.Base(out), ext)
	var tarBuf bytes.Buffer
	tw := tar.NewWriter(&tarBuf)
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	sort.Strings(paths)
	for _, p := range paths {
		rel, _ := filepath.Rel(dir, p)
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		name := top + "/" + filepath.ToSlash(rel)
		hdr := &tar.Header{Name: name, Mode: 0o644, ModTime: st.ModTime(), Size: int64(len(data)), Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if strings.HasSuffix(name, SymlinkSuffix) {
			hdr = &tar.Header{Name: strings.TrimSuffix(name, SymlinkSuffix), Mode: 0o777, ModTime: st.ModTime(), Typeflag: tar.TypeSymlink,
				Linkname: strings.TrimSpace(string(data)), Format: tar.FormatPAX}
			data = nil
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	packed, err := compress(ext, tarBuf.Bytes())
	if err != nil {
		return err
	}
	return os.WriteFile(out, packed, 0o644)
}

func compress(ext string, b []byte) ([]byte, error) {
	var buf bytes.Buffer
	var w io.WriteCloser
	var err error
	switch ext {
	case ".tar":
		return b, nil
	case ".tar.gz":
		w = gzip.NewWriter(&buf)
	case ".tar.xz":
		w, err = xz.NewWriter(&buf)
	case ".tar.zst":
		w, err = zstd.NewWriter(&buf)
	case ".tar.bz2": // no bzip2 writer in Go; sos 3.x used the bzip2 program too
		cmd := exec.Command("bzip2", "-c")
		cmd.Stdin = bytes.NewReader(b)
		return cmd.Output()
	}
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// IsArchiveDir says whether a directory name asks to be packed (ends in a tar extension).
func IsArchiveDir(name string) bool {
	for _, e := range Extensions {
		if strings.HasSuffix(name, e) {
			return true
		}
	}
	return false
}
