package cli

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func tarBytes(t *testing.T, files map[string][]byte) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(body)
	}
	tw.Close()
	return buf.Bytes()
}

// A cap hit is a warning on standard error naming the input, and the exit code says the
// result is partial; what was within the caps is analysed.
func TestLimitHitIsPartial(t *testing.T) {
	report, err := os.ReadFile("../../../golden/testdata/real/cgroupfs-burstable/dmesg.txt")
	if err != nil {
		t.Fatal(err)
	}
	inner := tarBytes(t, map[string][]byte{"var/log/dmesg": report})
	middle := tarBytes(t, map[string][]byte{"inner.tar": inner})
	outer := tarBytes(t, map[string][]byte{"var/log/dmesg": report, "middle.tar": middle})
	p := filepath.Join(t.TempDir(), "nested.tar")
	os.WriteFile(p, outer, 0o644)
	out, errs, code := runMain(t, "", "analyze", "--max-depth", "1", p)
	if code != exitPartial || !strings.Contains(errs, "coroner: warning: "+p+":middle.tar:inner.tar: not read: an archive 2 archives deep, over the cap (--max-depth 1)") ||
		!strings.Contains(errs, "the result is partial") || !strings.Contains(out, "cgroup-oom") {
		t.Errorf("exit %d, want %d\nstdout: %.300s\nstderr: %s", code, exitPartial, out, errs)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"64GiB": 64 << 30, "64G": 64 << 30, "512MiB": 512 << 20, "1k": 1 << 10, "1048576": 1 << 20, "2TB": 2 << 40} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "lots", "-1G", "0", "1PiB"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) took it", bad)
		}
	}
	if s := formatSize(64 << 30); s != "64GiB" {
		t.Errorf("formatSize: %s", s)
	}
}

// A directory that cannot be listed beside a good log: the log is analysed, the directory
// is named on standard error, and the exit code says the result is partial. (Run as root,
// which reads whatever the mode says, it skips: sources' test stands in a denied directory.)
func TestUnreadableDirectoryIsPartial(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads a directory whatever its mode")
	}
	report, err := os.ReadFile("../../../golden/testdata/real/cgroupfs-burstable/dmesg.txt")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "dmesg.txt"), report, 0o644)
	secret := filepath.Join(dir, "secret")
	os.Mkdir(secret, 0)
	t.Cleanup(func() { os.Chmod(secret, 0o755) })
	out, errs, code := runMain(t, "", "analyze", dir)
	if code != exitPartial || !strings.Contains(errs, "coroner: warning: "+secret+": cannot be read") || !strings.Contains(out, "cgroup-oom") {
		t.Errorf("exit %d, want %d\nstdout: %.300s\nstderr: %s", code, exitPartial, out, errs)
	}
}
