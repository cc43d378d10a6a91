//go:build unix

package sources

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// inputErrors reads every input of paths without reading their records, and returns the
// errors by input name.
func inputErrors(t *testing.T, f *Files) map[string]error {
	errs := map[string]error{}
	hangGuard(t, "reading the inputs", func() {
		for in, err := range f.Inputs() {
			errs[in.Name] = err
		}
	})
	return errs
}

// A FIFO or a device named as input is refused with its name and what it is, without opening
// it: opening a FIFO for reading waits for a writer, and /dev/zero never ends.
func TestSpecialFilesRefused(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "messages.fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	paths := []string{fifo}
	if _, err := os.Stat("/dev/zero"); err == nil {
		paths = append(paths, "/dev/zero")
	}
	errs := inputErrors(t, &Files{Paths: paths})
	for p, want := range map[string]string{fifo: "a FIFO", "/dev/zero": "a character device"} {
		if p == "/dev/zero" && len(paths) == 1 {
			continue
		}
		err := errs[p]
		if err == nil || !strings.Contains(err.Error(), p+": "+want) || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("%s: error %v, want a refusal naming it as %s", p, err, want)
		}
	}
}

// A FIFO met while walking a directory is not opened and is named in a warning; the logs
// beside it are read.
func TestSpecialFileInDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "messages"), []byte("Nov 27 19:05:40 n1 kernel: hello\n"), 0o644)
	if err := syscall.Mkfifo(filepath.Join(dir, "kmsg.pipe"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	f := &Files{Paths: []string{dir}}
	errs := inputErrors(t, f)
	if err, ok := errs[dir+":messages"]; !ok || err != nil {
		t.Errorf("the good file beside the FIFO: read %v, error %v (inputs %v)", ok, err, errs)
	}
	var warned bool
	for _, a := range f.Archives {
		for _, w := range a.Warnings {
			warned = warned || strings.Contains(w, "kmsg.pipe: a FIFO")
		}
	}
	if !warned {
		t.Errorf("no warning names the FIFO: %+v", f.Archives)
	}
}
