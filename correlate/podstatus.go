package correlate

import (
	"fmt"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/parsers"
	corev1 "k8s.io/api/core/v1"
)

// statusDeath is a container termination that pod status shows: the Kubernetes side of a
// death, with the names that kernel logs lack.
type statusDeath struct {
	namespace, pod, podUID, node, qos string
	container, containerID, runtime   string
	reason                            string // OOMKilled, Error, …
	exitCode                          int32
	finished                          time.Time
	limit, request                    string // the container's memory limit and request, "" when unset
	podReason, podMessage             string // status.reason/message: Evicted and why
	pos                               parsers.Pos
}

// statusDeaths lists the terminations of a pod that can be memory deaths: OOMKilled, a
// SIGKILL (exit 137), or any container of an evicted pod.
func statusDeaths(ps *parsers.PodStatus) []statusDeath {
	p := ps.Pod
	specs := map[string]corev1.Container{}
	for _, c := range append(append([]corev1.Container{}, p.Spec.InitContainers...), p.Spec.Containers...) {
		specs[c.Name] = c
	}
	var out []statusDeath
	statuses := append(append([]corev1.ContainerStatus{}, p.Status.InitContainerStatuses...), p.Status.ContainerStatuses...)
	for _, cs := range statuses {
		for _, st := range []corev1.ContainerState{cs.State, cs.LastTerminationState} {
			t := st.Terminated
			if t == nil || !(t.Reason == "OOMKilled" || t.ExitCode == 137 || t.Signal == 9 || p.Status.Reason == "Evicted") {
				continue
			}
			d := statusDeath{namespace: p.Namespace, pod: p.Name, podUID: string(p.UID), node: p.Spec.NodeName,
				qos: strings.ToLower(string(p.Status.QOSClass)), container: cs.Name, reason: t.Reason, exitCode: t.ExitCode,
				finished: t.FinishedAt.Time, podReason: p.Status.Reason, podMessage: p.Status.Message, pos: ps.Pos}
			id := t.ContainerID
			if id == "" && st.Terminated == cs.State.Terminated {
				id = cs.ContainerID
			}
			d.runtime, d.containerID, _ = strings.Cut(id, "://")
			if d.containerID == "" {
				d.runtime, d.containerID = "", d.runtime
			}
			if c, ok := specs[cs.Name]; ok {
				if q, ok := c.Resources.Limits[corev1.ResourceMemory]; ok {
					d.limit = q.String()
				}
				if q, ok := c.Resources.Requests[corev1.ResourceMemory]; ok {
					d.request = q.String()
				}
			}
			out = append(out, d)
		}
	}
	return out
}

// joinStatus gives kernel deaths their names from pod status and turns terminations that no
// kernel evidence explains into deaths of their own, judged by what the status shows.
func joinStatus(deaths []Death, statuses []statusDeath) []Death {
	for _, s := range statuses {
		if i := matchStatus(deaths, s); i >= 0 {
			nameDeath(&deaths[i], s)
			continue
		}
		deaths = append(deaths, deathFromStatus(s))
	}
	return deaths
}

func matchStatus(deaths []Death, s statusDeath) int {
	for i, d := range deaths {
		if s.containerID != "" && d.ContainerID == s.containerID {
			return i
		}
	}
	return -1
}

func nameDeath(d *Death, s statusDeath) {
	d.Namespace, d.Pod, d.Container = s.namespace, s.pod, s.container
	if d.Node == "" {
		d.Node = s.node
	}
	if d.QoS == "" {
		d.QoS = s.qos
	}
	if d.Time == nil && !s.finished.IsZero() {
		t := s.finished.UTC()
		d.Time = &t
		d.Notes = append(d.Notes, "the time is the container's finishedAt from pod status (whole seconds): the kernel log gave only time since boot")
	}
	d.Evidence = append(d.Evidence, statusEvidence(s))
}

// statusEvidence quotes the termination as a line of proof.
func statusEvidence(s statusDeath) Evidence {
	e := Evidence{Input: s.pos.Input, Line: s.pos.Line, Role: "pod-status",
		Text: fmt.Sprintf("pod %s/%s container %s terminated: reason %s, exit code %d", s.namespace, s.pod, s.container, or(s.reason, "-"), s.exitCode)}
	if s.podReason != "" {
		e.Text += fmt.Sprintf("; pod %s: %s", s.podReason, strings.TrimSpace(s.podMessage))
	}
	if !s.finished.IsZero() {
		t := s.finished.UTC()
		e.Time = &t
	}
	return e
}

