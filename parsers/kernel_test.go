package parsers

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/k8s-coroner/coroner/sources"
)

// parseText runs the pipeline over text and returns the events and the input's result.
func parseText(t *testing.T, text string) ([]Event, *InputResult) {
	t.Helper()
	in := &sources.Input{Name: "t", Records: sources.Lines(strings.NewReader(text))}
	var events []Event
	res := ParseInput(in, Options{Clock: Clock{Year: 2025}}, func(e Event) { events = append(events, e) })
	return events, res
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func onlyOOM(t *testing.T, events []Event) *KernelOOM {
	t.Helper()
	if len(events) != 1 {
		t.Fatalf("got %d events, want 1: %#v", len(events), events)
	}
	o, ok := events[0].(*KernelOOM)
	if !ok {
		t.Fatalf("got %T, want *KernelOOM", events[0])
	}
	return o
}

// TestKernelLabReport checks every field of a real 6.18 memcg report (golden/lab scenario
// cgroupfs-burstable), including the rss_anon/rss_file/rss_shmem task table of 6.x.
func TestKernelLabReport(t *testing.T) {
	events, _ := parseText(t, readFile(t, "../golden/testdata/real/cgroupfs-burstable/dmesg.txt"))
	o := onlyOOM(t, events)
	const path = "/kubepods/burstable/pod5cdfa62e-2f90-4e7e-b3de-d2d6168860d8/765a2080b8a836f4d9a775daa117c570805a397b0072e8e54be82406d693fbca"
	adj := 0
	want := KernelOOM{
		Trigger:    &OOMTrigger{Comm: "memhog", GFPMask: "0xcc0", GFPFlags: "GFP_KERNEL"},
		Constraint: "CONSTRAINT_MEMCG", OOMMemcg: path, TaskMemcg: path,
		Memory:   &MemCounter{UsageKiB: 32768, LimitKiB: 32768, Failcnt: 632},
		MemSwap:  &MemCounter{UsageKiB: 32768, LimitKiB: 9007199254740988},
		Kmem:     &MemCounter{UsageKiB: 240, LimitKiB: 9007199254740988},
		StatsFor: []string{path},
		Tasks: []TaskRow{{PID: 14068, UID: 0, TGID: 14068, TotalVMPages: 314991, RSSPages: 8332,
			PgtablesBytes: 151552, SwapEnts: 0, OOMScoreAdj: 0, Name: "memhog"}},
		Kills: []Kill{{Reason: "Memory cgroup out of memory", PID: 14068, Comm: "memhog", TotalVMKiB: 1259964,
			AnonRSSKiB: 32384, FileRSSKiB: 944, ShmemRSSKiB: 0, UID: 0, OOMScoreAdj: &adj}},
	}
	got := *o
	got.Lines = nil
	for i := range got.Kills {
		got.Kills[i].Evidence = Evidence{}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("report mismatch (-want +got):\n%s", diff)
	}
	var roles []string
	for _, l := range o.Lines {
		roles = append(roles, l.Role)
	}
	wantRoles := []string{"header", "memcg-usage", "memcg-usage", "memcg-usage", "memcg-stats", "victim-task", "summary", "kill"}
	if diff := cmp.Diff(wantRoles, roles); diff != "" {
		t.Errorf("evidence roles mismatch (-want +got):\n%s", diff)
	}
}

func TestKernelAssembly(t *testing.T) {
	header := "[  100.000001] app invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
	summary := "[  100.000300] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/kubepods/x,task_memcg=/kubepods/x,task=app,pid=42,uid=0\n"
	kill := "[  100.000400] Memory cgroup out of memory: Killed process 42 (app) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:12kB oom_score_adj:0\n"
	tests := []struct {
		reason string
		text   string
		want   []string // event kinds with kill pids, e.g. "oom 42", "incomplete"
	}{
		{"a complete report is one event", header + summary + kill, []string{"oom 42"}},
		{"other subsystems' lines inside a report do not break it",
			header + "[  100.000100] audit: type=1400 apparmor=\"DENIED\"\n[  100.000200] eth0: link up\n" + summary + kill,
			[]string{"oom 42"}},
		{"a kill line alone (rate-limited header) is still a kill", kill, []string{"oom 42 rate-limited"}},
		{"a header whose kill never comes is incomplete", header, []string{"incomplete"}},
		{"a second header before the kill closes the first as incomplete", header + header + summary + kill,
			[]string{"incomplete", "oom 42"}},
		{"a kill more than a minute after the header is not its kill",
			header + "[  200.000000] Memory cgroup out of memory: Killed process 43 (app) total-vm:1000kB, anon-rss:900kB, file-rss:0kB\n",
			[]string{"incomplete", "oom 43 rate-limited"}},
		{"two kills without a group line are two reports", header + summary + kill +
			"[  100.000500] Memory cgroup out of memory: Killed process 44 (app) total-vm:1000kB, anon-rss:900kB, file-rss:0kB\n",
			[]string{"oom 42", "oom 44 rate-limited"}},
		{"memory.oom.group kills belong to one report", header + summary + kill +
			"[  100.000450] Tasks in /kubepods/x are going to be killed due to memory.oom.group set\n" +
			"[  100.000500] Memory cgroup out of memory: Killed process 44 (sidecar) total-vm:1000kB, anon-rss:900kB, file-rss:0kB\n",
			[]string{"oom 42,44"}},
		{"pre-5.1: the victim is the killed child, not the selected parent",
			"[  100.000001] app invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0\n" +
				"[  100.000300] Memory cgroup out of memory: Kill process 40 (sh) score 900 or sacrifice child\n" +
				"[  100.000400] Killed process 42 (app) total-vm:1000kB, anon-rss:900kB, file-rss:0kB\n",
			[]string{"oom 42"}},
		{"lines padded with trailing spaces (pasted from a terminal, jetstack/navigator#297) still read",
			"[  100.000001] app invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0   \n" +
				"[  100.000300] Task in /kubepods/x/y killed as a result of limit of /kubepods/x/y    \n" +
				"[  100.000400] Killed process 42 (app) total-vm:1000kB, anon-rss:900kB, file-rss:0kB      \n",
			[]string{"oom 42 task_memcg=/kubepods/x/y"}},
		{"a reboot (the boot clock going back) ends an open report", header + "[    0.000000] Linux version 6.1\n",
			[]string{"incomplete"}},
	}
	for _, tt := range tests {
		events, _ := parseText(t, tt.text)
		var got []string
		for _, e := range events {
			switch e := e.(type) {
			case *KernelOOM:
				var pids []string
				for _, k := range e.Kills {
					pids = append(pids, strconv.Itoa(k.PID))
				}
				s := "oom " + strings.Join(pids, ",")
				if e.Trigger == nil {
					s += " rate-limited"
				}
				if e.OOMMemcg == "/kubepods/x/y" {
					s += " task_memcg=" + e.TaskMemcg
				}
				got = append(got, s)
			case *IncompleteOOM:
				got = append(got, "incomplete")
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: events mismatch (-want +got):\n%s", tt.reason, diff)
		}
	}
}

// TestKernelHostsInterleaved feeds two hosts' reports line by line alternated, as a central
// syslog server writes them.
func TestKernelHostsInterleaved(t *testing.T) {
	a := []string{
		"Mar 29 14:48:51 node-a kernel: app invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		"Mar 29 14:48:51 node-a kernel: oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/kubepods/besteffort/pod1,task=app,pid=1,uid=0",
		"Mar 29 14:48:51 node-a kernel: Out of memory: Killed process 1 (app) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB",
	}
	b := []string{
		"Mar 29 14:48:51 node-b kernel: db invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		"Mar 29 14:48:51 node-b kernel: oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/x,task_memcg=/x,task=db,pid=2,uid=0",
		"Mar 29 14:48:51 node-b kernel: Memory cgroup out of memory: Killed process 2 (db) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB",
	}
	var lines []string
	for i := range a {
		lines = append(lines, a[i], b[i])
	}
	events, _ := parseText(t, strings.Join(lines, "\n"))
	got := map[string]string{}
	for _, e := range events {
		o := e.(*KernelOOM)
		got[o.Host] = o.Trigger.Comm + "/" + o.Constraint + "/" + o.Kills[0].Comm
	}
	want := map[string]string{"node-a": "app/CONSTRAINT_NONE/app", "node-b": "db/CONSTRAINT_MEMCG/db"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("per-host reports mismatch (-want +got):\n%s", diff)
	}
}

func TestPipelineWarnings(t *testing.T) {
	long := "[    1.000000] " + strings.Repeat("x", sources.MaxLineBytes+10)
	text := "[    0.500000] ok\n" + long + "\n\x00\x01\x02\n\x00\n[    2.000000] fine\n"
	_, res := parseText(t, text)
	want := []Warning{
		{Line: 2, Message: "line of 65561 bytes cut to its first 65536"},
		{Line: 3, Message: "binary data skipped (lines 3-4)"},
	}
	if diff := cmp.Diff(want, res.Warnings); diff != "" {
		t.Errorf("warnings mismatch (-want +got):\n%s", diff)
	}
	if res.Kind != "dmesg" || res.Lines != 5 {
		t.Errorf("kind %q lines %d, want dmesg and 5", res.Kind, res.Lines)
	}
}

func TestPrefilter(t *testing.T) {
	var all []string
	for _, s := range Registry {
		all = append(all, s.Triggers...)
	}
	p := newPrefilter(all)
	for _, trig := range all {
		for _, line := range []string{trig, "x " + trig + " y", trig + trig[:1]} {
			if !p.match([]byte(line)) {
				t.Errorf("trigger %q not matched in %q", trig, line)
			}
		}
		// Every strict part of a trigger must not match on its own.
		if p.match([]byte(trig[1:])) && !containsAnyTrigger(trig[1:], all) {
			t.Errorf("%q matched without a whole trigger", trig[1:])
		}
	}
	for _, line := range []string{"Mar 29 kubelet[1]: will fill the room with memory", "", "oo", "Kil"} {
		if p.match([]byte(line)) {
			t.Errorf("%q matched, but holds no trigger", line)
		}
	}
}

func containsAnyTrigger(s string, triggers []string) bool {
	for _, t := range triggers {
		if strings.Contains(s, t) {
			return true
		}
	}
	return false
}
