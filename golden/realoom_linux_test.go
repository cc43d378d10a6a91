package golden

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// realOOMEnv opts in to the tests that provoke real OOM kills. They create cgroups, so they
// never run by default: go test on a real Kubernetes node must leave its cgroups alone.
const realOOMEnv = "CORONER_REAL_OOM"

// testParent is the cgroup of our own that the tests' kubepods tree lives in. The kernel then
// prints /coroner-test/kubepods/burstable/pod…/…, a nested path as a kind node's kubelet
// makes, and the node's own /kubepods (which the kubelet owns) is never touched.
const testParent = "coroner-test"

// TestRealMemcgOOM provokes a real memcg OOM in a kubepods-style cgroup with a 32 MiB limit
// below a parent of its own, reads the kernel's report from /dev/kmsg and checks what
// coroner makes of it. It runs only as root with CORONER_REAL_OOM=1.
func TestRealMemcgOOM(t *testing.T) {
	tree := requireRealOOM(t)
	dir := t.TempDir()
	// A raw non-blocking fd: os.File would park a read of it in the poller instead of
	// returning EAGAIN at the end of the buffer.
	kmsg, err := syscall.Open("/dev/kmsg", syscall.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatalf("cannot read /dev/kmsg: %v", err)
	}
	defer syscall.Close(kmsg)
	if _, err := syscall.Seek(kmsg, 0, 2); err != nil { // only records written from now on
		t.Fatal(err)
	}
	oom := provokeMemcgOOM(t, tree, dir)
	bootTime := oom.killedAt.Add(-uptime(t))

	records := readKmsg(t, kmsg)
	if !bytes.Contains(records, []byte("oom_memcg="+oom.cgroup)) {
		t.Fatalf("the kernel's report does not name the nested cgroup %s:\n%s", oom.cgroup, records)
	}
	log := filepath.Join(dir, "kmsg.txt")
	if err := os.WriteFile(log, records, 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runCoroner(t, dir, []string{"analyze", "--format", "json",
		"--boot-time", bootTime.UTC().Format(time.RFC3339Nano), "kmsg.txt"})
	if code != 0 {
		t.Fatalf("coroner exited %d: %s", code, stderr)
	}
	checkRealDeath(t, out, oom)
}

// TestRealNode provokes a real memcg OOM and runs `coroner node` on this machine: it must
// find the death in the live kernel ring buffer, with the wall-clock time within a second.
func TestRealNode(t *testing.T) {
	tree := requireRealOOM(t)
	dir := t.TempDir()
	oom := provokeMemcgOOM(t, tree, dir)
	out, stderr, code := runCoroner(t, dir, []string{"node", "--format", "json", "--since", "2m"})
	if code != 0 {
		t.Fatalf("coroner node exited %d: %s", code, stderr)
	}
	checkRealDeath(t, out, oom)
}

// cgroupTree is the memory cgroup hierarchy of this machine.
type cgroupTree struct {
	mount string // /sys/fs/cgroup/memory (v1) or /sys/fs/cgroup (v2)
	v2    bool
}

func (c cgroupTree) limitFile() string {
	if c.v2 {
		return "memory.max"
	}
	return "memory.limit_in_bytes"
}

// requireRealOOM skips unless the real-OOM tests were asked for, and fails when they were
// asked for but cannot run: CI sets the variable, and a skip there would hide the test.
func requireRealOOM(t *testing.T) cgroupTree {
	t.Helper()
	if os.Getenv(realOOMEnv) != "1" {
		t.Skipf("set %s=1 (as root on Linux) to provoke a real memcg OOM in /sys/fs/cgroup/…/%s/kubepods", realOOMEnv, testParent)
	}
	if os.Geteuid() != 0 {
		t.Fatalf("%s=1 needs root, to create memory cgroups and read /dev/kmsg", realOOMEnv)
	}
	if _, err := os.Stat("/sys/fs/cgroup/memory/memory.limit_in_bytes"); err == nil {
		return cgroupTree{mount: "/sys/fs/cgroup/memory"}
	}
	const v2 = "/sys/fs/cgroup"
	if !strings.Contains(firstLine(t, filepath.Join(v2, "cgroup.controllers")), "memory") {
		t.Fatalf("%s=1 but no memory cgroup controller: neither cgroup v1 at /sys/fs/cgroup/memory nor v2 at %s", realOOMEnv, v2)
	}
	// The root's controllers are the host's to enable; we only enable them in our own cgroups.
	if !strings.Contains(firstLine(t, filepath.Join(v2, "cgroup.subtree_control")), "memory") {
		t.Fatalf("%s=1 but the memory controller is not enabled for the root's children (%s/cgroup.subtree_control)", realOOMEnv, v2)
	}
	return cgroupTree{mount: v2, v2: true}
}

func firstLine(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return line
}

// realOOM is what really happened in a provoked OOM.
type realOOM struct {
	podUID, containerID string
	cgroup              string // the container's cgroup as the kernel prints it
	pid                 int
	killedAt            time.Time
}

// provokeMemcgOOM runs our allocator in a new kubepods-style container cgroup with a
// 32 MiB limit (pod 64 MiB, our parent 128 MiB, so nothing can reach the host's memory)
// until the kernel kills it, and removes the cgroups afterwards.
func provokeMemcgOOM(t *testing.T, tree cgroupTree, dir string) realOOM {
	t.Helper()
	memhog := filepath.Join(dir, "memhog")
	if out, err := exec.Command("go", "build", "-o", memhog, "./lab/memhog").CombinedOutput(); err != nil {
		t.Fatalf("building memhog: %v\n%s", err, out)
	}
	oom := realOOM{podUID: newUUID(t), containerID: randomHex(t, 32)}
	oom.cgroup = "/" + testParent + "/kubepods/burstable/pod" + oom.podUID + "/" + oom.containerID
	parent := filepath.Join(tree.mount, testParent)
	podDir := filepath.Join(tree.mount, filepath.Dir(oom.cgroup))
	ctrDir := filepath.Join(tree.mount, oom.cgroup)
	makeCgroup(t, tree, parent, 128<<20)
	makeCgroup(t, tree, podDir, 64<<20)
	makeCgroup(t, tree, ctrDir, 32<<20)
	cmd := exec.Command("sh", "-c", `echo $$ > "$1/cgroup.procs" && exec "$2" -mb 100`, "sh", ctrDir, memhog)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	oom.pid = cmd.Process.Pid
	err := cmd.Wait()
	oom.killedAt = time.Now()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("memhog was not killed by SIGKILL: %v", err)
	}
	return oom
}

