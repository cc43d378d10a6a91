package correlate

import "github.com/k8s-coroner/coroner/parsers"

// cgroupLevels are the levels of the cgroups the kernel's reports name, as the parsers
// decoded them, by path: a death keeps only its cgroup's path, and whether that is CRI-O's
// conmon decides which kills are one death and what a kill of one process means.
type cgroupLevels map[string]string

func levelsOf(ooms []*parsers.KernelOOM) cgroupLevels {
	l := cgroupLevels{}
	for _, o := range ooms {
		for _, c := range append([]parsers.CgroupPath{o.OOMCgroup, o.TaskCgroup, o.GroupCgroup}, o.StatsCgroups...) {
			if c.Path != "" {
				l[c.Path] = c.Level
			}
		}
	}
	return l
}

func (l cgroupLevels) conmon(path string) bool { return l[path] == parsers.CgroupConmon }
