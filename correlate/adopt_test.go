package correlate

import (
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// TestAdoptHostKills: a kernel kill that names no cgroup goes to a container only when it is
// the one container seen OOM-killed on that node within the window.
func TestAdoptHostKills(t *testing.T) {
	at := time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)
	kill := func(node, cgroup string, when *time.Time) report.Death {
		return report.Death{Node: node, Cgroup: cgroup, Time: when, Mechanism: report.KernelOOM, Confidence: "high",
			Victims: []report.Victim{{PID: 4242}}}
	}
	oomed := func(node, pod string, off time.Duration) *caseFile {
		return &caseFile{d: report.Death{Node: node, Pod: pod}, seen: []sighting{{kind: seenRuntimeOOM, node: node, pod: pod, at: at.Add(off)}}}
	}
	exited := func(node, pod string) *caseFile {
		return &caseFile{d: report.Death{Node: node, Pod: pod}, seen: []sighting{{kind: seenExit, node: node, pod: pod, at: at}}}
	}
	tests := []struct {
		reason  string
		kill    report.Death
		cases   []*caseFile
		adopted string // the pod that takes the kill, "" when it stays a host kill
	}{
		{"the one OOM-killed container on the node, at the time", kill("n1", "", &at), []*caseFile{oomed("n1", "api", 3*time.Second)}, "api"},
		{"a kill that names its cgroup is the kernel's own word", kill("n1", "/kubepods/x", &at), []*caseFile{oomed("n1", "api", 0)}, ""},
		{"a kill without a time cannot be matched by time", kill("n1", "", nil), []*caseFile{oomed("n1", "api", 0)}, ""},
		{"two candidates: a guess would be worse than none", kill("n1", "", &at), []*caseFile{oomed("n1", "api", 0), oomed("n1", "web", time.Second)}, ""},
		{"another node's container", kill("n1", "", &at), []*caseFile{oomed("n2", "api", 0)}, ""},
		{"outside the window", kill("n1", "", &at), []*caseFile{oomed("n1", "api", 5*time.Minute)}, ""},
		{"a container that merely exited is no OOM sighting", kill("n1", "", &at), []*caseFile{exited("n1", "api")}, ""},
	}
	for _, tt := range tests {
		rest := adoptHostKills(tt.cases, []report.Death{tt.kill}, 2*time.Minute)
		got := ""
		for _, c := range tt.cases {
			if c.d.Victim != nil && c.d.Victim.PID == 4242 {
				got = c.d.Pod
				if c.d.Confidence != "medium" || c.d.Attribution != report.AttrContainer {
					t.Errorf("%s: adopted with confidence %q, attribution %q; want medium, container", tt.reason, c.d.Confidence, c.d.Attribution)
				}
			}
		}
		if got != tt.adopted || (got == "") != (len(rest) == 1) {
			t.Errorf("%s: adopted by %q (want %q), %d host kills left", tt.reason, got, tt.adopted, len(rest))
		}
	}
}
