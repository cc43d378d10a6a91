package parsers

import (
	"regexp"
	"strconv"
)

// OOMVictim is the process the kubelet's OOM watcher names in its SystemOOM and CgroupOOM
// Events.
type OOMVictim struct {
	Comm string
	PID  int
}

// The kubelet's OOM watcher (pkg/kubelet/oom/oom_watcher_linux.go) records an Event for every
// kill cAdvisor read from /dev/kmsg: SystemOOM on the node when the victim's memcg is the root
// ("System OOM encountered, victim process: %s, pid: %d", the bare "System OOM encountered"
// when it has no victim), CgroupOOM on the pod otherwise ("Cgroup OOM encountered, victim
// process: …").
var reOOMWatcherVictim = regexp.MustCompile(`victim process: (.*), pid: (\d+)`)

// readOOMWatcherVictim decodes the victim of a finished SystemOOM or CgroupOOM Event.
func readOOMWatcherVictim(e *KubeEvent) {
	if e.Reason != "SystemOOM" && e.Reason != "CgroupOOM" {
		return
	}
	if sm := reOOMWatcherVictim.FindStringSubmatch(e.Message); sm != nil {
		pid, _ := strconv.Atoi(sm[2])
		e.OOMVictim = &OOMVictim{Comm: sm[1], PID: pid}
	}
}
