package golden

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// truth is the part of a lab scenario's truth.json (written by golden/lab) that the reports
// are checked against: what the lab set up and what the kernel really did.
type truth struct {
	Scenario   string     `json:"scenario"`
	Pod        *truthPod  `json:"pod"`  // scenarios with one pod
	Pods       []truthPod `json:"pods"` // the qemu lab lists every pod
	Containers []struct {
		Name   string `json:"name"`
		ID     string `json:"id"`
		PodUID string `json:"pod_uid"`
		Limit  *int64 `json:"limit_in_bytes"`
	} `json:"containers"`
	Processes []struct {
		PID   int `json:"pid"`
		Death struct {
			Realtime string `json:"realtime"`
		} `json:"death_observed_clocks"`
	} `json:"processes"`
	KilledPIDs []int `json:"killed_pids_in_order"`
	// KillLinePIDs is the order of the kernel's kill lines (qemu lab): group kills die within
	// milliseconds, faster than the lab's poll can order them.
	KillLinePIDs []int `json:"kernel_kill_line_pids"`
	Kills        []struct {
		PID       int    `json:"pid"`
		Container string `json:"container"`
		PodUID    string `json:"pod_uid"`
	} `json:"kills"`
	BootWall string `json:"boot_wall_from_clocks"`
}

type truthPod struct {
	UID   string `json:"uid"`
	QoS   string `json:"qos"`
	Limit *int64 `json:"limit_in_bytes"`
	// KubepodsLimit is a limit on kubepods itself (node allocatable enforcement).
	KubepodsLimit *int64 `json:"kubepods_limit_in_bytes"`
}

// truthReport is the part of coroner's JSON the truth can check.
type truthReport struct {
	Deaths    []death `json:"deaths"`
	HostKills []death `json:"hostKills"`
}

type death struct {
	PodUID, QoS, ContainerID, Mechanism string
	Time                                *time.Time
	LimitScope                          string
	Victims                             []struct{ PID int }
	Memory                              *struct{ LimitKiB int64 }
}

