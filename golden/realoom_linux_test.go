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
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const memcgRoot = "/sys/fs/cgroup/memory"

// TestRealMemcgOOM provokes a real memcg OOM in a kubepods-style cgroup v1 hierarchy with a
// 32 MiB limit, reads the kernel's report from /dev/kmsg and checks what coroner makes of
// it. It needs root on Linux with the cgroup v1 memory controller, and skips elsewhere.
func TestRealMemcgOOM(t *testing.T) {
	requireMemcgV1(t)
	dir := t.TempDir()
	// A raw non-blocking fd: os.File would park a read of it in the poller instead of
	// returning EAGAIN at the end of the buffer.
	kmsg, err := syscall.Open("/dev/kmsg", syscall.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Skipf("cannot read /dev/kmsg: %v", err)
	}
	defer syscall.Close(kmsg)
	if _, err := syscall.Seek(kmsg, 0, 2); err != nil { // only records written from now on
		t.Fatal(err)
	}
	oom := provokeMemcgOOM(t, dir)
	bootTime := oom.killedAt.Add(-uptime(t))

	log := filepath.Join(dir, "kmsg.txt")
	if err := os.WriteFile(log, readKmsg(t, kmsg), 0o644); err != nil {
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
	requireMemcgV1(t)
	dir := t.TempDir()
	oom := provokeMemcgOOM(t, dir)
	out, stderr, code := runCoroner(t, dir, []string{"node", "--format", "json", "--since", "2m"})
	if code != 0 {
		t.Fatalf("coroner node exited %d: %s", code, stderr)
	}
	checkRealDeath(t, out, oom)
}

func requireMemcgV1(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("needs root on Linux to create a memory cgroup and read /dev/kmsg")
	}
	if _, err := os.Stat(filepath.Join(memcgRoot, "memory.limit_in_bytes")); err != nil {
		t.Skipf("needs the cgroup v1 memory controller at %s: %v", memcgRoot, err)
	}
}

// realOOM is what really happened in a provoked OOM.
type realOOM struct {
	podUID, containerID string
	pid                 int
	killedAt            time.Time
}

// provokeMemcgOOM runs our allocator in a new kubepods-style container cgroup with a
// 32 MiB limit (pod 64 MiB) until the kernel kills it, and removes the cgroups afterwards.
func provokeMemcgOOM(t *testing.T, dir string) realOOM {
	t.Helper()
	memhog := filepath.Join(dir, "memhog")
	if out, err := exec.Command("go", "build", "-o", memhog, "./lab/memhog").CombinedOutput(); err != nil {
		t.Fatalf("building memhog: %v\n%s", err, out)
	}
	oom := realOOM{podUID: newUUID(t), containerID: randomHex(t, 32)}
	podDir := filepath.Join(memcgRoot, "kubepods", "burstable", "pod"+oom.podUID)
	ctrDir := filepath.Join(podDir, oom.containerID)
	makeCgroup(t, podDir, 64<<20)
	makeCgroup(t, ctrDir, 32<<20)
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
			PodUID, QoS, ContainerID, Mechanism, LimitScope, Confidence string
			Time                                                        *time.Time
			Victim                                                      struct {
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
	if d.Time == nil || math.Abs(d.Time.Sub(oom.killedAt).Seconds()) > 1 {
		t.Errorf("death time %v, want within a second of %v", d.Time, oom.killedAt.UTC())
	}
}

func makeCgroup(t *testing.T, dir string, limit int64) {
	t.Helper()
	// Create missing parents (kubepods, burstable) too, and remove only what we created.
	var created []string
	for p := dir; p != memcgRoot; p = filepath.Dir(p) {
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			created = append([]string{p}, created...)
		}
	}
	for _, p := range created {
		if err := os.Mkdir(p, 0o755); err != nil {
			t.Fatal(err)
		}
		p := p
		t.Cleanup(func() { removeCgroup(t, p) })
	}
	if err := os.WriteFile(filepath.Join(dir, "memory.limit_in_bytes"), []byte(strconv.FormatInt(limit, 10)), 0o644); err != nil {
		t.Fatal(err)
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
