package sources

import (
	"archive/tar"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// Archives and directories: a sosreport (.tar.xz, .tar.gz, .tar.bz2, .tar.zst, .tar, or
// extracted), a must-gather or `kubectl cluster-info dump` directory or tarball, a sos-collector
// tarball of sosreports, or any tree of logs. They are read as one stream, never extracted: a
// member that is a log becomes an input named "<archive>:<path>"; small files that name the
// node and its clock feed the ArchiveInfo; everything else is counted as skipped. Symlinks,
// devices and anything outside the tree are never followed.

// tarBlock is what is peeked to recognise a tar stream: "ustar" at offset 257.
const tarBlock = 512

func isTar(head []byte) bool {
	return len(head) >= 262 && bytes.Equal(head[257:262], []byte("ustar"))
}

// tree tracks the archives met while walking one path the user named: the path itself, and
// each sosreport or must-gather found inside it (a sos-collector tarball, a directory of them).
type tree struct {
	f     *Files
	name  string // what the user named
	roots map[string]*ArchiveInfo
	kind  string // kind of the outer path: tar, directory
	c     *chain // the stream of archives this one is read in, and the path's budget
	depth int    // how many archives this one is inside
}

func newTree(f *Files, name, kind string, c *chain, depth int) *tree {
	return &tree{f: f, name: name, roots: map[string]*ArchiveInfo{}, kind: kind, c: c, depth: depth}
}

// split finds the archive a member belongs to and its path inside it. A first component
// named like a sosreport or must-gather is that archive's top directory.
func (t *tree) split(rel string) (*ArchiveInfo, string) {
	rel = cleanRel(rel)
	root, rest := "", rel
	if first, after, ok := strings.Cut(rel, "/"); ok && isReportDir(first) {
		root, rest = first, after
	}
	info := t.roots[root]
	if info == nil {
		info = &ArchiveInfo{Archive: report.Archive{Name: t.name, Kind: t.kind}}
		if root != "" && !strings.HasPrefix(path.Base(t.name), root) { // the tar's own top directory needs no second name
			info.Name = t.name + ":" + root
		}
		own := root
		if own == "" { // the path named is itself the report: sosreport-x.tar.xz, must-gather.local.1/
			own = trimArchiveExt(path.Base(filepath.ToSlash(filepath.Clean(t.name))))
		}
		info.Kind = kindOfRoot(own, t.kind)
		info.Host, info.Collected = hostFromName(own)
		info.collectedByName = !info.Collected.IsZero()
		t.roots[root] = info
		t.f.Archives = append(t.f.Archives, info)
	}
	return info, rest
}

func isReportDir(name string) bool {
	return strings.HasPrefix(name, "sosreport-") || strings.HasPrefix(name, "must-gather") || strings.HasPrefix(name, "sos-collector")
}

func trimArchiveExt(name string) string {
	for _, ext := range []string{".tar.xz", ".tar.gz", ".tgz", ".tar.bz2", ".tar.zst", ".tar"} {
		if n, ok := strings.CutSuffix(name, ext); ok {
			return n
		}
	}
	return name
}

func kindOfRoot(root, outer string) string {
	switch {
	case strings.HasPrefix(root, "sosreport-"):
		return "sosreport"
	case strings.HasPrefix(root, "must-gather"):
		return "must-gather"
	}
	return outer
}

// cleanRel makes a member name safe to show and to classify: no leading "/", no "..".
func cleanRel(name string) string {
	name = path.Clean("/" + strings.ReplaceAll(name, "\\", "/"))
	return strings.TrimPrefix(name, "/")
}

// member decides what to do with one regular file of the tree: read it as metadata, yield it
// as an input, or count it as skipped.
func (t *tree) member(rel string, modTime time.Time, open func() (io.ReadCloser, error), yield func(*Input, error) bool) bool {
	info, inner := t.split(rel)
	role := classify(inner)
	why := "not a log this layout uses"
	if (info.Kind == "sosreport" || info.Kind == "must-gather") && role == RoleLog {
		role, why = RoleSkip, "not among the logs of the "+info.Kind+" layout" // in a known layout only the known logs count
	}
	explain := func(decision string) {
		if t.f.Explain {
			info.Members = append(info.Members, report.Member{Path: inner, Decision: decision})
		}
	}
	if role == RoleSkip {
		info.Skipped++
		explain("skipped: " + why)
		return true
	}
	if role != RoleMeta && !isNestedArchive(inner) {
		explain("read as " + string(role))
	}
	if role == RoleMeta {
		explain("read for node facts")
		if rc, err := open(); err == nil {
			b, _ := io.ReadAll(io.LimitReader(rc, maxMeta))
			rc.Close()
			info.readMeta(inner, b)
		} else { // the node or its clock may stay unknown
			msg := fmt.Sprintf("%s:%s: cannot be read: %v", info.Name, inner, err)
			info.Warnings = append(info.Warnings, msg)
			t.f.incomplete(msg)
		}
		info.Meta++
		return true
	}
	if isNestedArchive(inner) {
		if t.depth+1 > t.c.b.lim.Depth {
			msg := fmt.Sprintf("%s:%s: not read: an archive %d archives deep, over the cap (--max-depth %d)", info.Name, inner, t.depth+1, t.c.b.lim.Depth)
			info.Warnings = append(info.Warnings, msg)
			t.c.b.hit("depth", msg)
			return true
		}
		return t.nested(info.Name+":"+inner, open, yield)
	}
	in := &Input{Name: info.Name + ":" + inner, Kind: t.f.Kind, ModTime: modTime, Archive: info, Role: role}
	if role == RoleLog {
		// Outside a known layout a file is a log only if its start is text.
		rc, err := open()
		if err != nil {
			return yield(in, err)
		}
		br := bufio.NewReaderSize(rc, 64<<10)
		if !looksLikeText(br) {
			rc.Close()
			info.Skipped++
			if t.f.Explain {
				info.Members[len(info.Members)-1].Decision = "skipped: binary"
			}
			return true
		}
		info.Used++
		in.Raw = decompressedRaw(in.Name, &readCloser{br, rc}, nil, t.c)
		in.Records = RawLines(in.Raw)
		return yield(in, nil)
	}
	info.Used++
	in.Detached = t.kind == "directory" // a directory's files open by path; a tar's members are its stream
	c := t.c
	if in.Detached { // read beside the others: a stream of its own, for the decoder slot
		c = t.c.b.chain()
	}
	in.Raw = decompressedRaw(in.Name, nil, open, c)
	in.Records = RawLines(in.Raw)
	return yield(in, nil)
}

type readCloser struct {
	io.Reader
	io.Closer
}

// looksLikeText peeks at the (possibly compressed) start of a file.
func looksLikeText(br *bufio.Reader) bool {
	head, _ := br.Peek(4096)
	if len(head) == 0 {
		return false
	}
	for _, m := range [][]byte{gzipMagic, bzip2Magic, xzMagic, zstdMagic} {
		if bytes.HasPrefix(head, m) {
			return true // judged after decompression, by the pipeline
		}
	}
	return bytes.IndexByte(head, 0) < 0
}

func isNestedArchive(p string) bool {
	for _, ext := range []string{".tar", ".tar.xz", ".tar.gz", ".tgz", ".tar.bz2", ".tar.zst"} {
		if strings.HasSuffix(p, ext) {
			return true
		}
	}
	return false
}

// nested reads an archive inside the archive (sos-collector's per-node sosreports).
func (t *tree) nested(name string, open func() (io.ReadCloser, error), yield func(*Input, error) bool) bool {
	rc, err := open()
	if err != nil {
		return yield(&Input{Name: name}, err)
	}
	defer rc.Close()
	dr, err := openDecoder(name, rc, t.c)
	if err != nil {
		return yield(&Input{Name: name}, err)
	}
	defer dr.Close()
	br := bufio.NewReaderSize(dr, 64<<10)
	head, err := br.Peek(tarBlock)
	if !isTar(head) {
		if err != nil && err != io.EOF {
			return yield(&Input{Name: name}, err)
		}
		return yield(&Input{Name: name}, fmt.Errorf("%s: not a tar archive", name))
	}
	inner := newTree(t.f, name, "tar", t.c, t.depth+1)
	return inner.walkTar(br, yield)
}

// walkTar streams the members of a tar.
func (t *tree) walkTar(r io.Reader, yield func(*Input, error) bool) bool {
	tr := tar.NewReader(r)
	last := ""
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.damaged(last, err)
			break
		}
		last = hdr.Name
		if !t.counted(hdr.Name) {
			break
		}
		if isSparse(hdr) {
			t.skipped(hdr.Name, "skipped: sparse")
			t.warn(fmt.Sprintf("%s:%s: a sparse member claiming %d bytes: not read (its holes would be read as zeros; logs are never sparse)",
				t.name, cleanRel(hdr.Name), hdr.Size))
			continue
		}
		if hdr.Typeflag != tar.TypeReg && hdr.Typeflag != tar.TypeRegA {
			if hdr.Typeflag != tar.TypeDir { // symlinks, hard links, devices: never followed
				t.skipped(hdr.Name, "skipped: "+typeName(hdr.Typeflag)+", never followed")
			}
			continue
		}
		opened := false
		open := func() (io.ReadCloser, error) {
			if opened {
				return nil, errors.New("archive member read twice")
			}
			opened = true
			return io.NopCloser(tr), nil
		}
		if !t.member(hdr.Name, hdr.ModTime, open, yield) {
			return false
		}
	}
	for _, info := range t.roots {
		info.finish()
	}
	return true
}

