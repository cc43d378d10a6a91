package correlate

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"

	"github.com/google/go-cmp/cmp"
	"github.com/k8s-coroner/coroner/parsers"
)

// line is one kernel message of a test input.
type line struct {
	input string
	at    time.Duration // after base
	text  string
}

var base = time.Date(2026, 11, 27, 18, 33, 44, 0, time.UTC)

// analyzeLines runs the kernel parser over each input's lines and correlates the result.
func analyzeLines(ls []line) *report.Report {
	byInput := map[string][]*parsers.Message{}
	var order []string
	for i, l := range ls {
		if byInput[l.input] == nil {
			order = append(order, l.input)
		}
		byInput[l.input] = append(byInput[l.input], &parsers.Message{Input: l.input, Line: i + 1, Raw: l.text, Text: l.text,
			Program: "kernel", Host: "node1", Wall: base.Add(l.at), Priority: -1})
	}
	var events []parsers.Event
	var inputs []*parsers.InputResult
	for _, in := range order {
		for _, o := range parsers.ParseKernelMessages(byInput[in]) {
			events = append(events, o)
		}
		inputs = append(inputs, &parsers.InputResult{Name: in, Kind: "syslog"})
	}
	return Analyze(inputs, events, Options{})
}

const (
	podCg  = "/kubepods/burstable/pod5cdfa62e-2f90-4e7e-b3de-d2d6168860d8"
	ctrCg  = podCg + "/765a2080b8a836f4d9a775daa117c570805a397b0072e8e54be82406d693fbca"
	header = "memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0"
	sumLn  = "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=" + ctrCg + ",task_memcg=" + ctrCg + ",task=memhog,pid=14068,uid=0"
	killLn = "Memory cgroup out of memory: Killed process 14068 (memhog) total-vm:1259964kB, anon-rss:32384kB, file-rss:944kB, shmem-rss:0kB, UID:0 pgtables:616kB oom_score_adj:0"
	reapLn = "oom_reaper: reaped process 14068 (memhog), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB"
)

// describe renders the verdict-level fields of a report's deaths and host kills.
func describe(r *report.Report) []string {
	var out []string
	one := func(kind string, d report.Death) {
		victims := []string{}
		for _, v := range d.Victims {
			s := fmt.Sprintf("%d/%s", v.PID, v.From)
			if v.OrChild {
				s += "+child"
			}
			victims = append(victims, s)
		}
		s := fmt.Sprintf("%s %s/%s scope=%s attr=%s cid=%.12s victims=%s notSeen=%s lines=%d",
			kind, d.Mechanism, d.Confidence, d.LimitScope, d.Attribution, d.ContainerID, strings.Join(victims, ","),
			strings.Join(d.Report.NotSeen, ","), len(d.Evidence))
		out = append(out, s)
	}
	for _, d := range r.Deaths {
		one("death", d)
	}
	for _, d := range r.HostKills {
		one("host", d)
	}
	for _, i := range r.Incomplete {
		out = append(out, "incomplete "+strings.Join(i.Seen, ","))
	}
	return out
}

