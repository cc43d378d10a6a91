package sources

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// deniedFS is a directory tree in which one directory cannot be listed: what chmod 000 does,
// which a test run as root (CI's) cannot make.
type deniedFS struct {
	fs.FS
	denied string
}

func (d deniedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == d.denied {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return fs.ReadDir(d.FS, name)
}

// A directory that cannot be listed, beside a good log: the log is read, the directory is
// named in a warning and the result is said to be partial. It used to be a warning only, and
// the run exited 0.
func TestUnreadableDirectoryBesideGoodFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs")
	os.MkdirAll(filepath.Join(dir, "secret"), 0o755)
	os.WriteFile(filepath.Join(dir, "secret/kern.log"), []byte(killLine), 0o644)
	os.WriteFile(filepath.Join(dir, "kern.log"), []byte(killLine), 0o644)
	for _, real := range []bool{false, true} {
		f := &Files{Paths: []string{dir}}
		if real {
			if os.Geteuid() == 0 {
				continue // root reads whatever the mode says
			}
			os.Chmod(filepath.Join(dir, "secret"), 0)
			t.Cleanup(func() { os.Chmod(filepath.Join(dir, "secret"), 0o755) })
		} else {
			f.listDir = func(root string) fs.FS { return deniedFS{os.DirFS(root), "secret"} }
		}
		names, warnings := readAllInputs(t, f)
		want := filepath.Join(dir, "secret") + ": cannot be read: "
		if len(names) != 1 || !strings.HasSuffix(names[0], ":kern.log") {
			t.Errorf("real %v: inputs %q, want the good kern.log", real, names)
		}
		if !anyContains(warnings, want) || !anyContains(f.Incomplete(), want) || !anyContains(f.Incomplete(), "permission denied") {
			t.Errorf("real %v: warnings %q, incomplete %q: want %q in both", real, warnings, f.Incomplete(), want)
		}
	}
}