// TestLabTruth runs coroner on every capture of every lab scenario and checks the deaths
// against what the lab recorded, not against coroner's own earlier output: who was killed,
// in which pod and container, under which limit and when.
func TestLabTruth(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/real/*/truth.json")
	if len(dirs) == 0 {
		t.Fatal("no lab scenarios found")
	}
	for _, tf := range dirs {
		var tr truth
		b, err := os.ReadFile(tf)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &tr); err != nil {
			t.Fatalf("%s: %v", tf, err)
		}
		dir := filepath.Dir(tf)
		captures, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
		for _, capturePath := range captures {
			capture := filepath.Base(capturePath)
			t.Run(tr.Scenario+"/"+capture, func(t *testing.T) {
				path, err := filepath.Abs(capturePath)
				if err != nil {
					t.Fatal(err)
				}
				args := []string{"analyze", "--format", "json", path}
				if bootRelative[capture] {
					args = append(args, "--boot-time", unixToRFC3339(t, tr.BootWall))
				}
				out, stderr, code := runCoroner(t, t.TempDir(), args)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				var rep truthReport
				if err := json.Unmarshal([]byte(out), &rep); err != nil {
					t.Fatal(err)
				}
				checkTruth(t, &tr, &rep, timeSlack(capture))
			})
		}
	}
}

// bootRelative captures have no wall clock: the lab's boot time is passed with --boot-time.
var bootRelative = map[string]bool{"dmesg.txt": true, "dmesg-r.txt": true, "kmsg.txt": true,
	"journal-k-short-monotonic.txt": true}

// timeSlack is how far a capture's stamps may be from the observed death, in seconds.
func timeSlack(capture string) float64 {
	switch capture {
	case "dmesg-T.txt", "dmesg-iso.txt":
		// util-linux adds printk time to a boot time it derives in whole seconds: on the lab
		// VM these stamps ran ~0.7 s early, and -T prints whole seconds.
		return 2
	case "journal-k-short.txt", "journal-k-short-iso.txt":
		return 1.5 // whole seconds
	}
	return 0.5
}

func checkTruth(t *testing.T, tr *truth, rep *truthReport, slack float64) {
	t.Helper()
	byPID := map[int]death{}
	var got []int
	for _, list := range [][]death{rep.Deaths, rep.HostKills} {
		for _, d := range list {
			for _, v := range d.Victims {
				byPID[v.PID] = d
				got = append(got, v.PID)
			}
		}
	}
	if want := tr.order(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("victims %v, truth %v", got, want)
	}
	wantMech := "cgroup-oom"
	if strings.HasPrefix(tr.Scenario, "global-") {
		wantMech = "kernel-oom"
	}
	for _, k := range tr.Kills {
		d := byPID[k.PID]
		pod := tr.pod(k.PodUID)
		ctr := tr.container(k.Container)
		if d.PodUID != pod.UID || d.QoS != pod.QoS || d.ContainerID != ctr || d.Mechanism != wantMech {
			t.Errorf("pid %d: pod %s qos %s container %s %s; truth pod %s qos %s container %s %s",
				k.PID, d.PodUID, d.QoS, d.ContainerID, d.Mechanism, pod.UID, pod.QoS, ctr, wantMech)
		}
		if want := tr.limitKiB(pod, k.Container); wantMech == "cgroup-oom" && (d.Memory == nil || d.Memory.LimitKiB != want) {
			t.Errorf("pid %d: limit %+v, truth %d KiB", k.PID, d.Memory, want)
		}
		if want := tr.scope(pod, k.Container); wantMech == "cgroup-oom" && d.LimitScope != want {
			t.Errorf("pid %d: limit scope %q, truth %q", k.PID, d.LimitScope, want)
		}
		if when := tr.deathTime(k.PID); d.Time == nil || math.Abs(d.Time.Sub(when).Seconds()) > slack {
			t.Errorf("pid %d: time %v, truth %v (±%.1fs)", k.PID, d.Time, when, slack)
		}
	}
}

func (tr *truth) container(name string) string {
	for _, c := range tr.Containers {
		if c.Name == name {
			return c.ID
		}
	}
	return ""
}

// order is the victims in the order the kernel killed them, each once.
func (tr *truth) order() []int {
	if len(tr.KillLinePIDs) == 0 {
		return tr.KilledPIDs
	}
	var out []int
	seen := map[int]bool{}
	for _, pid := range tr.KillLinePIDs {
		if !seen[pid] {
			seen[pid] = true
			out = append(out, pid)
		}
	}
	return out
}

// pod is the pod of a kill: named by the kill in multi-pod scenarios, else the only one.
func (tr *truth) pod(uid string) truthPod {
	for _, p := range tr.Pods {
		if p.UID == uid {
			return p
		}
	}
	if tr.Pod != nil {
		return *tr.Pod
	}
	return truthPod{}
}

// limitKiB is the limit that bites first: the smallest of the container's, the pod's and
// kubepods'.
func (tr *truth) limitKiB(pod truthPod, name string) int64 {
	limit, _ := tr.biting(pod, name)
	return limit >> 10
}

// scope is the level of the limit that bites first, as coroner names it.
func (tr *truth) scope(pod truthPod, name string) string {
	_, scope := tr.biting(pod, name)
	return scope
}

func (tr *truth) biting(pod truthPod, name string) (int64, string) {
	limit, scope := int64(math.MaxInt64), ""
	if pod.KubepodsLimit != nil {
		limit, scope = *pod.KubepodsLimit, "allocatable"
	}
	if pod.Limit != nil && *pod.Limit < limit {
		limit, scope = *pod.Limit, "pod"
	}
	for _, c := range tr.Containers {
		if c.Name == name && c.Limit != nil && *c.Limit < limit {
			limit, scope = *c.Limit, "container"
		}
	}
	return limit, scope
}

func (tr *truth) deathTime(pid int) time.Time {
	for _, p := range tr.Processes {
		if p.PID == pid {
			return unixTime(p.Death.Realtime)
		}
	}
	return time.Time{}
}

func unixTime(s string) time.Time {
	f, _ := strconv.ParseFloat(s, 64)
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}

func unixToRFC3339(t *testing.T, s string) string {
	t.Helper()
	if s == "" {
		t.Fatal("truth.json has no boot_wall_from_clocks")
	}
	return unixTime(s).Format(time.RFC3339Nano)
}
