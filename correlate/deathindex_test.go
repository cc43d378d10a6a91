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

// joinKill is a kill for TestJoinContainerDeaths: node, pod, container ID, cgroup and time
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

// TestKillIndex: the index of kills by PID finds the kill the linear killOf finds.
func TestKillIndex(t *testing.T) {
	kill := func(node string, pids []int, off time.Duration) report.Death {
		d := joinKill(0, node, "", "", "", off)
		d.Victims = nil
		for _, p := range pids {
			d.Victims = append(d.Victims, report.Victim{PID: p})
		}
		return d
	}
	deaths := []report.Death{kill("n1", []int{1, 2}, 0), kill("n2", []int{1}, 0), kill("n1", []int{1}, time.Hour), kill("n1", []int{3, 3}, -1)}
	kills := []report.Death{kill("n1", []int{4}, 0), kill("", []int{5}, 0)}
	made := []report.Death{kill("n1", []int{6}, 0)}
	tests := []struct {
		reason string
		node   string
		pid    int
		off    time.Duration // of the SystemOOM; negative: no time
	}{
		{"the first death of the PID on the node within the window", "n1", 1, time.Minute},
		{"the PID's later death, an hour on", "n1", 1, time.Hour},
		{"another node's kill of the same PID", "n2", 1, 0},
		{"no kill of the PID in the window", "n1", 1, 30 * time.Minute},
		{"a death of unknown time matches any time; a PID named twice is one candidate", "n1", 3, 5 * time.Hour},
		{"a host kill", "n1", 4, 0},
		{"a kill of unknown node", "n1", 5, 0},
		{"a SystemOOM kill made before", "n1", 6, 0},
		{"a SystemOOM of unknown time: the first kill of the PID", "n1", 1, -1},
		{"a PID no kill names", "n1", 9, 0},
	}
	for _, tt := range tests {
		var at time.Time
		if tt.off >= 0 {
			at = t0.Add(tt.off)
		}
		x := newKillIndex(deaths, kills)
		m := append([]report.Death(nil), made...)
		x.made(m, 0)
		got, want := x.killOf(&m, tt.node, tt.pid, at, 2*time.Minute), killOf(deaths, kills, m, tt.node, tt.pid, at, 2*time.Minute)
		if got != want {
			t.Errorf("%s: the index finds %v, the scan %v", tt.reason, got, want)
		}
		if (got == nil) != (tt.reason == "no kill of the PID in the window" || tt.reason == "a PID no kill names") {
			t.Errorf("%s: found %v", tt.reason, got)
		}
	}
}
