package parsers

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMemcgStats reads the memcg stats of real reports in each shape the kernel printed
// them: cgroup v2 as one printk with continuation lines (dmesg) or one record per stat
// (kmsg, journal), cgroup v1 from 5.3 with hierarchical total_* twins, and the pre-5.3
// one-line "cache:…KB rss:…KB" form, one line per memcg of the hierarchy.
func TestMemcgStats(t *testing.T) {
	v2 := &MemcgStats{AnonKiB: 32532, ShmemKiB: 0, KernelKiB: 236, SlabKiB: 29, SockKiB: 0}
	v1 := &MemcgStats{AnonKiB: 32528, KernelKiB: -1}
	tests := []struct {
		reason string
		file   string
		text   string
		want   *MemcgStats
	}{
		{"cgroup v2, dmesg: the stats are continuation lines of one printk", "../golden/testdata/real/v2-cgroupfs-burstable/dmesg.txt", "", v2},
		{"cgroup v2, /dev/kmsg", "../golden/testdata/real/v2-cgroupfs-burstable/kmsg.txt", "", v2},
		{"cgroup v2, dmesg -T", "../golden/testdata/real/v2-cgroupfs-burstable/dmesg-T.txt", "", v2},
		{"cgroup v1 on 6.x: total_* (hierarchical) win over the memcg's own", "../golden/testdata/real/cgroupfs-burstable/dmesg.txt", "", v1},
		{"pre-5.3 one-line stats, two memcgs of the hierarchy add up", "", `[  100.000001] stress invoked oom-killer: gfp_mask=0x24000c0, order=0, oom_score_adj=0
[  100.000002] memory: usage 204800kB, limit 204800kB, failcnt 3616
[  100.000003] memory+swap: usage 0kB, limit 9007199254740988kB, failcnt 0
[  100.000004] kmem: usage 2048kB, limit 9007199254740988kB, failcnt 0
[  100.000005] Memory cgroup stats for /kubepods/pod1: cache:0KB rss:0KB rss_huge:0KB shmem:0KB mapped_file:0KB dirty:0KB writeback:0KB inactive_anon:0KB active_anon:0KB inactive_file:0KB active_file:0KB unevictable:0KB
[  100.000006] Memory cgroup stats for /kubepods/pod1/abc: cache:150000KB rss:50000KB rss_huge:0KB shmem:140000KB mapped_file:12KB dirty:8KB writeback:4KB inactive_anon:140000KB active_anon:50000KB inactive_file:10000KB active_file:0KB unevictable:0KB
[  100.000007] [ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name
[  100.000008] [ 4242]     0  4242   100000    50000      100       3        0           999 stress
[  100.000009] Memory cgroup out of memory: Kill process 4242 (stress) score 1999 or sacrifice child
[  100.000010] Killed process 4242 (stress) total-vm:400000kB, anon-rss:50000kB, file-rss:0kB, shmem-rss:0kB
`, &MemcgStats{AnonKiB: 50000, FileKiB: 150000, ShmemKiB: 140000, DirtyKiB: 8, WritebackKiB: 4, MappedKiB: 12, KernelKiB: -1}},
		{"a stats block cut by the task table header ends there", "", `[    5.811133] Memory cgroup stats for /a:
[    5.811643] anon 1048576
[    5.811644] file 2097152
[    5.811645] Tasks state (memory values in pages):
[    5.811646] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name
[    5.811647] [    143]     0   143   314924     8513   151552        0           938 memhog
[    5.821019] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=a,mems_allowed=0,oom_memcg=/a,task_memcg=/a,task=memhog,pid=143,uid=0
[    5.823543] Memory cgroup out of memory: Killed process 143 (memhog) total-vm:1259696kB, anon-rss:32412kB, file-rss:4kB, shmem-rss:1636kB, UID:0 pgtables:148kB oom_score_adj:938
`, &MemcgStats{AnonKiB: 1024, FileKiB: 2048, KernelKiB: 0}},
	}
	for _, tt := range tests {
		text := tt.text
		if tt.file != "" {
			text = readFile(t, tt.file)
		}
		events, _ := parseText(t, text)
		var got *MemcgStats
		for _, e := range events {
			if o, ok := e.(*KernelOOM); ok {
				got = o.Stats
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: stats (-want +got):\n%s", tt.reason, diff)
		}
	}
}
