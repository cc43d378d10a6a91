package correlate

import (
	"fmt"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
)

// scanSame is the linear scan the death index replaced: the first earlier death d joins.
func scanSame(out []report.Death, d report.Death, window time.Duration, levels cgroupLevels) int {
	for i := range out {
		o := &out[i]
		switch {
		case d.ContainerID != "":
			if o.ContainerID == d.ContainerID && levels.conmon(o.Cgroup) == levels.conmon(d.Cgroup) {
				return i
			}
		case o.ContainerID == "" && o.PodUID == d.PodUID && o.Node == d.Node:
			if o.Time == nil || d.Time == nil || d.Time.Sub(*o.Time) <= window {
				return i
			}
		}
	}
	return -1
}

// joinDeaths is a kill for TestJoinContainerDeaths: node, pod, container ID, cgroup and time
// (nil when off is negative), tagged by its victim's PID.
func joinKill(pid int, node, pod, cid, cg string, off time.Duration) report.Death {
	d := report.Death{Node: node, PodUID: pod, ContainerID: cid, Cgroup: cg, Victims: []report.Victim{{PID: pid, From: "kill"}},
		Evidence: []report.Evidence{{Input: "dmesg", Line: pid}}}
	if off >= 0 {
		t := t0.Add(off)
		d.Time = &t
	}
	return d
}

// TestJoinContainerDeaths: which kills the index joins into one death, each checked against
// the linear scan it replaced.
func TestJoinContainerDeaths(t *testing.T) {
	levels := cgroupLevels{"/conmon-c1": parsers.CgroupConmon}
	const w = 2 * time.Minute
	tests := []struct {
		reason string
		kills  []report.Death
		want   string // each death's victim PIDs
	}{
		{"two kills in one container are one death, whatever the times",
			[]report.Death{joinKill(1, "n1", "p1", "c1", "/c1", 0), joinKill(2, "n1", "p1", "c1", "/c1", time.Hour)}, "[1 2]"},
		{"a restart has a new container ID: a death of its own",
			[]report.Death{joinKill(1, "n1", "p1", "c1", "/c1", 0), joinKill(2, "n1", "p1", "c2", "/c2", time.Second)}, "[1] [2]"},
		{"conmon's kill names the container but is not the container's death",
			[]report.Death{joinKill(1, "n1", "p1", "c1", "/c1", 0), joinKill(2, "n1", "p1", "c1", "/conmon-c1", time.Second), joinKill(3, "n1", "p1", "c1", "/conmon-c1", 2*time.Second)}, "[1] [2 3]"},
		{"without a container ID, kills of one pod within the window join",
			[]report.Death{joinKill(1, "n1", "p1", "", "/p1", 0), joinKill(2, "n1", "p1", "", "/p1", time.Minute)}, "[1 2]"},
		{"without a container ID, a kill past the window is the next death, and later kills join that one",
			[]report.Death{joinKill(1, "n1", "p1", "", "/p1", 0), joinKill(2, "n1", "p1", "", "/p1", 10*time.Minute), joinKill(3, "n1", "p1", "", "/p1", 11*time.Minute)}, "[1] [2 3]"},
		{"the window counts from the death's first kill, not its last",
			[]report.Death{joinKill(1, "n1", "p1", "", "/p1", 0), joinKill(2, "n1", "p1", "", "/p1", 90*time.Second), joinKill(3, "n1", "p1", "", "/p1", 3*time.Minute)}, "[1 2] [3]"},
		{"another node's pod of the same UID is another death",
			[]report.Death{joinKill(1, "n1", "p1", "", "/p1", 0), joinKill(2, "n2", "p1", "", "/p1", time.Second)}, "[1] [2]"},
		{"a kill of unknown time joins the pod's first death",
			[]report.Death{joinKill(1, "n1", "p1", "", "/p1", 0), joinKill(2, "n1", "p1", "", "/p1", 10*time.Minute), joinKill(3, "n1", "p1", "", "/p1", -1)}, "[1 3] [2]"},
		{"a kill with a container ID never joins one without",
			[]report.Death{joinKill(1, "n1", "p1", "", "/p1", 0), joinKill(2, "n1", "p1", "c1", "/c1", time.Second)}, "[1] [2]"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			got := joinContainerDeaths(append([]report.Death(nil), tt.kills...), w, levels)
			if s := victimPIDs(got); s != tt.want {
				t.Errorf("deaths %s, want %s", s, tt.want)
			}
			// the reference: the same join by scanning every earlier death
			ref := []report.Death{}
			ds := append([]report.Death(nil), tt.kills...)
			sortDeaths(ds)
			for _, d := range ds {
				if i := scanSame(ref, d, w, levels); i >= 0 {
					joinDeath(&ref[i], d)
					continue
				}
				ref = append(ref, d)
			}
			if s := victimPIDs(ref); s != tt.want {
				t.Errorf("the linear scan gives %s, want %s", s, tt.want)
			}
		})
	}
}

func victimPIDs(ds []report.Death) string {
	s := ""
	for i, d := range ds {
		if i > 0 {
			s += " "
		}
		var pids []int
		for _, v := range d.Victims {
			pids = append(pids, v.PID)
		}
		s += fmt.Sprint(pids)
	}
	return s
}
