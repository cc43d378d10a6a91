//go:build unix

package sources

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A node root whose etc/timezone is an absolute symlink: it is resolved inside the root,
// never out of it. The file it names outside the root holds a secret, which used to be
// printed in the "time zone unknown" warning.
func TestRootAbsoluteSymlinkStaysInside(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "tz")
	os.WriteFile(outside, []byte("SECRET-not-a-zone\n"), 0o600)
	for _, inside := range []bool{false, true} {
		root := t.TempDir()
		os.MkdirAll(filepath.Join(root, "etc"), 0o755)
		if err := os.Symlink(outside, filepath.Join(root, "etc/timezone")); err != nil {
			t.Fatal(err)
		}
		want := "UTC"
		if inside { // the same absolute path inside the root is what the link names
			os.MkdirAll(filepath.Join(root, filepath.Dir(outside)), 0o755)
			os.WriteFile(filepath.Join(root, outside), []byte("Europe/Berlin\n"), 0o644)
			want = "Europe/Berlin"
		}
		loc, warning := Node{Root: root}.Zone("")
		if loc.String() != want || strings.Contains(warning, "SECRET") {
			t.Errorf("inside %v: zone %s, warning %q; want %s and nothing of the file outside the root", inside, loc, warning, want)
		}
	}
}

// Relative symlinks and ".." stop at the root; a symlink loop is an error, not a hang.
func TestRootResolve(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "var/log"), 0o755)
	os.WriteFile(filepath.Join(root, "etc-passwd"), []byte("inside\n"), 0o644)
	os.Symlink("../../../../../../../etc-passwd", filepath.Join(root, "var/log/up"))
	os.Symlink("/var/log/loop2", filepath.Join(root, "var/log/loop1"))
	os.Symlink("loop1", filepath.Join(root, "var/log/loop2"))
	fsys := RootFS{Root: root}
	if b, err := fsys.ReadFile("var/log/up"); err != nil || string(b) != "inside\n" {
		t.Errorf("a relative link climbing past the root: %q, %v; want the root's etc-passwd", b, err)
	}
	if _, err := fsys.ReadFile("var/log/loop1"); err == nil || !strings.Contains(err.Error(), "too many levels") {
		t.Errorf("a loop: %v", err)
	}
}

// nodeState reads the node's state below root, guarded against a hang.
func nodeState(t *testing.T, fsys RootFS) []string {
	var warns []string
	hangGuard(t, "reading the node's state", func() { _, warns = ReadNodeState(fsys) })
	return warns
}

// The kubelet's config linked to /dev/zero is not read: the link resolves inside the root
// and a device is never opened, where it used to be read until memory ran out. A config
// inside the root that is larger than the cap is refused too.
func TestRootConfigNotRegular(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "var/lib/kubelet"), 0o755)
	os.Symlink("/dev/zero", filepath.Join(root, kubeletConfigPath))
	warns := nodeState(t, RootFS{Root: root})
	if !anyContains(warns, "kubelet configuration: open /var/lib/kubelet/config.yaml: no such file or directory") {
		t.Errorf("warnings %q: want the link resolved inside the root, where nothing is", warns)
	}
	os.Remove(filepath.Join(root, kubeletConfigPath))
	os.WriteFile(filepath.Join(root, kubeletConfigPath), make([]byte, 2<<10), 0o644)
	warns = nodeState(t, RootFS{Root: root, MaxFile: 1 << 10})
	if !anyContains(warns, "/var/lib/kubelet/config.yaml: larger than 1024 bytes") {
		t.Errorf("warnings %q: want the oversized config refused", warns)
	}
}

// A FIFO at proc/meminfo is refused without waiting for a writer, where it used to hang.
func TestRootFIFONotOpened(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "proc"), 0o755)
	if err := syscall.Mkfifo(filepath.Join(root, "proc/meminfo"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	warns := nodeState(t, RootFS{Root: root})
	if !anyContains(warns, "/proc/meminfo: a FIFO, not a regular file") {
		t.Errorf("warnings %q: want the FIFO refused", warns)
	}
}

// The syslog files are found inside the root: var/log/messages linked to an absolute path
// is that path below the root, never this machine's file.
func TestRootLogFilesInside(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "messages")
	os.WriteFile(outside, []byte("outside\n"), 0o644)
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "var/log"), 0o755)
	os.Symlink(outside, filepath.Join(root, "var/log/messages"))
	srcs, _ := Node{Root: root, Since: time.Now(), Journal: "journalctl", LogFiles: []string{"var/log/messages"}}.Sources()
	for _, s := range srcs {
		if f, ok := s.(*Files); ok {
			t.Errorf("files %q read: the link's target is outside the root", f.Paths)
		}
	}
	os.MkdirAll(filepath.Join(root, filepath.Dir(outside)), 0o755)
	os.WriteFile(filepath.Join(root, outside), []byte("inside\n"), 0o644)
	srcs, _ = Node{Root: root, Since: time.Now(), Journal: "journalctl", LogFiles: []string{"var/log/messages"}}.Sources()
	if f, ok := srcs[len(srcs)-1].(*Files); !ok || len(f.Paths) != 1 || f.Paths[0] != filepath.Join(root, outside) {
		t.Errorf("sources %v: want the root's own copy of the link's target", srcs)
	}
}
