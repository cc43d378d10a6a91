package sources

import (
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/k8s-coroner/coroner/correlate/report"
)

// kubeletConfig is a KubeletConfiguration as kubeadm writes it (field names and value forms
// from the kubelet.config.k8s.io/v1beta1 API).
const kubeletConfig = `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
evictionHard:
  memory.available: 100Mi
  nodefs.available: 10%
evictionSoft:
  memory.available: 300Mi
evictionSoftGracePeriod:
  memory.available: 1m30s
kubeReserved:
  memory: 512Mi
systemReserved:
  memory: 256Mi
enforceNodeAllocatable:
- pods
featureGates:
  MemoryQoS: true
`

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

func TestReadNodeStateV1(t *testing.T) {
	const pod = "sys/fs/cgroup/memory/kubepods/burstable/pod5cdfa62e-2f90-4e7e-b3de-d2d6168860d8"
	fsys := fstest.MapFS{
		"proc/sys/kernel/hostname":                                      file("node1\n"),
		"proc/sys/kernel/osrelease":                                     file("6.1.0-28-cloud-amd64\n"),
		"proc/meminfo":                                                  file("MemTotal:       24684084 kB\nMemFree:        23700000 kB\n"),
		"var/lib/kubelet/config.yaml":                                   file(kubeletConfig),
		"sys/fs/cgroup/memory/memory.limit_in_bytes":                    file("9223372036854771712\n"),
		"sys/fs/cgroup/memory/system.slice/memory.limit_in_bytes":       file("9223372036854771712\n"),
		pod + "/memory.limit_in_bytes":                                  file("67108864\n"),
		pod + "/memory.usage_in_bytes":                                  file("33816576\n"),
		pod + "/memory.max_usage_in_bytes":                              file("67108864\n"),
		pod + "/memory.failcnt":                                         file("595\n"),
		pod + "/memory.oom_control":                                     file("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n"),
		"sys/fs/cgroup/memory/kubepods/memory.limit_in_bytes":           file("9223372036854771712\n"),
		"sys/fs/cgroup/memory/kubepods/memory.usage_in_bytes":           file("33816576\n"),
		"sys/fs/cgroup/memory/kubepods/burstable/memory.limit_in_bytes": file("9223372036854771712\n"),
		"sys/fs/cgroup/memory/kubepods/burstable/memory.usage_in_bytes": file("33816576\n"),
	}
	st, warns := ReadNodeState(fsys)
	if len(warns) != 0 {
		t.Errorf("warnings: %v", warns)
	}
	want := &report.NodeState{
		Hostname: "node1", Kernel: "6.1.0-28-cloud-amd64", MemTotalKiB: 24684084, CgroupVersion: "v1",
		Kubelet: &report.KubeletConfig{Path: "/var/lib/kubelet/config.yaml", CgroupDriver: "systemd",
			EvictionHard:            map[string]string{"memory.available": "100Mi", "nodefs.available": "10%"},
			EvictionSoft:            map[string]string{"memory.available": "300Mi"},
			EvictionSoftGracePeriod: map[string]string{"memory.available": "1m30s"},
			KubeReserved:            map[string]string{"memory": "512Mi"},
			SystemReserved:          map[string]string{"memory": "256Mi"},
			EnforceNodeAllocatable:  []string{"pods"}, FeatureGates: map[string]bool{"MemoryQoS": true}},
		Cgroups: []report.CgroupState{
			{Path: "/kubepods", UsageKiB: 33024},
			{Path: "/kubepods/burstable", UsageKiB: 33024},
			{Path: "/kubepods/burstable/pod5cdfa62e-2f90-4e7e-b3de-d2d6168860d8", LimitKiB: ptr[int64](65536), UsageKiB: 33024,
				MaxUsageKiB: ptr[int64](65536), Failcnt: ptr[int64](595), OOMKills: 2},
		},
	}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("node state mismatch (-want +got):\n%s", diff)
	}
}

func TestReadNodeStateV2AndMissing(t *testing.T) {
	const ctr = "sys/fs/cgroup/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1_2.slice/cri-containerd-ab.scope"
	fsys := fstest.MapFS{
		"sys/fs/cgroup/cgroup.controllers": file("cpuset cpu io memory hugetlb pids rdma misc\n"),
		ctr + "/memory.max":                file("33554432\n"),
		ctr + "/memory.current":            file("1048576\n"),
		ctr + "/memory.peak":               file("33554432\n"),
		ctr + "/memory.events":             file("low 0\nhigh 0\nmax 12\noom 3\noom_kill 3\noom_group_kill 1\n"),
		ctr + "/memory.oom.group":          file("1\n"),
	}
	st, warns := ReadNodeState(fsys)
	got := st.Cgroups[len(st.Cgroups)-1]
	want := report.CgroupState{Path: "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1_2.slice/cri-containerd-ab.scope",
		LimitKiB: ptr[int64](32768), UsageKiB: 1024, MaxUsageKiB: ptr[int64](32768), OOMKills: 3, OOMEvents: ptr[int64](3), OOMGroup: ptr(true)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("v2 cgroup mismatch (-want +got):\n%s", diff)
	}
	if st.CgroupVersion != "v2" {
		t.Errorf("cgroup version %q", st.CgroupVersion)
	}
	// No meminfo and no kubelet config: warnings, not failures.
	if len(warns) < 2 {
		t.Errorf("want warnings for the missing meminfo and kubelet config, got %v", warns)
	}
}
