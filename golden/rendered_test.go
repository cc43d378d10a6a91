package golden

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rendered are real captures printed the way other tools' output modes would print the same
// records (golden/lab/render): the inputs of the golden cases for those modes. Each is
// checked against the renderer, so a file in testdata/rendered always is what its command
// prints from the capture; -update rewrites them.
var rendered = []struct {
	file string
	args []string
}{
	{"cgroupfs-burstable/dmesg-H-color.txt", []string{"dmesg-reltime", "-color", "-boot", "1795804050.697759", "testdata/real/cgroupfs-burstable/kmsg.txt"}},
	{"v2-oom-group/dmesg-e.txt", []string{"dmesg-reltime", "-boot", "1795806401.650781", "testdata/real/v2-oom-group/kmsg.txt"}},
	{"journal-systemd-containerd/journal-k-verbose.txt", []string{"journal", "-mode", "verbose", "testdata/real/journal-systemd-containerd/journal-k-export.txt"}},
	{"journal-systemd-containerd/journal-k-verbose-reverse.txt", []string{"journal", "-mode", "verbose", "-reverse", "testdata/real/journal-systemd-containerd/journal-k-export.txt"}},
	{"journal-systemd-containerd/journal-k-cat.txt", []string{"journal", "-mode", "cat", "testdata/real/journal-systemd-containerd/journal-k-export.txt"}},
	{"journal-systemd-containerd/journal-k-short-full.txt", []string{"journal", "-mode", "short-full", "testdata/real/journal-systemd-containerd/journal-k-export.txt"}},
	{"journal-systemd-containerd/journal-k-short-reverse.txt", []string{"reverse", "testdata/real/journal-systemd-containerd/journal-k-short.txt"}},
	{"journal-systemd-containerd/journal-k-json-reverse.txt", []string{"reverse", "testdata/real/journal-systemd-containerd/journal-k-json.txt"}},
	{"journal-systemd-containerd/journal-k-short-pager160.txt", []string{"ellipsize", "-columns", "160", "testdata/real/journal-systemd-containerd/journal-k-short.txt"}},
	{"journal-systemd-containerd/journal-k-short-fenced.txt", []string{"paste", "-style", "fence", "-prompt", "core@node1:~$ journalctl -k --no-pager | grep -B1 -A80 'invoked oom-killer'", "testdata/real/journal-systemd-containerd/journal-k-short.txt"}},
	{"v2-oom-group/dmesg-double-spaced.txt", []string{"paste", "-style", "double", "testdata/real/v2-oom-group/dmesg.txt"}},
	{"cgroupfs-burstable/dmesg-editor100.txt", []string{"paste", "-style", "editor", "-columns", "100", "testdata/real/cgroupfs-burstable/dmesg.txt"}},
	{"excerpts/rhel7-3.10-dmesg-T-kubepods-k8s-56891-a-quoted.txt", []string{"paste", "-style", "quote", "../testdata/excerpts/rhel7-3.10-dmesg-T-kubepods-k8s-56891-a.log"}},
	{"excerpts/kernel-5.0-transitional-memcg-syslog-pharos-1508-requoted.txt", []string{"paste", "-style", "requote", "../testdata/excerpts/kernel-5.0-transitional-memcg-syslog-pharos-1508.log"}},
	{"excerpts/syslog-3.10-pod-limit-hierarchy-kubeasz-556-terminal120.txt", []string{"paste", "-style", "terminal", "-columns", "120", "../testdata/excerpts/syslog-3.10-pod-limit-hierarchy-kubeasz-556.log"}},
}

func TestRendered(t *testing.T) {
	render := filepath.Join(t.TempDir(), "render")
	if out, err := exec.Command("go", "build", "-o", render, "./lab/render").CombinedOutput(); err != nil {
		t.Fatalf("building the renderer: %v\n%s", err, out)
	}
	for _, r := range rendered {
		got, err := exec.Command(render, r.args...).Output()
		if err != nil {
			t.Fatalf("render %v: %v", r.args, err)
		}
		path := filepath.Join("testdata/rendered", r.file)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s is not what render %v prints (-file +render):\n%s", path, r.args, diff)
		}
	}
}