// TestKillDecisionJoin checks how each line that proves a kill decision becomes a death, how
// it joins the rest of its report across inputs, and what it says is missing.
func TestKillDecisionJoin(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		reason string
		lines  []line
		want   []string
	}{
		{"a whole report is one high-confidence death whose parts are all seen but the table",
			[]line{{"dmesg", 0, header}, {"dmesg", ms, "memory: usage 32768kB, limit 32768kB, failcnt 632"}, {"dmesg", 2 * ms, sumLn}, {"dmesg", 3 * ms, killLn}},
			[]string{"death cgroup-oom/high scope=container attr=container cid=765a2080b8a8 victims=14068/kill notSeen=tasks lines=4"}},
		{"the summary alone is a death with its victim, high confidence",
			[]line{{"messages", 0, sumLn}},
			[]string{"death cgroup-oom/high scope=container attr=container cid=765a2080b8a8 victims=14068/summary notSeen=header,memory,tasks,kill lines=1"}},
		{"grep'd summary in one input and the whole report in another are one death",
			[]line{{"messages", 2 * ms, sumLn}, {"dmesg", 0, header}, {"dmesg", 2 * ms, sumLn}, {"dmesg", 3 * ms, killLn}},
			[]string{"death cgroup-oom/high scope=container attr=container cid=765a2080b8a8 victims=14068/kill notSeen=memory,tasks lines=4"}},
		{"a kill line in one input and only the summary in another (no shared line) are one death",
			[]line{{"kern.log", 3 * ms, killLn}, {"grep-oom.txt", 2 * ms, sumLn}},
			[]string{"death cgroup-oom/high scope=container attr=container cid=765a2080b8a8 victims=14068/kill notSeen=header,memory,tasks lines=2"}},
		{"a reaper line seconds after its report closed joins it, in the same input",
			[]line{{"dmesg", 0, sumLn}, {"dmesg", ms, killLn}, {"dmesg", 5 * time.Second, reapLn}},
			[]string{"death cgroup-oom/high scope=container attr=container cid=765a2080b8a8 victims=14068/kill notSeen=header,memory,tasks lines=3"}},
		{"the reaper alone proves the kill but not the mechanism or the cgroup",
			[]line{{"dmesg", 0, reapLn}},
			[]string{"host unknown/low scope= attr=unknown cid= victims=14068/reaper notSeen=header,memory,tasks,cgroup,kill lines=1"}},
		{"the selection alone: the victim is N or one of its children",
			[]line{{"messages", 0, "Task in " + ctrCg + " killed as a result of limit of " + podCg}, {"messages", ms, "Memory cgroup out of memory: Kill process 14068 (memhog) score 1000 or sacrifice child"}},
			[]string{"death cgroup-oom/medium scope=pod attr=container cid=765a2080b8a8 victims=14068/selection+child notSeen=header,memory,tasks,kill lines=2"}},
		{"Task in alone: a memcg OOM of that container, victim unknown",
			[]line{{"messages", 0, "Task in " + ctrCg + " killed as a result of limit of " + ctrCg}, {"messages", ms, "memory: usage 204800kB, limit 204800kB, failcnt 3616"}},
			[]string{"death cgroup-oom/medium scope=container attr=container cid=765a2080b8a8 victims= notSeen=header,tasks,kill lines=2"}},
		{"memory.oom.group alone: the container, no victims, low confidence",
			[]line{{"messages", 0, "Tasks in " + ctrCg + " are going to be killed due to memory.oom.group set"}},
			[]string{"death unknown/low scope= attr=container cid=765a2080b8a8 victims= notSeen=header,memory,tasks,cgroup,kill lines=1"}},
		{"a header alone makes no death",
			[]line{{"dmesg", 0, header}},
			nil},
		{"a cgroup-less node OOM kill (3.10) with no oom_score_adj shown stays unattributed",
			[]line{{"messages", 0, "Out of memory: Kill process 9074 (mongod) score 1013 or sacrifice child"},
				{"messages", ms, "Killed process 9074 (mongod) total-vm:3000000kB, anon-rss:2000000kB, file-rss:0kB, shmem-rss:0kB"},
				{"messages", 2 * ms, "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name"}},
			[]string{"host kernel-oom/medium scope= attr=unknown cid= victims=9074/kill notSeen=header,memory,tasks,cgroup lines=2"}},
		{"oom_memcg=/kubepods is node allocatable enforcement, a limit scope of its own",
			[]line{{"messages", 0, strings.Replace(sumLn, "oom_memcg="+ctrCg, "oom_memcg=/kubepods", 1)}, {"messages", ms, killLn}},
			[]string{"death cgroup-oom/high scope=allocatable attr=container cid=765a2080b8a8 victims=14068/kill notSeen=header,memory,tasks lines=2"}},
		{"the burstable QoS cgroup is a limit scope of its own",
			[]line{{"messages", 0, strings.Replace(sumLn, "oom_memcg="+ctrCg, "oom_memcg=/kubepods/burstable", 1)}, {"messages", ms, killLn}},
			[]string{"death cgroup-oom/high scope=qos attr=container cid=765a2080b8a8 victims=14068/kill notSeen=header,memory,tasks lines=2"}},
	}
	for _, tt := range tests {
		got := describe(analyzeLines(tt.lines))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: mismatch (-want +got):\n%s", tt.reason, diff)
		}
	}
}

