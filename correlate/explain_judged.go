package correlate

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
)

// explainJudged writes the summary and advice of a death that no kernel report explains,
// from the Kubernetes side's evidence; measured is what the kubelet measured of an
// eviction's offenders.
func explainJudged(d *report.Death, st *statusDeath, measured []parsers.EvictionUsage) (string, []string) {
	who := describeWhere(d)
	if d.Container == "" && d.Pod != "" {
		who = fmt.Sprintf("pod %s/%s", d.Namespace, d.Pod)
	}
	limit := ""
	if st != nil {
		limit = st.limit
	}
	switch d.Mechanism {
	case report.KubeletEviction:
		e := d.Eviction
		s := fmt.Sprintf("The kubelet evicted %s (%s) because node %s was low on memory", who, cmp.Or(d.QoS, "unknown QoS"), cmp.Or(d.Node, "(unknown)"))
		if e.Threshold != "" {
			s += fmt.Sprintf(" (%s below the %s threshold: %s available)", cmp.Or(e.Signal, "memory"), e.Threshold, e.Observed)
		}
		s += "."
		if e.Resource == "" {
			s = fmt.Sprintf("The kubelet evicted %s; the evidence does not say for which resource.", who)
		}
		a := []string{"Set memory requests close to real usage: under node pressure the kubelet evicts first the pods whose usage exceeds their request (and BestEffort pods, which request nothing)."}
		fix := requestFix(d, measured)
		for _, u := range e.Usage {
			switch {
			case fix != nil && u.Container == d.Container:
				d.Fix = fix
				a = append(a, fixAdvice(fmt.Sprintf("Container %s used %s against a request of %s: set requests.memory to at least %s (%s), so the next ranking does not find it over its request", u.Container, u.Usage, cmp.Or(u.Request, "none"), fix.Request, fix.Basis), fix))
			case u.Request != "":
				a = append(a, fmt.Sprintf("Container %s used %s against a request of %s: raise its request to its real usage, or find why it grew.", u.Container, u.Usage, u.Request))
			case u.Usage != "":
				a = append(a, fmt.Sprintf("Container %s used %s, more than its request: raise its request to its real usage, or find why it grew.", u.Container, u.Usage))
			}
		}
		a = append(a, "Reserve memory for the system (kube-reserved, system-reserved) so that node allocatable matches what pods can really use, and watch the node's memory.available before it reaches the threshold.")
		return s, a
	case report.NotMemory:
		return notMemorySummary(d, who), notMemoryAdvice(d)
	case report.CgroupOOM:
		if limit == "" {
			return fmt.Sprintf("%s was OOM-killed inside its memory cgroup: a cgroup limit (the container's or the pod's) was hit, but the kernel's OOM report, which names it, is not in the inputs.", capitalize(who)),
				[]string{"Collect the node's kernel log (dmesg, journalctl -k or /var/log/messages) for this time to see which limit was hit, then size it from the cgroup's usage, page cache included, not from working_set."}
		}
		return fmt.Sprintf("%s was OOM-killed with a memory limit of %s: its own limit is the likely cause, but the kernel's OOM report is not in the inputs.", capitalize(who), limit),
			[]string{"Collect the node's kernel log (dmesg, journalctl -k or /var/log/messages) for this time to confirm, then size the limit from the cgroup's usage, page cache included, not from working_set."}
	case report.KernelOOM:
		if st != nil && limit == "" {
			return fmt.Sprintf("%s was OOM-killed without a memory limit of its own: the node ran out of memory.", capitalize(who)),
				[]string{"Give the container a memory request and limit, reserve memory for the system (kube-reserved, system-reserved), and collect the node's kernel log for this time to see the victim choice."}
		}
		return fmt.Sprintf("%s was OOM-killed during a node-wide OOM on %s.", capitalize(who), cmp.Or(d.Node, "its node")),
			[]string{"Reserve memory for the system (kube-reserved, system-reserved) and keep a memory.available eviction threshold so the kubelet evicts before the kernel kills; give pods requests close to their real usage.",
				"Collect the node's kernel log for this time: its OOM report shows which process used the memory."}
	}
	code := "unknown"
	if d.ExitCode != nil {
		code = fmt.Sprint(*d.ExitCode)
	}
	if d.Reason == "OOMKilled" {
		return fmt.Sprintf("%s was OOM-killed, but the evidence does not show its memory limit or the node's kernel log: whether its own limit or the node ran out is not known.", capitalize(who)),
			[]string{"Give `kubectl get pod " + cmp.Or(d.Pod, "NAME") + " -o json` (its limits and termination) and the node's kernel log for this time: the kernel's report says which limit was hit."}
	}
	if runtimeOOMSeen(d) {
		exited := ""
		if d.ExitCode != nil {
			exited = fmt.Sprintf(" (it exited with code %d)", *d.ExitCode)
		}
		return fmt.Sprintf("The runtime saw an OOM kill in %s%s, but the evidence does not say whose limit was hit.", who, exited),
			[]string{"Collect the node's kernel log and the pod's status for this time: the kernel's report says whether the container's limit or the node ran out."}
	}
	return fmt.Sprintf("%s was killed (exit code %s) and no evidence explains it: not a memory death that the inputs can show.", capitalize(who), code),
		[]string{"Look for a failed liveness probe, preemption, node shutdown or a manual kill in the pod's Events and the kubelet log of node " + cmp.Or(d.Node, "(unknown)") + "."}
}

