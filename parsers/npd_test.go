package parsers

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// TestReadNPDKill checks that node-problem-detector's OOMKilling Event carries the kill its
// message quotes as a kernel report, on the Event's node and at its time, and that no other
// Event carries one.
func TestReadNPDKill(t *testing.T) {
	at := time.Date(2025, 3, 29, 6, 48, 51, 0, time.UTC)
	node := corev1.ObjectReference{Kind: "Node", Name: "node-a"}
	tests := []struct {
		reason string
		e      KubeEvent
		pid    int // the kill's PID, 0 when the Event carries none
	}{
		{"NPD's kernel-monitor line", KubeEvent{Reason: "OOMKilling", Object: node, LastTime: at,
			Message: "Killed process 4242 (java) total-vm:9000kB, anon-rss:8000kB, file-rss:0kB, shmem-rss:0kB"}, 4242},
		{"the pre-4.5 wording without shmem-rss", KubeEvent{Reason: "OOMKilling", Object: node, LastTime: at,
			Message: "Killed process 77 (python) total-vm:9000kB, anon-rss:8000kB, file-rss:0kB"}, 77},
		{"an OOMKilling Event whose message is no kill line", KubeEvent{Reason: "OOMKilling", Object: node, LastTime: at,
			Message: "System OOM encountered"}, 0},
		{"another reason with a kill line is not NPD's", KubeEvent{Reason: "SystemOOM", Object: node, LastTime: at,
			Message: "Killed process 4242 (java) total-vm:9000kB, anon-rss:8000kB, file-rss:0kB, shmem-rss:0kB"}, 0},
	}
	for _, tt := range tests {
		e := tt.e
		readNPDKill(&e)
		var kills []Kill
		for _, k := range e.Kernel {
			kills = append(kills, k.Kills...)
		}
		if tt.pid == 0 {
			if len(kills) != 0 {
				t.Errorf("%s: got kills %+v, want none", tt.reason, kills)
			}
			continue
		}
		if len(kills) != 1 {
			t.Fatalf("%s: got %d kills, want 1", tt.reason, len(kills))
		}
		k := kills[0]
		if k.PID != tt.pid || k.Evidence.Role != RoleEventOOMKilling || k.Evidence.Host != "node-a" || !k.Evidence.Wall.Equal(at) {
			t.Errorf("%s: kill pid %d role %q host %q at %v, want pid %d role %q on node-a at %v",
				tt.reason, k.PID, k.Evidence.Role, k.Evidence.Host, k.Evidence.Wall, tt.pid, RoleEventOOMKilling, at)
		}
	}
}
