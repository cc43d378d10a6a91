package parsers

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The OOM watcher's messages (pkg/kubelet/oom/oom_watcher_linux.go's format strings).
func TestReadOOMWatcherVictim(t *testing.T) {
	tests := []struct {
		reason, eventReason, msg string
		want                     *OOMVictim
	}{
		{"a node-wide kill", "SystemOOM", "System OOM encountered, victim process: java, pid: 4121", &OOMVictim{Comm: "java", PID: 4121}},
		{"a kill inside a pod's cgroup", "CgroupOOM", "Cgroup OOM encountered, victim process: memhog, pid: 14068", &OOMVictim{Comm: "memhog", PID: 14068}},
		{"a comm with a comma and spaces", "SystemOOM", "System OOM encountered, victim process: my proc, x, pid: 7", &OOMVictim{Comm: "my proc, x", PID: 7}},
		{"no victim named", "SystemOOM", "System OOM encountered", nil},
		{"another reason's message is not read", "Killing", "victim process: x, pid: 1", nil},
	}
	for _, tt := range tests {
		e := &KubeEvent{Reason: tt.eventReason, Message: tt.msg}
		readOOMWatcherVictim(e)
		if diff := cmp.Diff(tt.want, e.OOMVictim); diff != "" {
			t.Errorf("%s: %q (-want +got):\n%s", tt.reason, tt.msg, diff)
		}
	}
}