// TestAttribution checks how a kill whose cgroup the log does not show is tied to a pod.
func TestAttribution(t *testing.T) {
	adj := func(n int) *int { return &n }
	tests := []struct {
		reason string
		d      report.Death
		oom    *parsers.KernelOOM // the kill's kernel report, when the case needs its task table
		want   string
	}{
		{"a container cgroup", report.Death{ContainerID: "x"}, nil, report.AttrContainer},
		{"a pod cgroup without a container", report.Death{PodUID: "u"}, nil, report.AttrPod},
		{"a host cgroup", report.Death{Cgroup: "/system.slice/sshd.service"}, nil, report.AttrHost},
		{"no cgroup, no other evidence", report.Death{Victim: &report.Victim{OOMScoreAdj: adj(0)}}, nil, report.AttrUnknown},
		{"no cgroup, the kubelet itself (-999) is not a pod's process", report.Death{Victim: &report.Victim{OOMScoreAdj: adj(-999)}}, nil, report.AttrUnknown},
		{"no cgroup, Guaranteed's -997", report.Death{Victim: &report.Victim{OOMScoreAdj: adj(-997)}}, nil, report.AttrPodProcess},
		{"no cgroup, pre-1.14 Guaranteed's -998", report.Death{Victim: &report.Victim{OOMScoreAdj: adj(-998)}}, nil, report.AttrPodProcess},
		{"no cgroup, a Burstable score", report.Death{Victim: &report.Victim{OOMScoreAdj: adj(938)}}, nil, report.AttrPodProcess},
		{"no cgroup, BestEffort's 1000", report.Death{Victim: &report.Victim{OOMScoreAdj: adj(1000)}}, nil, report.AttrPodProcess},
		{"no cgroup, a memcg OOM whose table lists the pause container",
			report.Death{Mechanism: report.CgroupOOM, Victim: &report.Victim{}, Kernel: &report.Kernel{}},
			&parsers.KernelOOM{Tasks: []parsers.TaskRow{{Name: "pause"}, {Name: "java"}}}, report.AttrPodProcess},
		{"no cgroup, a node OOM's table lists every task of the node, pause included: not proof",
			report.Death{Mechanism: report.KernelOOM, Victim: &report.Victim{OOMScoreAdj: adj(0)}, Kernel: &report.Kernel{GlobalOOM: true}},
			&parsers.KernelOOM{Tasks: []parsers.TaskRow{{Name: "pause"}}}, report.AttrUnknown},
	}
	for _, tt := range tests {
		d := tt.d
		var facts *kernelFacts
		if tt.oom != nil {
			facts = factsOf(tt.oom)
		}
		attribute(&d, facts)
		if d.Attribution != tt.want {
			t.Errorf("%s: attribution %q, want %q (notes %q)", tt.reason, d.Attribution, tt.want, d.Notes)
		}
	}
}

// TestFactsOf: what a death keeps of its kernel report's task table once the report is let go.
func TestFactsOf(t *testing.T) {
	tests := []struct {
		reason     string
		tasks      []parsers.TaskRow
		wantTop    string // pid:rss KiB of the top tasks
		wantLow    int
		wantHelper string
	}{
		{"no task table: no top tasks, the lowest score is the 1000 ceiling", nil, "[]", 1000, ""},
		{"the five largest by RSS, ties in table order; -997 and below (Guaranteed, the kubelet) do not count as low",
			[]parsers.TaskRow{{PID: 1, RSSPages: 10, OOMScoreAdj: -998}, {PID: 2, RSSPages: 30, OOMScoreAdj: 500}, {PID: 3, RSSPages: 30, OOMScoreAdj: 1000},
				{PID: 4, RSSPages: 5}, {PID: 5, RSSPages: 1}, {PID: 6, RSSPages: 2}, {PID: 7, RSSPages: 0, OOMScoreAdj: -500}},
			"[2:120 3:120 1:40 4:20 6:8]", -500, ""},
		{"the first pod helper of the table names the pod's process", []parsers.TaskRow{{PID: 1, Name: "java"}, {PID: 2, Name: "pause"}, {PID: 3, Name: "conmon"}},
			"[]", 0, "the pause container"},
	}
	for _, tt := range tests {
		f := factsOf(&parsers.KernelOOM{Tasks: tt.tasks})
		var top []string
		for _, x := range f.topTasks {
			top = append(top, fmt.Sprintf("%d:%d", x.PID, x.RSSKiB))
		}
		if got := fmt.Sprintf("[%s]", strings.Join(top, " ")); got != tt.wantTop || f.lowestAdj != tt.wantLow || f.podHelper != tt.wantHelper {
			t.Errorf("%s: top %s, lowest %d, helper %q; want %s, %d, %q", tt.reason, got, f.lowestAdj, f.podHelper, tt.wantTop, tt.wantLow, tt.wantHelper)
		}
	}
}
