package parsers

import (
	"fmt"
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
	cg := CgroupPath{Path: path, PodUID: "5cdfa62e-2f90-4e7e-b3de-d2d6168860d8", QoS: "burstable",
		ContainerID: "765a2080b8a836f4d9a775daa117c570805a397b0072e8e54be82406d693fbca", Driver: "cgroupfs", Level: CgroupContainer}
	want := KernelOOM{
		Trigger:    &OOMTrigger{Comm: "memhog", GFPMask: "0xcc0", GFPFlags: "GFP_KERNEL"},
		Constraint: "CONSTRAINT_MEMCG", OOMMemcg: path, TaskMemcg: path, OOMCgroup: cg, TaskCgroup: cg,
		Memory:   &MemCounter{UsageKiB: 32768, LimitKiB: 32768, Failcnt: 632},
		MemSwap:  &MemCounter{UsageKiB: 32768, LimitKiB: 9007199254740988},
		Kmem:     &MemCounter{UsageKiB: 240, LimitKiB: 9007199254740988},
		StatsFor: []string{path}, StatsCgroups: []CgroupPath{cg}, Stats: &MemcgStats{AnonKiB: 32528, KernelKiB: -1},
		Tasks: []TaskRow{{PID: 14068, UID: 0, TGID: 14068, TotalVMPages: 314991, RSSPages: 8332,
			PgtablesBytes: 151552, SwapEnts: 0, OOMScoreAdj: 0, Name: "memhog"}},
		Summary: &SummaryTask{PID: 14068, Comm: "memhog"},
		Kills: []Kill{{Reason: "Memory cgroup out of memory", PID: 14068, Comm: "memhog", TotalVMKiB: 1259964,
			AnonRSSKiB: 32384, FileRSSKiB: 944, ShmemRSSKiB: 0, UID: 0, OOMScoreAdj: &adj, Sizes: true}},
	}
	got := *o
	got.Lines = nil
	for i := range got.Kills {
		got.Kills[i].Evidence = Evidence{}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("report mismatch (-want +got):\n%s", diff)
	}
	var roles []Role
	for _, l := range o.Lines {
		roles = append(roles, l.Role)
	}
	wantRoles := []Role{"header", "memcg-usage", "memcg-usage", "memcg-usage", "memcg-stats", "victim-task", "summary", "kill"}
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

// TestKernelKillDecisions checks that every line that proves a kill decision makes a report
// on its own, as filtered, wrapped and pasted logs keep them (issue: kernel evidence as users
// have it), and that a header or a dump alone stays incomplete.
func TestKernelKillDecisions(t *testing.T) {
	const cg = "/kubepods/burstable/pod5cdfa62e-2f90-4e7e-b3de-d2d6168860d8/765a2080b8a836f4d9a775daa117c570805a397b0072e8e54be82406d693fbca"
	tests := []struct {
		reason string
		text   string
		want   []string
	}{
		{"the >= 5.0 summary alone names the victim (grep oom-kill)",
			"Mar 29 14:48:51 n1 kernel: oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=" + cg + ",task_memcg=" + cg + ",task=memhog,pid=14068,uid=0\n",
			[]string{"oom summary=14068(memhog) seen=cgroup"}},
		{"the header and summary of grep -i oom, without the kill line",
			"[  374.309521] memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n" +
				"[  374.309990] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=" + cg + ",task_memcg=" + cg + ",task=memhog,pid=14068,uid=0\n" +
				"[  374.310731] oom_reaper: reaped process 14068 (memhog), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n",
			[]string{"oom summary=14068(memhog) reaped=14068 seen=header,cgroup,reaper"}},
		{"the selection line alone (<= 5.0): the kernel killed N or a child",
			"Dec 13 13:29:35 k8s kernel: Out of memory: Kill process 994 (containerd) score 4 or sacrifice child\n",
			[]string{"oom selected=994(containerd) seen=selection"}},
		{"the 2.6.x selection wording",
			"[11686.043641] Out of memory: kill process 2603 (flasherav) score 761 or a child\n",
			[]string{"oom selected=2603(flasherav) seen=selection"}},
		{"Task in … killed as a result of limit of … (< 5.0) alone names the cgroup",
			"[Sun Dec 15 23:40:20 2019] Task in /kubepods.slice/kubepods-pod392bf93e_1fcf_11ea_9b5b_3cfdfe576498.slice/27edbc0dd4ec2a3e9a4d8ef8b014eda12e76ff36da95b0a91e842f5dac4fc02f killed as a result of limit of /kubepods.slice/kubepods-pod392bf93e_1fcf_11ea_9b5b_3cfdfe576498.slice\n" +
				"[Sun Dec 15 23:40:20 2019] memory: usage 204800kB, limit 204800kB, failcnt 3616\n",
			[]string{"oom task-in seen=memory,cgroup"}},
		{"the reaper alone proves the kill",
			"[ 1172.339920] oom_reaper: reaped process 473206 (doxygen), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n",
			[]string{"oom reaped=473206 seen=reaper"}},
		{"an unable-to-reap line alone proves nothing",
			"[ 1172.339920] oom_reaper: unable to reap pid:473206 (doxygen)\n",
			[]string{"incomplete seen=reaper"}},
		{"memory.oom.group alone names the cgroup of the victims",
			"Jul 23 18:56:46 n1 kernel: Tasks in " + cg + " are going to be killed due to memory.oom.group set\n",
			[]string{"oom group seen=oom-group"}},
		{"memory.oom.group names the cgroup of the kills after it when the summary is lost",
			"[  10.000001] Tasks in " + cg + " are going to be killed due to memory.oom.group set\n" +
				"[  10.000002] Memory cgroup out of memory: Killed process 42 (app) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB\n" +
				"[  10.000003] Memory cgroup out of memory: Killed process 43 (sidecar) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB\n",
			[]string{"oom kills=42(app uid=-1 anon=900),43(sidecar uid=-1 anon=900) group seen=kill,oom-group"}},
		{"2.6.32 (RHEL 6): Killed process N, UID U, (C) total-vm:…",
			"[ 4511.000001] Killed process 2592, UID 27, (mysqld) total-vm:1037476kB, anon-rss:433340kB, file-rss:172kB\n",
			[]string{"oom kills=2592(mysqld uid=27 anon=433340) seen=kill"}},
		{"late RHEL 7: (C), UID U, total-vm:…",
			"Mar 14 16:55:03 localhost kernel: Killed process 21945 (tidb-server), UID 1000, total-vm:33027492kB, anon-rss:31303276kB, file-rss:0kB, shmem-rss:0kB\n",
			[]string{"oom kills=21945(tidb-server uid=1000 anon=31303276) seen=kill"}},
		{"before 2.6.31: Killed process N (C), no sizes",
			"Jan  1 00:00:00 host kernel: Killed process 2592 (mysql)\n",
			[]string{"oom kills=2592(mysql uid=-1 anon=-1) seen=kill"}},
		{"2.6.18: Out of Memory: Killed process N (C).",
			"Mar  1 12:15:47 host kernel: Out of Memory: Killed process 16498 (java).\n",
			[]string{"oom kills=16498(java uid=-1 anon=-1) seen=kill"}},
		{"a kill line shortened in a paste keeps its victim and the sizes it still shows",
			"[1000.000001] Memory cgroup out of memory: Killed process 31622 (workflow-contro) total-vm:5354880kB, anon-rss:41846\n",
			[]string{"oom kills=31622(workflow-contro uid=-1 anon=-1) seen=kill"}},
		{"processes sharing the victim's memory die with it (2.6–4.x)",
			"[ 10.000001] Killed process 1234 (java) total-vm:1000kB, anon-rss:900kB, file-rss:0kB\n[ 10.000002] Kill process 1240 (java) sharing same memory\n",
			[]string{"oom kills=1234(java uid=-1 anon=900),1240(java uid=-1 anon=-1) seen=kill"}},
		{"a header alone never invents a victim",
			"[  100.000001] app invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n",
			[]string{"incomplete seen=header why=the input ends before the kill line"}},
		{"a report followed by another program's lines says where it stops",
			"Mar 29 14:48:51 n1 kernel: app invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n" +
				"Mar 29 14:48:51 n1 kernel: CPU: 1 PID: 10612 Comm: app\n" +
				"Mar 29 14:48:52 n1 kubelet[1]: I0329 14:48:52.000000    1 kubelet.go:1] \"SyncLoop\"\n" +
				"Mar 29 14:48:53 n1 kubelet[1]: I0329 14:48:53.000000    1 kubelet.go:1] \"SyncLoop\"\n",
			[]string{"incomplete seen=header why=the report stops at line 2 without a kill line; the 2 lines after it do not continue it"}},
	}
	for _, tt := range tests {
		events, _ := parseText(t, tt.text)
		var got []string
		for _, e := range events {
			switch e := e.(type) {
			case *KernelOOM:
				got = append(got, describeDecision(e))
			case *IncompleteOOM:
				s := "incomplete seen=" + strings.Join(e.Seen, ",")
				if strings.HasPrefix(tt.reason, "a header alone") || strings.HasPrefix(tt.reason, "a report followed") {
					s += " why=" + e.Why
				}
				got = append(got, s)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: events mismatch (-want +got):\n%s", tt.reason, diff)
		}
	}
}

func describeDecision(e *KernelOOM) string {
	s := "oom"
	if len(e.Kills) > 0 {
		var ks []string
		for _, k := range e.Kills {
			ks = append(ks, fmt.Sprintf("%d(%s uid=%d anon=%d)", k.PID, k.Comm, k.UID, k.AnonRSSKiB))
		}
		s += " kills=" + strings.Join(ks, ",")
	}
	if e.Summary != nil {
		s += fmt.Sprintf(" summary=%d(%s)", e.Summary.PID, e.Summary.Comm)
	}
	for _, r := range e.Reaped {
		s += fmt.Sprintf(" reaped=%d", r.PID)
	}
	if e.Selected != nil {
		s += fmt.Sprintf(" selected=%d(%s)", e.Selected.PID, e.Selected.Comm)
	}
	if e.TaskIn {
		s += " task-in"
	}
	if e.Group != "" {
		s += " group"
	}
	return s + " seen=" + strings.Join(e.Seen(), ",")
}
