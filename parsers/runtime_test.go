package parsers

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRuntimeLines reads one line of each runtime message the runtime parser knows, in the
// eras containerd and CRI-O wrote them (internal/cri/server/events.go, pkg/cri/server at
// v1.6/v1.7; CRI-O internal/oci and server; conmon src/utils.h).
func TestRuntimeLines(t *testing.T) {
	const id = "004ce67b3bc29b62d3247a1baa56d4217d89eae67df1e752b216b82ddaf5c4bf"
	const sid = "fce217561d9543b1f6b19f4c5415bbcd68e0dea49e72d7f174910ce3deba7eb0"
	tests := []struct {
		reason, text string
		want         string // kind/source/id/exit/names
	}{
		{"containerd 1.x TaskOOM (gogo)", `TaskOOM event &TaskOOM{ContainerID:` + id + `,XXX_unrecognized:[],}`, "oom/containerd/" + id},
		{"containerd 1.7+ TaskOOM (protobuf text)", `TaskOOM event container_id:"` + id + `"`, "oom/containerd/" + id},
		{"containerd 1.x received exit event (gogo)", `received exit event &TaskExit{ContainerID:` + id + `,ID:` + id + `,Pid:9122,ExitStatus:137,ExitedAt:2026-11-27 18:58:43.849 +0000 UTC,XXX_unrecognized:[],}`, "exit/containerd/" + id + "/137"},
		{"containerd 2.x received exit event", `received exit event container_id:"` + id + `" id:"` + id + `" pid:9122 exit_status:137 exited_at:{seconds:1795805923 nanos:849000000}`, "exit/containerd/" + id + "/137"},
		{"protobuf text leaves a zero exit status out", `TaskExit event container_id:"` + id + `" id:"` + id + `" pid:9122 exited_at:{seconds:1795805923}`, "exit/containerd/" + id + "/0"},
		{"an exec'd process's exit is no container's", `TaskExit event container_id:"` + id + `" id:"exec-1" pid:9200 exit_status:137`, ""},
		{"a pod sandbox's exit marks its ID", `TaskExit event in podsandbox handler container_id:"` + sid + `" id:"` + sid + `" pid:627351 exit_status:137`, "sandbox-exit/containerd/" + sid},
		{"conmon's prefix", `conmon 0644511bc2734f5ff9f9 <ninfo>: OOM received`, "oom/conmon/0644511bc2734f5ff9f9"},
		{"conmon's cgroup v1 eventfd line", `conmon 0644511bc2734f5ff9f9 <ninfo>: OOM event received`, "oom/conmon/0644511bc2734f5ff9f9"},
		{"CRI-O's exit watcher", `Found exit code for ` + id + `: 137`, "exit/cri-o/" + id + "/137"},
		{"CRI-O names a created container", `Created container ` + id + `: web/cache-0/cache`, "created/cri-o/" + id + "//web/cache-0/cache"},
		{"containerd 1.x names a created container", `CreateContainer within sandbox "` + sid + `" for &ContainerMetadata{Name:cache,Attempt:0,} returns container id "` + id + `"`, "created/containerd/" + id + "////cache"},
		{"containerd 2.x names a created container", `CreateContainer within sandbox "` + sid + `" for container name:"cache" returns container id "` + id + `"`, "created/containerd/" + id + "////cache"},
		{"systemd starts conmon's scope", `Started crio-conmon-` + id + `.scope.`, "created/systemd/" + id},
	}
	for _, tt := range tests {
		got := ""
		ev, _ := runtimeEvent(&Message{Text: tt.text})
		if r, ok := ev.(*RuntimeLine); ok && r != nil {
			got = r.Kind + "/" + r.Source + "/" + r.ContainerID
			if r.ExitStatus != nil {
				got += "/" + itoa(*r.ExitStatus)
			}
			if r.Container != "" {
				got += "//" + r.Namespace + "/" + r.Pod + "/" + r.Container
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: %q (-want +got):\n%s", tt.reason, tt.text, diff)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