func checkRealDeath(t *testing.T, out string, oom realOOM) {
	t.Helper()
	var rep struct {
		Deaths []struct {
			PodUID, QoS, ContainerID, Cgroup, Mechanism, LimitScope, Confidence string
			Time                                                                *time.Time
			Victim                                                              struct {
				PID     int
				Process string
			}
			Memory struct{ LimitKiB, UsageKiB int64 }
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	var found []int
	for i, d := range rep.Deaths {
		if d.ContainerID == oom.containerID {
			found = append(found, i)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want 1 death in container %s, got %d:\n%s", oom.containerID, len(found), out)
	}
	d := rep.Deaths[found[0]]
	got := fmt.Sprintf("%s %s %s %s/%s %d %s %d", d.PodUID, d.QoS, d.ContainerID, d.Mechanism, d.LimitScope, d.Victim.PID, d.Victim.Process, d.Memory.LimitKiB)
	want := fmt.Sprintf("%s burstable %s cgroup-oom/container %d memhog 32768", oom.podUID, oom.containerID, oom.pid)
	if got != want {
		t.Errorf("death:\n got %s\nwant %s\n%s", got, want, out)
	}
	if d.Cgroup != oom.cgroup {
		t.Errorf("cgroup %q, want the nested path the kernel printed, %q", d.Cgroup, oom.cgroup)
	}
	if d.Time == nil || math.Abs(d.Time.Sub(oom.killedAt).Seconds()) > 1 {
		t.Errorf("death time %v, want within a second of %v", d.Time, oom.killedAt.UTC())
	}
}

// makeCgroup creates dir and its missing parents below the mount, removing only what it
// created, and sets dir's memory limit. On v2 a cgroup's memory files exist only when its
// parent enables the controller for its children, which we do in cgroups of our own only.
func makeCgroup(t *testing.T, tree cgroupTree, dir string, limit int64) {
	t.Helper()
	if rel, err := filepath.Rel(filepath.Join(tree.mount, testParent), dir); err != nil || strings.HasPrefix(rel, "..") {
		t.Fatalf("refusing to create %s: outside our own %s", dir, testParent)
	}
	var created []string
	for p := dir; p != tree.mount; p = filepath.Dir(p) {
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			created = append([]string{p}, created...)
		}
	}
	for _, p := range created {
		if tree.v2 && filepath.Dir(p) != tree.mount {
			enableMemory(t, filepath.Dir(p))
		}
		if err := os.Mkdir(p, 0o755); err != nil {
			t.Fatal(err)
		}
		p := p
		t.Cleanup(func() { removeCgroup(t, p) })
	}
	if err := os.WriteFile(filepath.Join(dir, tree.limitFile()), []byte(strconv.FormatInt(limit, 10)), 0o644); err != nil {
		t.Fatal(err)
	}
	if tree.v2 { // a limit hit must kill, not swap
		if err := os.WriteFile(filepath.Join(dir, "memory.swap.max"), []byte("0"), 0o644); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
	}
}

// enableMemory lets the children of one of our v2 cgroups have memory limits.
func enableMemory(t *testing.T, dir string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "cgroup.subtree_control"), []byte("+memory"), 0o644); err != nil {
		t.Fatalf("enabling the memory controller below %s: %v", dir, err)
	}
}

// removeCgroup retries briefly: a killed task leaves its cgroup a moment after wait returns.
func removeCgroup(t *testing.T, dir string) {
	for i := 0; i < 50; i++ {
		if err := os.Remove(dir); err == nil || errors.Is(err, os.ErrNotExist) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("could not remove cgroup %s", dir)
}

// readKmsg reads the records available now; each read returns one record.
func readKmsg(t *testing.T, fd int) []byte {
	t.Helper()
	var out bytes.Buffer
	buf := make([]byte, 8192)
	for {
		n, err := syscall.Read(fd, buf)
		if n > 0 {
			out.Write(buf[:n])
			if buf[n-1] != '\n' {
				out.WriteByte('\n')
			}
		}
		switch {
		case errors.Is(err, syscall.EAGAIN):
			return out.Bytes()
		case errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.EINTR):
			continue // records were overwritten while we read; go on with the next
		case err != nil:
			t.Fatalf("reading /dev/kmsg: %v", err)
		case n == 0:
			return out.Bytes()
		}
	}
}

func uptime(t *testing.T) time.Duration {
	t.Helper()
	b, err := os.ReadFile("/proc/uptime")
	if err != nil {
		t.Fatal(err)
	}
	secs, err := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	if err != nil {
		t.Fatal(err)
	}
	return time.Duration(secs * float64(time.Second))
}

func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func newUUID(t *testing.T) string {
	h := randomHex(t, 16)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
