package sources

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// RootFS is a node's file system as seen from inside its root (coroner node --root /host):
// every path, and every symlink met on the way, resolves inside Root, as it would for a
// process chrooted there. An absolute symlink (a host's etc/localtime ->
// /usr/share/zoneinfo/…) is resolved against Root, never against the machine coroner runs on,
// and ".." stops at Root. Only regular files and directories are opened, a FIFO without
// waiting on it, and a file is read through a size cap: a config.yaml linked to /dev/zero or
// a FIFO at proc/meminfo is a warning, not a hang or an out-of-memory crash.
type RootFS struct {
	Root    string
	MaxFile int64 // bytes a file may have; 0 is maxNodeFile
}

// maxNodeFile bounds what is read of one file of the node's state: the kubelet's config,
// /proc/meminfo and a cgroup's files are kilobytes.
const maxNodeFile = 16 << 20

// maxLinks is how many symlinks one path may go through, as Linux's own limit (ELOOP).
const maxLinks = 40

var (
	_ fs.ReadFileFS = RootFS{}
	_ fs.ReadDirFS  = RootFS{}
	_ fs.StatFS     = RootFS{}
)

// Resolve is the path on this machine of name (slash-separated, relative to the root), with
// every symlink resolved inside the root.
func (r RootFS) Resolve(name string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	var done []string                // the components resolved so far, symlink-free
	todo := strings.Split(name, "/") // the components still to resolve
	for links := 0; len(todo) > 0; {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if len(done) > 0 {
				done = done[:len(done)-1]
			}
			continue
		}
		p := filepath.Join(r.Root, filepath.FromSlash(path.Join(append(done, c)...)))
		st, err := os.Lstat(p)
		if err != nil {
			return "", &fs.PathError{Op: "open", Path: "/" + name, Err: unwrapPathErr(err)}
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			done = append(done, c)
			continue
		}
		if links++; links > maxLinks {
			return "", &fs.PathError{Op: "open", Path: "/" + name, Err: errors.New("too many levels of symbolic links")}
		}
		target, err := os.Readlink(p)
		if err != nil {
			return "", &fs.PathError{Op: "open", Path: "/" + name, Err: unwrapPathErr(err)}
		}
		target = filepath.ToSlash(target)
		if strings.HasPrefix(target, "/") { // from the root, not from this machine's /
			done = nil
		}
		todo = append(strings.Split(target, "/"), todo...)
	}
	return filepath.Join(r.Root, filepath.FromSlash(path.Join(done...))), nil
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Open opens a regular file or a directory below the root.
func (r RootFS) Open(name string) (fs.File, error) {
	p, err := r.Resolve(name)
	if err != nil {
		return nil, err
	}
	st, err := os.Lstat(p)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: "/" + name, Err: unwrapPathErr(err)}
	}
	if st.IsDir() {
		return os.Open(p)
	}
	f, err := openRegular(p, "/"+name)
	if err != nil {
		return nil, err
	}
	return &cappedFile{File: f, name: "/" + name, max: r.maxFile(), left: r.maxFile()}, nil
}

func (r RootFS) maxFile() int64 {
	if r.MaxFile > 0 {
		return r.MaxFile
	}
	return maxNodeFile
}

// ReadFile reads a regular file below the root, up to the size cap.
func (r RootFS) ReadFile(name string) ([]byte, error) {
	f, err := r.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, ok := f.(*cappedFile); !ok {
		return nil, fmt.Errorf("/%s: a directory, not a regular file", name)
	}
	return io.ReadAll(f)
}

// ReadDir lists a directory below the root; its entries are not followed.
func (r RootFS) ReadDir(name string) ([]fs.DirEntry, error) {
	p, err := r.Resolve(name)
	if err != nil {
		return nil, err
	}
	return os.ReadDir(p)
}

// Stat describes what name resolves to inside the root.
func (r RootFS) Stat(name string) (fs.FileInfo, error) {
	p, err := r.Resolve(name)
	if err != nil {
		return nil, err
	}
	return os.Lstat(p)
}

// Readlink is the target of the symlink name, its directory resolved inside the root.
func (r RootFS) Readlink(name string) (string, error) {
	dir, err := r.Resolve(path.Dir(name))
	if err != nil {
		return "", err
	}
	return os.Readlink(filepath.Join(dir, path.Base(name)))
}

// cappedFile is a regular file of the root read through the size cap: past it, a read
// fails, naming the file, instead of reading on.
type cappedFile struct {
	*os.File
	name      string
	max, left int64
}

func (c *cappedFile) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, c.over()
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1] // one byte past the cap tells a file of exactly the cap from a longer one
	}
	n, err := c.File.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n - 1, c.over()
	}
	return n, err
}

func (c *cappedFile) over() error {
	return fmt.Errorf("%s: larger than %d bytes, the cap on a file of the node's state: not read", c.name, c.max)
}
