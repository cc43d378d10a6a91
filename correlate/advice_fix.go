package correlate

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
)

// headroomPercent is what a proposed limit adds to the usage at the kill: enough for the
// next peak of a workload whose size was right, not a cure for one that leaks.
const headroomPercent = 25

// roundUpQuantity rounds a size in KiB up to a figure people write in manifests: a multiple
// of 16Mi below 1Gi, of 128Mi below 8Gi, of 1Gi above.
func roundUpQuantity(kib int64) int64 {
	step := int64(16 << 10)
	switch {
	case kib >= 8<<20:
		step = 1 << 20
	case kib >= 1<<20:
		step = 128 << 10
	}
	return (kib + step - 1) / step * step
}

// ownerOf is the object to change: the death's owner, else the one its pod name implies.
func ownerOf(d *report.Death) *report.Owner {
	if d.Owner == nil && d.Pod != "" {
		d.Owner = ownerFromName(d.Pod)
	}
	return d.Owner
}

// setResources is the kubectl line that sets a container's memory limit or request on its
// owner; "" when the container is not known. The owner's placeholder stays visible when it
// is not known, since a pod's resources cannot be changed by editing the pod.
func setResources(d *report.Death, flag, value string) (object, command string) {
	if d.Container == "" {
		return "", ""
	}
	target := "<owner of pod " + cmp.Or(d.Pod, "?") + ">"
	if o := ownerOf(d); o != nil {
		object = o.Ref()
		target = object
	}
	ns := ""
	if d.Namespace != "" {
		ns = " -n " + d.Namespace
	}
	return object, fmt.Sprintf("kubectl set resources %s%s -c %s --%s=memory=%s", target, ns, d.Container, flag, value)
}

// limitFix proposes a container's new memory limit from the usage the kernel saw at the kill.
func limitFix(d *report.Death) *report.Fix {
	m := d.Memory
	if _, limited := memoryLimit(d); m == nil || m.UsageKiB <= 0 || !limited {
		return nil
	}
	limit := report.Quantity(roundUpQuantity(m.UsageKiB + m.UsageKiB*headroomPercent/100))
	f := &report.Fix{Namespace: d.Namespace, Container: d.Container, Limit: limit,
		Basis: fmt.Sprintf("usage at the kill %s + %d%% headroom, rounded up", report.Quantity(m.UsageKiB), headroomPercent)}
	f.Object, f.Command = setResources(d, "limits", limit)
	return f
}

// requestFix proposes an evicted container's memory request: at least what the kubelet
// measured, so the next ranking does not find it over its request.
func requestFix(d *report.Death, measured []parsers.EvictionUsage) *report.Fix {
	if d.Eviction == nil {
		return nil
	}
	for _, u := range measured {
		if u.Container != d.Container || u.Usage == "" {
			continue
		}
		if u.UsageBytes == nil {
			return nil // not a quantity: no figure to propose
		}
		used := (*u.UsageBytes + 1023) / 1024
		request := report.Quantity(roundUpQuantity(used))
		f := &report.Fix{Namespace: d.Namespace, Container: d.Container, Request: request,
			Basis: fmt.Sprintf("usage the kubelet measured %s (%s), rounded up", u.Usage, report.Quantity(used))}
		f.Object, f.Command = setResources(d, "requests", request)
		return f
	}
	return nil
}

// fixAdvice says the fix in a sentence, with its kubectl line.
func fixAdvice(what string, f *report.Fix) string {
	s := what
	if f.Command != "" {
		s += ": " + f.Command
		if f.Object == "" {
			s += " (the pod's owner is not in the evidence: put its Deployment, StatefulSet… there)"
		}
	}
	return s
}

// share is part as a percentage of whole.
func share(part, whole int64) int64 {
	if whole <= 0 {
		return 0
	}
	return part * 100 / whole
}

