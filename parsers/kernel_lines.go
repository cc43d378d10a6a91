package parsers

import (
	"regexp"
	"strings"
)

// The kernel OOM report, line by line (mm/oom_kill.c dump_header and oom_kill_process,
// mm/memcontrol.c; versions as in docs/formats.md §3). Old and new formats sit side by side;
// every regex is anchored at the start of the message body, so a kernel line quoted inside
// another program's message is never read as a kill.
var (
	// 3.x–4.x: "…, nodemask=%*pbl, order=%d, …" (4.13/4.14: ",  order"); >= 5.0 without nodemask;
	// 2.6.32–2.6.35 printed oom_adj before oom_score_adj, 2.6.2x only "oomkilladj=%d", and
	// 2.6.18 no task name at all ("oom-killer: gfp_mask=%#x, order=%d"). gfp flags in
	// parentheses since ~4.6.
	reHeader = regexp.MustCompile(`^(?:(.*) invoked )?oom-killer: gfp_mask=(0x[0-9a-fA-F]+)(?:\(([^)]*)\))?,(?:\s*nodemask=.*?,)?\s*order=(-?\d+)(?:, oom_adj=-?\d+)?(?:, oomkilladj=-?\d+)?(?:, oom_score_adj=(-?\d+))?`)
	// memcg counters: memory:, memory+swap:, kmem: (v1), swap: (v2, >= 5.3).
	reCounter = regexp.MustCompile(`^(memory|memory\+swap|kmem|swap): usage (\d+)kB, limit (\d+)kB, failcnt (\d+)`)
	// < 5.0: "Task in A killed as a result of limit of B"; without a task "Memory limit reached of cgroup B".
	reTaskIn      = regexp.MustCompile(`^Task in (.+) killed as a result of limit of (.+)$`)
	reLimitOf     = regexp.MustCompile(`^Memory limit reached of cgroup (.+)$`)
	reStatsFor    = regexp.MustCompile(`^Memory cgroup stats for (.+?):(?: |$)`)
	reTableHeader = regexp.MustCompile(`^\[\s*pid\s*\]\s+(.+)$`)
	reTableRow    = regexp.MustCompile(`^\[\s*(\d+)\]\s+(.+)$`)
	// >= 5.0 summary. Fields by name: nodemask and mems_allowed are bitmap lists that can hold
	// commas, and the task name may hold anything, so pid and uid anchor the end. Vendor
	// backports to 3.10 print it without constraint and nodemask ("oom-kill:,cpuset=…"), and
	// kernels without CONFIG_CPUSETS without the cpuset part.
	reSummary = regexp.MustCompile(`^oom-kill:(?:constraint=(\w*))?(?:,?nodemask=(.*?))?(?:,?cpuset=(.*?),mems_allowed=(.*?))?(?:,oom_memcg=(.*?)|,(global_oom))?(?:,task_memcg=(.*?))?,task=(.*),pid=(\d+),uid=(\d+)$`)
	// The selection line, the victim may be a child of it: "%s: Kill process %d (%s) score %u or
	// sacrifice child" (2.6.36–5.0), "%s: kill process %d (%s) score %li or a child" (2.6.x).
	reSelect = regexp.MustCompile(`^(?:(.*?): )?[Kk]ill process (\d+) \((.*)\) (?:with )?score (\d+) or (?:sacrifice child|a child)`)
	// The kill line. Its head names the victim in every era: unprefixed before 5.1 and "%s: "
	// since; "Killed process %d (%s)" before 2.6.31 (2.6.18: "Out of memory: Killed process %d
	// (%s)."), "Killed process %d, UID %d, (%s) total-vm:…" in 2.6.32 (RHEL 6), "(%s), UID %u,
	// total-vm:…" in late RHEL 7. The sizes that follow are read by name (reKillField), so a
	// line shortened in a paste still names its victim; cut right after the pid, its name too
	// is lost, but the pid was killed.
	reKill      = regexp.MustCompile(`^(?:(.*?): )?Killed process (\d+)(?:, UID (\d+),)?(?: \((.*)\)(.*))?$`)
	reKillField = regexp.MustCompile(`(total-vm|vsz|anon-rss|file-rss|shmem-rss|pgtables):(\d+)kB|UID[: ](\d+)|oom_score_adj:(-?\d+)`)
	// 2.6.x–4.x: processes sharing the victim's mm are killed with it.
	reShared = regexp.MustCompile(`^Kill process (\d+) \((.*)\) sharing same memory`)
	reGroup  = regexp.MustCompile(`^Tasks in (.+) are going to be killed due to memory\.oom\.group set`)
	reReaped = regexp.MustCompile(`^oom_reaper: reaped process (\d+) \((.*)\)`)
	reUnable = regexp.MustCompile(`^oom_reaper: unable to reap pid:(\d+) \((.*)\)`)
)

// kernelTriggers are the words of which one appears in every line that can open a report or
// stand alone: a rate-limited report prints the kill line without a header, and a filtered
// or pasted log may keep only one line of a report (the summary, the reaper).
var kernelTriggers = []string{
	"oom-killer: gfp_mask",
	"oom-kill:",
	"Killed process",
	"Kill process",
	"kill process",
	"killed as a result of limit",
	"Memory limit reached",
	"memory: usage",
	"memory.oom.group",
	"Memory cgroup stats for",
	"oom_reaper: ",
}

// reSummaryField is one field of the summary that its comma proves complete.
var reSummaryField = regexp.MustCompile(`(constraint|oom_memcg|task_memcg)=([^,]*),|,(global_oom),`)

// partialSummary reads the fields of a summary line cut before its end: only those whose
// closing comma survived, so a path cut in its middle is never taken for the whole.
func partialSummary(t string) map[string]string {
	f := map[string]string{}
	for _, sm := range reSummaryField.FindAllStringSubmatch(t, -1) {
		if sm[3] != "" {
			f["global_oom"] = "yes"
		} else {
			f[sm[1]] = sm[2]
		}
	}
	return f
}

// killFields reads the sizes and ids after a kill line's "(comm)". Fields the kernel did not
// print (or a paste cut off) stay -1.
func killFields(k *Kill, rest string) {
	k.TotalVMKiB, k.AnonRSSKiB, k.FileRSSKiB, k.ShmemRSSKiB = -1, -1, -1, -1
	for _, sm := range reKillField.FindAllStringSubmatch(rest, -1) {
		switch {
		case sm[3] != "":
			k.UID = atoi(sm[3])
		case sm[4] != "":
			adj := atoi(sm[4])
			k.OOMScoreAdj = &adj
		}
		switch sm[1] {
		case "total-vm", "vsz":
			k.TotalVMKiB = atoi64(sm[2])
		case "anon-rss":
			k.AnonRSSKiB = atoi64(sm[2])
		case "file-rss":
			k.FileRSSKiB = atoi64(sm[2])
		case "shmem-rss":
			k.ShmemRSSKiB = atoi64(sm[2])
		}
	}
}

// parseKill reads a kill line; ok is false for any other message.
func parseKill(t string) (Kill, bool) {
	if !strings.Contains(t, "Killed process ") {
		return Kill{}, false
	}
	sm := reKill.FindStringSubmatch(t)
	if sm == nil {
		return Kill{}, false
	}
	k := Kill{Reason: sm[1], PID: atoi(sm[2]), Comm: sm[4], UID: -1}
	if sm[3] != "" {
		k.UID = atoi(sm[3])
	}
	rest := strings.TrimSuffix(sm[5], ".")
	killFields(&k, rest)
	k.Sizes = k.TotalVMKiB >= 0 || k.AnonRSSKiB >= 0
	return k, true
}
