package correlate

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"

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
	neighbours                        string // containers of the pod with larger memory requests, "app (2Gi)"
	memoryVolumes                     string // emptyDir volumes with medium Memory, "cache (sizeLimit 1Gi)"
	restarts                          int32
	pos                               parsers.Pos
	human                             string        // the kubectl output it was read from, "" for an API object
	exitUnknown                       bool          // the output does not show the exit code (kubectl get pods)
	limitUnknown                      bool          // the evidence does not show the container's spec, so its limit is not known
	age                               string        // when it terminated, relative to when kubectl ran ("19s" of "2 (19s ago)")
	owner                             *report.Owner // the pod's controller, from its ownerReferences
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
				finished: t.FinishedAt.Time, podReason: p.Status.Reason, podMessage: p.Status.Message, pos: ps.Pos,
				restarts: cs.RestartCount, human: ps.Human, exitUnknown: ps.Human != "" && strings.HasPrefix(ps.Human, "kubectl get pods") && t.ExitCode == 0}
			if ps.RestartAge != nil && d.finished.IsZero() {
				d.age = ps.RestartAge.Text
			}
			id := t.ContainerID
			if id == "" && st.Terminated == cs.State.Terminated {
				id = cs.ContainerID
			}
			d.runtime, d.containerID, _ = strings.Cut(id, "://")
			if d.containerID == "" {
				d.runtime, d.containerID = "", d.runtime
			}
			d.limitUnknown = len(specs) == 0
			if c, ok := specs[cs.Name]; ok {
				if q, ok := c.Resources.Limits[corev1.ResourceMemory]; ok {
					d.limit = q.String()
				}
				if q, ok := c.Resources.Requests[corev1.ResourceMemory]; ok {
					d.request = q.String()
				}
			}
			if d.qos == "burstable" {
				d.neighbours = biggerRequests(p, cs.Name)
			}
			d.memoryVolumes = memoryEmptyDirs(p)
			d.owner = ownerOfPod(p)
			out = append(out, d)
		}
	}
	return out
}

// biggerRequests lists the pod's other regular containers whose memory request is much
// larger (4x) than the named container's: the neighbours a sidecar trap leaves alive.
func biggerRequests(p *corev1.Pod, name string) string {
	var mine int64
	for _, c := range p.Spec.Containers {
		if c.Name == name {
			mine = c.Resources.Requests.Memory().Value()
		}
	}
	for _, c := range p.Spec.InitContainers {
		if c.Name == name {
			mine = c.Resources.Requests.Memory().Value()
		}
	}
	var out []string
	for _, c := range p.Spec.Containers {
		if q, ok := c.Resources.Requests[corev1.ResourceMemory]; ok && c.Name != name && q.Value() >= 4*mine && q.Value() > 0 {
			out = append(out, c.Name+" ("+q.String()+")")
		}
	}
	return strings.Join(out, ", ")
}

// memoryEmptyDirs lists the pod's emptyDir volumes with medium Memory: tmpfs pages that
// count against the pod's memory cgroup (and so its containers' limits) and working set.
func memoryEmptyDirs(p *corev1.Pod) string {
	var out []string
	for _, v := range p.Spec.Volumes {
		if e := v.EmptyDir; e != nil && e.Medium == corev1.StorageMediumMemory {
			s := v.Name
			if e.SizeLimit != nil {
				s += " (sizeLimit " + e.SizeLimit.String() + ")"
			}
			out = append(out, s)
		}
	}
	return strings.Join(out, ", ")
}

// statusEvidence quotes the termination as a line of proof.
func statusEvidence(s statusDeath) report.Evidence {
	exit := fmt.Sprintf("exit code %d", s.exitCode)
	if s.exitUnknown {
		exit = "exit code not shown"
	}
	e := report.Evidence{Input: s.pos.Input, Line: s.pos.Line, Role: "pod-status", Age: s.age,
		Text: fmt.Sprintf("pod %s/%s container %s terminated: reason %s, %s", s.namespace, s.pod, cmp.Or(s.container, "(not shown)"), cmp.Or(s.reason, "-"), exit)}
	if s.human != "" {
		e.Text = s.human + ": " + e.Text
	}
	if s.podReason != "" {
		e.Text += fmt.Sprintf("; pod %s: %s", s.podReason, strings.TrimSpace(s.podMessage))
	}
	if !s.finished.IsZero() {
		t := s.finished.UTC()
		e.Time = &t
	}
	return e
}

func runtimeName(prefix string) string {
	switch prefix {
	case "containerd", "cri-o", "docker":
		return prefix
	}
	return ""
}