// skipped counts a member that is not a regular file.
func (t *tree) skipped(rel, decision string) {
	info, inner := t.split(rel)
	info.Skipped++
	if t.f.Explain {
		info.Members = append(info.Members, report.Member{Path: inner, Decision: decision})
	}
}

func typeName(flag byte) string {
	switch flag {
	case tar.TypeSymlink:
		return "symlink"
	case tar.TypeLink:
		return "hard link"
	case tar.TypeChar, tar.TypeBlock:
		return "device"
	case tar.TypeFifo:
		return "fifo"
	}
	return "special member"
}

// damaged records where a tar stopped being readable: what came before it stays analysed.
func (t *tree) damaged(last string, err error) {
	where := "at its start"
	if last != "" {
		where = "after member " + cleanRel(last)
	}
	msg := fmt.Sprintf("archive is damaged %s (%v); the rest of it is not read", where, err)
	if lerr := (*errLimit)(nil); errors.As(err, &lerr) {
		msg = fmt.Sprintf("archive not read %s: %v", where, err)
	}
	t.warn(msg)
}

// counted counts a member against the path's cap and says whether the walk may go on; when
// it may not, the member is named in a warning.
func (t *tree) counted(rel string) bool {
	b := t.c.b
	b.members++
	if b.members <= b.lim.Members {
		return true
	}
	msg := fmt.Sprintf("%s: not read from member %s on: over the cap of %d members (--max-members)", t.name, cleanRel(rel), b.lim.Members)
	t.warn(msg)
	b.hit("members", msg)
	return false
}