func notMemorySummary(d *report.Death, who string) string {
	k := d.Kill
	switch k.Reason {
	case "liveness-probe", "startup-probe":
		return fmt.Sprintf("The kubelet killed %s because its %s failed (%s): not a memory death.", who, strings.Replace(k.Reason, "-", " ", 1), k.Message)
	case "preemption":
		return fmt.Sprintf("The kubelet preempted %s to admit a critical pod: not a memory death.", who)
	case "node-shutdown":
		return fmt.Sprintf("The kubelet killed %s during a graceful node shutdown: not a memory death.", who)
	case "eviction":
		switch d.Eviction.Scope {
		case parsers.EvictionScopePod, parsers.EvictionScopeContainer, parsers.EvictionScopeEmptyDir:
			return fmt.Sprintf("The kubelet evicted %s for %s: not memory.", who, evictionCause(d.Eviction))
		}
		return fmt.Sprintf("The kubelet evicted %s because node %s was low on %s: not memory.", who, cmp.Or(d.Node, "(unknown)"), d.Eviction.Resource)
	case "stopped":
		return fmt.Sprintf("The kubelet stopped %s and it did not exit within its grace period (killed with SIGKILL): not a memory death.", who)
	}
	return fmt.Sprintf("%s was killed: %s.", capitalize(who), k.Message)
}

func notMemoryAdvice(d *report.Death) []string {
	switch d.Kill.Reason {
	case "liveness-probe", "startup-probe":
		return []string{"Check the probe's timeout, period and failure threshold against how long the container can take to answer (GC pauses, load), and that the probe checks liveness only, not dependencies."}
	case "preemption":
		return []string{"Critical pods need room on the node: reserve it, or give this pod a PriorityClass if it must not be preempted."}
	case "eviction":
		switch d.Eviction.Resource {
		case "ephemeral-storage", "nodefs", "imagefs", "nodefsInodes", "imagefsInodes":
			switch d.Eviction.Scope {
			case parsers.EvictionScopeEmptyDir:
				return []string{fmt.Sprintf("Volume %s outgrew its emptyDir sizeLimit %s: raise the sizeLimit, or clean up what the pod writes there.", d.Eviction.Volume, d.Eviction.Limit)}
			case parsers.EvictionScopePod, parsers.EvictionScopeContainer:
				return []string{"The pod wrote more to local storage (logs, emptyDir, its writable layer) than its ephemeral-storage limit allows: raise the limit, or find what writes and bound it."}
			}
			return []string{"Set ephemeral-storage requests and limits, keep logs and scratch data off the node's root filesystem, and check image garbage collection."}
		case "pid", "pids":
			return []string{"Set a pod PID limit and find the process that forks without bound."}
		}
	case "stopped":
		return []string{"Make the container exit on SIGTERM within terminationGracePeriodSeconds (handle the signal, or a preStop hook that finishes in time), or raise the grace period."}
	}
	return []string{}
}

// runtimeOOMSeen says whether the death's evidence holds the runtime's OOM event.
func runtimeOOMSeen(d *report.Death) bool {
	for _, e := range d.Evidence {
		switch e.Role {
		case parsers.RoleContainerdOOM, parsers.RoleConmonOOM, parsers.RoleSystemdOOM:
			return true
		}
	}
	return false
}
