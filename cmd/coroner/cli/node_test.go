package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNodeFakeRoot runs coroner node on a root directory laid out like a node's: /dev/kmsg
// holds the lab's real records (a regular file here), /proc and the kubelet configuration
// are files, journalctl is missing. The deaths are found and what is missing is a warning.
func TestNodeFakeRoot(t *testing.T) {
	root := t.TempDir()
	kmsg, err := os.ReadFile("../../../golden/testdata/real/systemd-crio-besteffort/kmsg.txt")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"dev/kmsg":                    string(kmsg),
		"proc/sys/kernel/hostname":    "node1\n",
		"proc/meminfo":                "MemTotal:       2048000 kB\n",
		"var/lib/kubelet/config.yaml": "kind: KubeletConfiguration\ncgroupDriver: systemd\nevictionHard:\n  memory.available: 100Mi\n",
	}
	for name, data := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, errs, code := runMain(t, "", "node", "--root", root, "--since", "1000000h", "--journal", "no-such-journalctl", "-f", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	checkSchema(t, "coroner node's report", out)
	var rep struct {
		Deaths []struct {
			ContainerID string
			Victim      struct{ PID int }
		}
		Warnings []string
		Node     struct {
			Hostname string
			Kubelet  struct{ EvictionHard map[string]string }
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Deaths) != 1 || rep.Deaths[0].Victim.PID != 15086 {
		t.Errorf("deaths %+v, want the lab's victim 15086", rep.Deaths)
	}
	if rep.Node.Hostname != "node1" || rep.Node.Kubelet.EvictionHard["memory.available"] != "100Mi" {
		t.Errorf("node state %+v", rep.Node)
	}
	if len(rep.Warnings) < 2 { // two journalctl runs missing, no memory cgroups in the fake root
		t.Errorf("want warnings for the missing journalctl and cgroups, got %v", rep.Warnings)
	}
}

// TestNodeLinuxOnly: on another OS coroner node says it is Linux-only and what to do instead,
// rather than failing every source one by one.
func TestNodeLinuxOnly(t *testing.T) {
	if err := linuxOnly("linux"); err != nil {
		t.Errorf("linux refused: %v", err)
	}
	for _, goos := range []string{"darwin", "windows"} {
		err := linuxOnly(goos)
		if err == nil || !strings.Contains(err.Error(), "Linux only (this is "+goos+")") || !strings.Contains(err.Error(), "coroner analyze") {
			t.Errorf("%s: %v, want a Linux-only error naming %s and coroner analyze", goos, err, goos)
		}
	}
}