// warn adds a warning to the tree's first archive (the only one, unless the tree holds
// several reports; a map's "first" is any one, which is enough to have it said).
func (t *tree) warn(msg string) {
	if len(t.roots) == 0 {
		t.split("")
	}
	for _, info := range t.roots {
		info.Warnings = append(info.Warnings, msg)
		break
	}
}

// special warns of a FIFO, socket or device found in a directory: it is not read (reading
// it could block or never end), and unlike a symlink, which sos writes by the hundred, it is
// out of place in a tree of logs, so it is named.
func (t *tree) special(shown string, mode fs.FileMode) {
	what := notRegular(mode)
	if what == "" || mode&fs.ModeSymlink != 0 {
		return
	}
	info, _ := t.split("")
	info.Warnings = append(info.Warnings, fmt.Sprintf("%s: %s, not a regular file: not read", filepath.ToSlash(shown), what))
}

// walkDir walks a directory found at root and named shown; only regular files are read,
// nothing is followed. A directory or file that cannot be read is named in a warning and
// makes the result partial (Files.Incomplete), whatever else was read.
func (t *tree) walkDir(root, shown string, yield func(*Input, error) bool) bool {
	ok := true
	fsys := t.f.dirFS(root)
	unreadable := func(rel string, err error) {
		p := filepath.Join(shown, filepath.FromSlash(rel))
		msg := fmt.Sprintf("%s: cannot be read: %v", p, named(err, p))
		t.warn(msg)
		t.f.incomplete(msg)
	}
	err := fs.WalkDir(fsys, ".", func(rel string, d fs.DirEntry, err error) error {
		if err != nil {
			unreadable(rel, err)
			return nil
		}
		if !d.IsDir() && !t.counted(rel) {
			return fs.SkipAll
		}
		if !d.Type().IsRegular() {
			if !d.IsDir() {
				t.skipped(rel, "skipped: not a regular file, never followed")
				t.special(filepath.Join(shown, filepath.FromSlash(rel)), d.Type())
			}
			return nil
		}
		st, serr := d.Info()
		if serr != nil {
			unreadable(rel, serr)
			return nil
		}
		at, as := filepath.Join(root, filepath.FromSlash(rel)), filepath.Join(shown, filepath.FromSlash(rel))
		open := func() (io.ReadCloser, error) { return openRegular(at, as) }
		if !t.member(rel, st.ModTime(), open, yield) {
			ok = false
			return fs.SkipAll
		}
		return nil
	})
	if err != nil && ok {
		unreadable(".", err)
	}
	for _, info := range t.roots {
		info.finish()
	}
	return ok
}

// dirFS is the directory tree a walk lists: the real one, unless a test stands in a tree
// with faults no test run as root could make with permissions.
func (f *Files) dirFS(root string) fs.FS {
	if f.listDir != nil {
		return f.listDir(root)
	}
	return os.DirFS(root)
}