// compositionAdvice tells heap from page cache from tmpfs from kernel memory in what the
// cgroup held at the kill: each counts against the limit, and each calls for its own fix.
func compositionAdvice(d *report.Death, memoryVolumes string) []string {
	m := d.Memory
	if m == nil || m.Stats == nil || m.UsageKiB <= 0 {
		return nil
	}
	st, used := m.Stats, m.UsageKiB
	kernel := int64(0)
	switch {
	case st.KernelKiB != nil:
		kernel = *st.KernelKiB
	case st.KmemKiB != nil:
		kernel = *st.KmemKiB
	}
	cache := max(st.FileKiB-st.ShmemKiB, 0)
	var a []string
	if share(st.ShmemKiB, used) >= 30 {
		where := "an emptyDir with medium: Memory, /dev/shm or shared memory"
		if memoryVolumes != "" {
			where = "the pod's memory-backed emptyDir " + memoryVolumes + ", /dev/shm or shared memory"
		}
		a = append(a, fmt.Sprintf("%s of the %s charged was tmpfs and shared memory (shmem): %s counts against the container's limit and, unlike page cache, cannot be reclaimed. Bound the emptyDir with sizeLimit, delete what is written there, or count it in the limit.", report.Quantity(st.ShmemKiB), report.Quantity(used), where))
	}
	if share(kernel, used) >= 30 {
		parts := []string{}
		if st.SlabKiB > 0 {
			parts = append(parts, "slab "+report.Quantity(st.SlabKiB))
		}
		if st.SockKiB > 0 {
			parts = append(parts, "sockets "+report.Quantity(st.SockKiB))
		}
		detail := ""
		if len(parts) > 0 {
			detail = " (" + strings.Join(parts, ", ") + ")"
		}
		a = append(a, fmt.Sprintf("%s of the %s charged was kernel memory%s: a larger limit only buys time if a kernel-side consumer grows. Look for many open sockets or connections, files whose dentries and inodes pile up in slab, or many threads' stacks.", report.Quantity(kernel), report.Quantity(used), detail))
	}
	if share(cache, used) >= 30 {
		a = append(a, fmt.Sprintf("%s of the %s charged was page cache (dirty %s, writeback %s): cache is reclaimable, so a kill with this much of it means reclaim could not keep up (dirty pages waiting for a slow disk, mapped files in use). The limit must hold it: size it from memory.usage_in_bytes (v1) or memory.current (v2), which count the cache, not from working_set, which leaves inactive cache out; fewer buffered writes (fsync, O_DIRECT) also help.", report.Quantity(cache), report.Quantity(used), report.Quantity(st.DirtyKiB), report.Quantity(st.WritebackKiB)))
	}
	if share(st.AnonKiB, used) >= 60 {
		a = append(a, fmt.Sprintf("%s of the %s charged was anonymous memory (heap, stacks): the processes' own allocations. If that is more than the application should need, look for a leak or an unbounded cache (for a JVM, check -Xmx/MaxRAMPercentage against the limit); otherwise the limit is too small.", report.Quantity(st.AnonKiB), report.Quantity(used)))
	}
	return a
}

// adviseHog names the process that used the memory in a node-wide OOM: the largest of the
// task table, with the task whose allocation invoked the killer. A victim that is not the
// hog was collateral, chosen for its oom_score_adj. It leads the advice: it names who to fix.
func adviseHog(d *report.Death) {
	if len(d.TopTasks) == 0 || d.Victim == nil {
		return
	}
	hog := d.TopTasks[0]
	d.Hog = &hog
	invoker := ""
	if d.Kernel != nil && d.Kernel.Trigger != "" && d.Kernel.Trigger != hog.Name {
		invoker = fmt.Sprintf("; %s invoked the OOM killer, its allocation was the last straw", d.Kernel.Trigger)
	}
	if hog.PID == d.Victim.PID {
		d.Advice = append([]string{fmt.Sprintf("The hog was the victim itself: %s (pid %d) held %s, the largest process on the node%s. Give its container a limit below what the node can spare, so its own cgroup stops it before the node runs out.", hog.Name, hog.PID, report.Quantity(hog.RSSKiB), invoker)}, d.Advice...)
		return
	}
	d.Collateral = true
	victimRSS := ""
	for _, t := range d.TopTasks {
		if t.PID == d.Victim.PID {
			victimRSS = " with " + report.Quantity(t.RSSKiB)
		}
	}
	adj := ""
	if v := d.Victim.OOMScoreAdj; v != nil {
		adj = fmt.Sprintf(" for its oom_score_adj %d", *v)
	}
	d.Advice = append([]string{fmt.Sprintf("%s was collateral: the killer chose it%s%s, while the hog was %s (pid %d, %s, oom_score_adj %d)%s. Limit the hog's container, or protect this one with requests equal to its limits.", d.Victim.Name(), adj, victimRSS, hog.Name, hog.PID, report.Quantity(hog.RSSKiB), hog.OOMScoreAdj, invoker)}, d.Advice...)
}
