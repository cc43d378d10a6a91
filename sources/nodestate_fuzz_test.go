package sources

import (
	"reflect"
	"testing"
	"testing/fstest"
)

// FuzzNodeState reads a node whose files hold arbitrary text: /proc/meminfo, the kubelet's
// config.yaml and the memory files of two pod cgroups, in a v1 or a v2 layout. It must not
// panic, must read the same state twice, must read the layout's cgroup version and no more
// cgroups than there are, and each warning must stay short whatever a file holds (a
// warning quotes a file's value, never the file).
func FuzzNodeState(f *testing.F) {
	f.Add("MemTotal:       16318480 kB\n", "evictionHard:\n  memory.available: 100Mi\n", true, "33554432", "1024", "oom 1\noom_kill 1\n")
	f.Add("MemTotal: 1\n", "kind: KubeletConfiguration\n", false, "9223372036854771712", "x", "oom_kill 3\n")
	f.Fuzz(func(t *testing.T, meminfo, config string, v2 bool, limit, usage, events string) {
		fsys := fstest.MapFS{
			"proc/meminfo":                {Data: []byte(meminfo)},
			"var/lib/kubelet/config.yaml": {Data: []byte(config)},
			"proc/sys/kernel/hostname":    {Data: []byte(usage)},
		}
		pods := []string{"kubepods.slice", "kubepods.slice/kubepods-pod1.slice"}
		if v2 {
			fsys["sys/fs/cgroup/cgroup.controllers"] = &fstest.MapFile{Data: []byte("cpu memory\n")}
			for _, p := range pods {
				fsys["sys/fs/cgroup/"+p+"/memory.max"] = &fstest.MapFile{Data: []byte(limit)}
				fsys["sys/fs/cgroup/"+p+"/memory.current"] = &fstest.MapFile{Data: []byte(usage)}
				fsys["sys/fs/cgroup/"+p+"/memory.events"] = &fstest.MapFile{Data: []byte(events)}
				fsys["sys/fs/cgroup/"+p+"/memory.oom.group"] = &fstest.MapFile{Data: []byte(events)}
			}
		} else {
			fsys["sys/fs/cgroup/memory/memory.limit_in_bytes"] = &fstest.MapFile{Data: []byte("9223372036854771712\n")}
			for _, p := range []string{"kubepods", "kubepods/pod1"} {
				fsys["sys/fs/cgroup/memory/"+p+"/memory.limit_in_bytes"] = &fstest.MapFile{Data: []byte(limit)}
				fsys["sys/fs/cgroup/memory/"+p+"/memory.usage_in_bytes"] = &fstest.MapFile{Data: []byte(usage)}
				fsys["sys/fs/cgroup/memory/"+p+"/memory.oom_control"] = &fstest.MapFile{Data: []byte(events)}
			}
		}
		st, warns := ReadNodeState(fsys)
		st2, warns2 := ReadNodeState(fsys)
		if !reflect.DeepEqual(st, st2) || !reflect.DeepEqual(warns, warns2) {
			t.Fatal("the same node read twice differs")
		}
		want := map[bool]string{true: "v2", false: "v1"}[v2]
		if st.CgroupVersion != want || len(st.Cgroups) > len(pods) {
			t.Fatalf("version %q with %d cgroups, want %s with at most %d", st.CgroupVersion, len(st.Cgroups), want, len(pods))
		}
		for _, w := range warns {
			if len(w) > 512 {
				t.Fatalf("a warning of %d bytes: %.200q…", len(w), w)
			}
		}
	})
}
