package parsers

import (
	"strconv"
	"strings"
)

// MemcgStats is what the OOMing memory cgroup held at the kill, from the "Memory cgroup stats
// for …:" part of the report (mm/memcontrol.c): heap, page cache, tmpfs and kernel memory
// call for different fixes, although each counts against the limit. Sizes in KiB.
type MemcgStats struct {
	AnonKiB      int64 // anonymous memory: heaps, stacks, anonymous mmap (v1 rss, v2 anon)
	FileKiB      int64 // page cache, tmpfs and shared memory included (v1 cache, v2 file)
	ShmemKiB     int64 // tmpfs (emptyDir medium: Memory), /dev/shm, SysV and shared anonymous memory
	DirtyKiB     int64 // page cache not yet written back, which reclaim cannot drop at once
	WritebackKiB int64
	MappedKiB    int64 // page cache mapped into processes
	// KernelKiB is the kernel memory charged to the cgroup (slab, stacks, page tables,
	// sockets): cgroup v2's kernel, or the sum of its parts on kernels before it was printed;
	// -1 when the stats do not show it (cgroup v1, whose kmem: counter says it instead).
	KernelKiB int64
	SlabKiB   int64
	SockKiB   int64
}

// memcgStatsAcc gathers the stats lines of one report. Before 5.3, cgroup v1 printed one
// "cache:…KB rss:…KB" line per memcg of the hierarchy, each memcg's own pages: they add up.
// From 5.3 the OOMing memcg alone is printed as "name bytes" lines, on v1 with hierarchical
// total_* twins, which then are the whole picture.
type memcgStatsAcc struct {
	own, total map[string]int64 // KiB by stat name
	open       bool             // the last line was the stats header or a stat
}

// statsHeaderRest takes the stats of a pre-5.3 header line, " cache:0KB rss:20260KB …".
func (a *memcgStatsAcc) statsHeaderRest(rest string) {
	a.open = true
	for _, f := range strings.Fields(rest) {
		name, val, ok := strings.Cut(f, ":")
		if !ok || !strings.HasSuffix(val, "KB") {
			continue
		}
		if n, err := strconv.ParseInt(strings.TrimSuffix(val, "KB"), 10, 64); err == nil {
			a.put(a.ownMap(), name, n)
		}
	}
}

// statLine takes a ">= 5.3" stats record: "anon 33312768" (bytes), or several such lines in
// one record, as one printk with continuation lines reads in dmesg and /dev/kmsg ("\x0a"
// between them). It reports false for any other line, which ends the stats.
func (a *memcgStatsAcc) statLine(t string) bool {
	if !a.open {
		return false
	}
	lines := strings.Split(strings.ReplaceAll(t, `\x0a`, "\n"), "\n")
	took := false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if !a.stat(l) {
			a.open = false
			return took
		}
		took = true
	}
	return took
}

func (a *memcgStatsAcc) stat(l string) bool {
	name, n, ok := statRecord(l)
	if !ok {
		return false
	}
	if total, ok := strings.CutPrefix(name, "total_"); ok {
		if a.total == nil {
			a.total = map[string]int64{}
		}
		a.put(a.total, total, n/1024)
	} else {
		a.put(a.ownMap(), name, n/1024)
	}
	return true
}

// statRecord reads one memory.stat-style line, "anon 33312768": a lower-case name with
// underscores, one space, a count.
func statRecord(l string) (name string, n int64, ok bool) {
	name, val, ok := strings.Cut(strings.TrimSpace(l), " ")
	if !ok || name == "" || strings.Trim(name, "abcdefghijklmnopqrstuvwxyz_") != "" {
		return "", 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(val), 10, 64)
	if err != nil || n < 0 {
		return "", 0, false
	}
	return name, n, true
}

func (a *memcgStatsAcc) ownMap() map[string]int64 {
	if a.own == nil {
		a.own = map[string]int64{}
	}
	return a.own
}

func (a *memcgStatsAcc) put(m map[string]int64, name string, kib int64) { m[name] += kib }

// result is the stats in one shape for cgroup v1 and v2; nil when none were printed.
func (a *memcgStatsAcc) result() *MemcgStats {
	m := a.own
	if len(a.total) > 0 {
		m = a.total
	}
	if len(m) == 0 {
		return nil
	}
	pick := func(names ...string) int64 {
		for _, n := range names {
			if v, ok := m[n]; ok {
				return v
			}
		}
		return 0
	}
	s := &MemcgStats{
		AnonKiB: pick("anon", "rss"), FileKiB: pick("file", "cache"), ShmemKiB: pick("shmem"),
		DirtyKiB: pick("file_dirty", "dirty"), WritebackKiB: pick("file_writeback", "writeback"),
		MappedKiB: pick("file_mapped", "mapped_file"), SlabKiB: pick("slab"), SockKiB: pick("sock"), KernelKiB: -1,
	}
	if s.SlabKiB == 0 {
		s.SlabKiB = pick("slab_reclaimable") + pick("slab_unreclaimable")
	}
	switch _, v2 := m["anon"]; {
	case m["kernel"] > 0:
		s.KernelKiB = m["kernel"]
	case v2: // v2 before "kernel" was printed (5.18): its parts
		s.KernelKiB = s.SlabKiB + s.SockKiB + pick("kernel_stack") + pick("pagetables") + pick("percpu") + pick("vmalloc")
	}
	return s
}
