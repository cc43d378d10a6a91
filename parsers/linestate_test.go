package parsers

import "testing"

// Whole lines are real (lab captures in golden/testdata/real, excerpts in testdata/excerpts
// with their origins); cut lines are those cut where a terminal, a mail client or a search
// index cut them in the excerpts named, or the same real lines cut at the place the reason says.
func TestKernelLineState(t *testing.T) {
	tests := []struct {
		reason string
		text   string
		want   LineState
	}{
		{"6.x header (lab)", "memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=938", LineWhole},
		{"4.13 header with nodemask and two spaces (kubespray#1936)", "etcd invoked oom-killer: gfp_mask=0x14000c0(GFP_KERNEL), nodemask=(null),  order=0, oom_score_adj=0", LineWhole},
		{"3.10 header without flags (k8s#83044)", "python invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0", LineWhole},
		{"2.6.32 header with oom_adj", "java invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0", LineWhole},
		{"task name with a space and a slash (harvester#2419)", "CPU 2/KVM invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=872", LineWhole},
		{"header cut in its last field", "memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_ad", LineCut},
		{"header cut inside the marker", "memhog invoked oom-kil", LineCut},
		{"header cut after the gfp flags", "memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL),", LineCut},
		{"a line that only says invoked", "foo invoked bar", LineUnknown},

		{"5.x summary (lab)", "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=7443baa9,mems_allowed=0,oom_memcg=/kubepods/burstable/pod6933bad5/7443baa9,task_memcg=/kubepods/burstable/pod6933bad5/7443baa9,task=memhog,pid=143,uid=0", LineWhole},
		{"summary without uid", "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=foo,pid=12", LineCut},
		{"summary cut inside a path", "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/kubepods.sl", LineCut},

		{"5.4+ kill line (lab)", "Memory cgroup out of memory: Killed process 143 (memhog) total-vm:1259696kB, anon-rss:32412kB, file-rss:4kB, shmem-rss:1636kB, UID:0 pgtables:148kB oom_score_adj:938", LineWhole},
		{"4.x kill line (pharos-cluster#1508)", "Killed process 22964 (nginx) total-vm:14136kB, anon-rss:2356kB, file-rss:1196kB, shmem-rss:0kB", LineWhole},
		{"3.10 kill line without shmem (k8s#56891)", "Killed process 28438 (java) total-vm:20255636kB, anon-rss:466160kB, file-rss:13684kB", LineWhole},
		{"RHEL 7.9 kill line with UID after the name (ltp#1080)", "Killed process 3402 (memcg_process), UID 0, total-vm:268740kB, anon-rss:102548kB, file-rss:212kB, shmem-rss:0kB", LineWhole},
		{"2.6.32 kill line with UID before the name", "Killed process 1234, UID 48, (httpd) total-vm:312372kB, anon-rss:117508kB, file-rss:328kB", LineWhole},
		{"a kill line that ends after the task name was cut at the space before total-vm (pre-2.6.31 kernels ended it there)", "Out of memory: Killed process 1234 (httpd)", LineCut},
		{"kill line cut before the name (kubedirector#356); the pipeline trims the space", "Memory cgroup out of memory: Killed process 62769", LineCut},
		{"kill line cut inside the name", "Killed process 62769 (c", LineCut},
		{"kill line cut mid-field", "Memory cgroup out of memory: Killed process 143 (memhog) total-vm:1259696kB, anon-rss:4", LineCut},
		{"kill line cut between UID and oom_score_adj", "Memory cgroup out of memory: Killed process 143 (memhog) total-vm:1259696kB, anon-rss:32412kB, file-rss:4kB, shmem-rss:1636kB, UID:0 pgtables:148kB", LineCut},
		{"kill line cut inside its reason", "Memory cgroup out of memory:", LineCut},
		{"kill line followed by words the kernel never prints", "Killed process 62769 (cp) for no reason", LineUnknown},
		{"selection line (kubedirector#356)", "Memory cgroup out of memory: Kill process 62685 (bash) score 0 or sacrifice child", LineWhole},
		{"selection line cut (rhel7 k8s#56891-b, a search index cut it)", "Memory cgroup out of memory: Kill process 14316 (java) score 2002 or sacrifice c", LineCut},

		{"Task in, limit of the pod (kubeasz#556)", "Task in /kubepods/pod5e3c4bcb-760b-11e9-bcb4-5c260afbd27c/0a4b killed as a result of limit of /kubepods/pod5e3c4bcb-760b-11e9-bcb4-5c260afbd27c", LineWhole},
		{"Task in, own limit", "Task in /kubepods/podx/abc killed as a result of limit of /kubepods/podx/abc", LineWhole},
		{"Task in, limit path cut inside a name (istio#42734)", "Task in /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0330b2c1_a15b_4cdd_b5e5_72d4a90bee82.slice/docker-b27201334a41cd07e12.scope killed as a result of limit of /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0330b2c1_a15b_4cdd_b5e5_72d4a90bee82.slice/docker-b27201334a41cd07", LineCut},
		{"Task in, cut at a path's slash (kubedirector#356)", "Task in /kubepods/pod951f6bc5-c5a5-11ea-8707-80e455f266a2/024952d6 killed as a result of limit of /kubepo", LineCut},
		{"Task in without its limit", "Task in /kubepods/burstable/pod1/abc", LineCut},
		{"Task in cut in the middle words", "Task in /kubepods/burstable/pod1/abc killed as a", LineCut},

		{"v1 stats line (k8s#56891)", "Memory cgroup stats for /kubepods/pod95387fa4/8f2: cache:32KB rss:524188KB rss_huge:370688KB mapped_file:0KB swap:524356KB inactive_anon:267804KB active_anon:256384KB inactive_file:12KB active_file:4KB unevictable:0KB", LineWhole},
		{"v1 stats line cut mid-number (kubedirector#356)", "Memory cgroup stats for /kubepods/pod951f6bc5-c5a5-11ea-8707-80e455f266a2/024952d6: cache:507172KB rss:44", LineCut},
		{"v1 stats line cut at a token boundary", "Memory cgroup stats for /kubepods/pod9/x: cache:507172KB rss:448KB", LineCut},
		{"v1 stats line cut inside a name (photon#1535)", "Memory cgroup stats for /kubepods/burstable/podfe3f/0a1: cache:0KB rss:613460KB inactive_file:4KB active_file:0KB unevicta", LineCut},
		{">= 5.3 stats header", "Memory cgroup stats for /kubepods/burstable/pod6933bad5/7443baa9:", LineWhole},
		{"stats header cut in its path", "Memory cgroup stats for /kubepo", LineCut},

		{"memory counter", "memory: usage 32768kB, limit 32768kB, failcnt 21", LineWhole},
		{"memory+swap counter", "memory+swap: usage 524288kB, limit 524288kB, failcnt 38", LineWhole},
		{"counter cut", "memory: usage 5242", LineCut},
		{"counter cut before failcnt", "kmem: usage 16560kB, limit 9007199254740988kB,", LineCut},

		{"oom.group line (lkml 5.0)", "Tasks in /test1 are going to be killed due to memory.oom.group set", LineWhole},
		{"oom.group line cut", "Tasks in /kubepods/burstable/pod1/abc are going to be", LineCut},
		{"reaper line", "oom_reaper: reaped process 473206 (doxygen), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB", LineWhole},
		{"reaper line cut", "oom_reaper: reaped process 473206 (doxygen), now anon-rss:0kB, file-r", LineCut},

		{"4.19+ task table header (lab)", "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name", LineWhole},
		{"3.10 task table header (k8s#56891)", "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name", LineWhole},
		{"task table header cut between columns", "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes", LineCut},
		{"task table header cut inside a column's name", "[  pid  ]   uid  tgid total_vm      rss rss_an", LineCut},
		{"two columns run together are no header", "[  pid  ]   uid  tgid total_vm      rss pgtables_bytesswapents oom_score_adj name", LineUnknown},
		{"stack line", "dump_stack_lvl+0x44/0x5c", LineUnknown},
		{"Tasks state line", "Tasks state (memory values in pages):", LineUnknown},
		{"vmware prefix hides the anchor", "2023-12-04T10:49:30.127Z In(05) vcpu-5 - Guest: <3>[39291577.009543] Memory cgroup out of memory: Killed process 1 (x)", LineUnknown},
	}
	for _, tt := range tests {
		if got := kernelLineState(tt.text); got != tt.want {
			t.Errorf("%s: kernelLineState(%q) = %d, want %d", tt.reason, tt.text, got, tt.want)
		}
	}
}

func TestTaskRowState(t *testing.T) {
	const numeric = 10 // the 6.x layout: uid tgid total_vm rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj
	tests := []struct {
		reason string
		text   string
		want   LineState
	}{
		{"a whole row (lab)", "[  14068]     0 14068   314991     8332     8096      236         0   151552        0             0 memhog", LineWhole},
		{"a name with a space (harvester#2419)", "[  14068]     0 14068   314991     8332     8096      236         0   151552        0             0 CPU 2/KVM", LineWhole},
		{"cut before the name", "[  14068]     0 14068   314991     8332     8096      236         0   151552        0             0", LineCut},
		{"cut in a number", "[  14068]     0 14068   314991     8332     8096      23", LineCut},
		{"a row with a word among its numbers", "[  14068]     0 14068   314991     8332 memhog", LineUnknown},
		{"not a row", "[  374.309941] memhog", LineUnknown},
	}
	for _, tt := range tests {
		if got := taskRowState(tt.text, numeric); got != tt.want {
			t.Errorf("%s: taskRowState(%q) = %d, want %d", tt.reason, tt.text, got, tt.want)
		}
	}
}
