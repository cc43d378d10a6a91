package correlate

import (
	"regexp"
	"strconv"
	"time"
)

// The kubelet's OOM watcher (pkg/kubelet/oom/oom_watcher_linux.go) records a SystemOOM Event
// on the node for every kill cAdvisor read from /dev/kmsg without a memcg: "System OOM
// encountered, victim process: %s, pid: %d" (the bare "System OOM encountered" when it has no
// victim), and logs the OomInstance it read at V(1).
var reSystemOOMVictim = regexp.MustCompile(`victim process: (.*), pid: (\d+)`)

// systemOOMVictim reads the victim a SystemOOM fact names.
func systemOOMVictim(f *nodeFact) (comm string, pid int, ok bool) {
	switch {
	case f.event != nil && f.event.Reason == "SystemOOM":
		sm := reSystemOOMVictim.FindStringSubmatch(f.event.Message)
		if sm == nil {
			return "", 0, false
		}
		pid, _ = strconv.Atoi(sm[2])
		return sm[1], pid, true
	case f.kubelet != nil && f.kubelet.VictimPID > 0:
		return f.kubelet.Victim, f.kubelet.VictimPID, true
	}
	return "", 0, false
}

// witnessSystemOOM adds to a kill the kubelet's own record of it: the same PID on the same
// node within the window. It says the kill was node-wide as cAdvisor saw it; it does not name
// the container.
func witnessSystemOOM(kills []Death, facts []nodeFact, window time.Duration) {
	for i := range kills {
		k := &kills[i]
		if k.Victim == nil || k.Time == nil {
			continue
		}
		for j := range facts {
			f := &facts[j]
			comm, pid, ok := systemOOMVictim(f)
			if !ok || pid != k.Victim.PID || !sameNode(f.node, k.Node) || f.at.IsZero() || absDur(f.at.Sub(*k.Time)) > window {
				continue
			}
			k.Evidence = append(k.Evidence, f.ev)
			k.Notes = append(k.Notes, "the kubelet recorded this kill as a SystemOOM of "+comm+" (pid "+strconv.Itoa(pid)+") on this node: cAdvisor saw it without a memory cgroup")
			break
		}
	}
}
