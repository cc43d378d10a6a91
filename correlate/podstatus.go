package correlate

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"

	"github.com/k8s-coroner/coroner/parsers"
)

// statusDeath is a container termination that pod status shows: the Kubernetes side of a
// death, with the names that kernel logs lack.
type statusDeath struct {
	namespace, pod, podUID, node, qos string
	container, containerID, runtime   string
	reason                            string // OOMKilled, Error, …
	exitCode                          int32
	finished                          time.Time
	limit, request                    string           // the container's memory limit and request, "" when unset
	podReason, podMessage             string           // status.reason/message: Evicted and why
	podEviction                       parsers.Eviction // what podMessage says of an evicted pod
	neighbours                        string           // containers of the pod with larger memory requests, "app (2Gi)"
	memoryVolumes                     string           // emptyDir volumes with medium Memory, "cache (sizeLimit 1Gi)"
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
	p := &ps.Pod
	var out []statusDeath
	for _, cs := range p.Statuses {
		for _, t := range cs.Terminations {
			if !(t.Reason == "OOMKilled" || t.ExitCode == 137 || t.Signal == 9 || p.Reason == "Evicted") {
				continue
			}
			d := statusDeath{namespace: p.Namespace, pod: p.Name, podUID: p.UID, node: p.Node,
				qos: strings.ToLower(p.QoS), container: cs.Name, reason: t.Reason, exitCode: t.ExitCode,
				finished: t.Finished, podReason: p.Reason, podMessage: p.Message, podEviction: p.Eviction, pos: ps.Pos,
				restarts: cs.RestartCount, human: ps.Human, exitUnknown: ps.Human != "" && strings.HasPrefix(ps.Human, "kubectl get pods") && t.ExitCode == 0,
				runtime: t.Runtime, containerID: t.ContainerID}
			if ps.RestartAge != nil && d.finished.IsZero() {
				d.age = ps.RestartAge.Text
			}
			d.limitUnknown = len(p.Specs) == 0
			if c := specOf(p, cs.Name); c != nil {
				if q := c.MemoryLimit; q != nil {
					d.limit = q.Text
				}
				if q := c.MemoryRequest; q != nil {
					d.request = q.Text
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

// specOf is the named container's spec, nil when the evidence does not show it. Names are
// unique across a pod's init and regular containers.
func specOf(p *parsers.PodFacts, name string) *parsers.ContainerSpec {
	for i := range p.Specs {
		if p.Specs[i].Name == name {
			return &p.Specs[i]
		}
	}
	return nil
}

// biggerRequests lists the pod's other regular containers whose memory request is much
// larger (4x) than the named container's: the neighbours a sidecar trap leaves alive.
func biggerRequests(p *parsers.PodFacts, name string) string {
	var mine int64
	if c := specOf(p, name); c != nil && c.MemoryRequest != nil {
		mine = c.MemoryRequest.Bytes
	}
	var out []string
	for _, c := range p.Specs {
		if q := c.MemoryRequest; q != nil && !c.Init && c.Name != name && q.Bytes >= 4*mine && q.Bytes > 0 {
			out = append(out, c.Name+" ("+q.Text+")")
		}
	}
	return strings.Join(out, ", ")
}

// memoryEmptyDirs lists the pod's emptyDir volumes with medium Memory, "cache (sizeLimit
// 1Gi)": tmpfs pages that count against the pod's memory cgroup (and so its containers'
// limits) and working set.
func memoryEmptyDirs(p *parsers.PodFacts) string {
	var out []string
	for _, v := range p.MemoryVolumes {
		s := v.Name
		if v.SizeLimit != "" {
			s += " (sizeLimit " + v.SizeLimit + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

// statusEvidence quotes the termination as a line of proof.
func statusEvidence(s statusDeath) report.Evidence {
	exit := fmt.Sprintf("exit code %d", s.exitCode)
	if s.exitUnknown {
		exit = "exit code not shown"
	}
	e := report.Evidence{Input: s.pos.Input, Line: s.pos.Line, Role: parsers.RolePodStatus, Age: s.age,
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