// deathFromStatus judges a termination that has no kernel evidence by the status alone.
func deathFromStatus(s statusDeath) Death {
	d := Death{Node: s.node, Namespace: s.namespace, Pod: s.pod, PodUID: s.podUID, QoS: s.qos, Container: s.container,
		ContainerID: s.containerID, Runtime: runtimeName(s.runtime), Victims: []Victim{}, Advice: []string{},
		Evidence: []Evidence{statusEvidence(s)}}
	if !s.finished.IsZero() {
		t := s.finished.UTC()
		d.Time = &t
	}
	missing := "no kernel log of node " + or(s.node, "(unknown)") + " covers this time"
	switch {
	case s.podReason == "Evicted":
		d.Mechanism, d.Confidence, d.Notes = evictionVerdict(s.podMessage)
	case s.reason == "OOMKilled" && s.limit != "":
		d.Mechanism, d.Confidence = CgroupOOM, "low"
		d.Notes = []string{"the runtime reported OOMKilled and the container has a memory limit (" + s.limit + "), so its own limit is the likely cause; " +
			missing + ", which would say whether the container's limit or the whole node ran out"}
	case s.reason == "OOMKilled":
		d.Mechanism, d.Confidence = KernelOOM, "low"
		d.Notes = []string{"the runtime reported OOMKilled but the container has no memory limit, so its own cgroup could not OOM: the node (or the kubepods cgroup of node allocatable) ran out; " + missing}
	default:
		d.Mechanism, d.Confidence = Unknown, "low"
		d.Notes = []string{fmt.Sprintf("the container was killed by SIGKILL (exit code %d, reason %s) and nothing shows memory pressure; %s", s.exitCode, or(s.reason, "none"), missing)}
	}
	d.Summary, d.Advice = explainStatus(&d, s)
	return d
}

// explainStatus writes the summary and advice of a death known from pod status alone.
func explainStatus(d *Death, s statusDeath) (string, []string) {
	who := fmt.Sprintf("container %s of pod %s/%s", s.container, s.namespace, s.pod)
	switch d.Mechanism {
	case KubeletEviction:
		return fmt.Sprintf("The kubelet evicted pod %s/%s (%s) under node memory pressure.", s.namespace, s.pod, or(s.qos, "unknown QoS")),
			[]string{"Set memory requests close to real usage: pods whose usage exceeds their request are evicted first.",
				"Reserve memory for the system (kube-reserved, system-reserved) so the node's allocatable matches what pods can really use."}
	case NotMemory:
		return fmt.Sprintf("The kubelet evicted pod %s/%s for a resource other than memory: %s", s.namespace, s.pod, strings.TrimSpace(s.podMessage)), []string{}
	case CgroupOOM:
		return fmt.Sprintf("%s was OOMKilled with a memory limit of %s; the kernel log that would confirm the limit was hit is missing.", capitalize(who), s.limit),
			[]string{"Collect the node's kernel log (dmesg or journalctl -k) for this time to confirm, then size the limit from the cgroup's usage, page cache included, not from working_set."}
	case KernelOOM:
		return fmt.Sprintf("%s was OOMKilled without a memory limit of its own: the node ran out of memory.", capitalize(who)),
			[]string{"Give the container a memory request and limit, and collect the node's kernel log for this time to see the victim choice."}
	}
	return fmt.Sprintf("%s was killed by SIGKILL (exit code %d) and no evidence explains it.", capitalize(who), s.exitCode),
		[]string{"Look for a failed liveness probe, preemption, node shutdown or a manual kill in the pod's Events and the kubelet log of node " + or(s.node, "(unknown)") + "."}
}

// evictionVerdict reads the eviction message the kubelet writes into pod status
// ("The node was low on resource: memory. …", pkg/kubelet/eviction/helpers.go).
func evictionVerdict(msg string) (string, string, []string) {
	const low = "The node was low on resource: "
	i := strings.Index(msg, low)
	if i < 0 {
		return KubeletEviction, "low", []string{"the pod was evicted, but its status does not say for which resource"}
	}
	resource, _, _ := strings.Cut(msg[i+len(low):], ".")
	if resource == "memory" {
		return KubeletEviction, "medium", nil
	}
	return NotMemory, "medium", []string{"evicted for " + resource + ", not memory"}
}

func runtimeName(prefix string) string {
	switch prefix {
	case "containerd", "cri-o", "docker":
		return prefix
	}
	return ""
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
