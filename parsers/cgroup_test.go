package parsers

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseCgroup(t *testing.T) {
	const (
		uid = "5cdfa62e-2f90-4e7e-b3de-d2d6168860d8"
		cid = "765a2080b8a836f4d9a775daa117c570805a397b0072e8e54be82406d693fbca"
	)
	tests := []struct {
		reason string
		path   string
		want   CgroupPath
	}{
		{"cgroupfs burstable container (containerd, bare ID), as the lab's 6.18 kernel printed it",
			"/kubepods/burstable/pod" + uid + "/" + cid,
			CgroupPath{PodUID: uid, QoS: "burstable", ContainerID: cid, Driver: "cgroupfs", Level: "container"}},
		{"cgroupfs guaranteed pod sits directly under kubepods",
			"/kubepods/pod" + uid,
			CgroupPath{PodUID: uid, QoS: "guaranteed", Driver: "cgroupfs", Level: "pod"}},
		{"systemd burstable containerd scope; UID dashes escaped to underscores",
			"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5cdfa62e_2f90_4e7e_b3de_d2d6168860d8.slice/cri-containerd-" + cid + ".scope",
			CgroupPath{PodUID: uid, QoS: "burstable", ContainerID: cid, Runtime: "containerd", Driver: "systemd", Level: "container"}},
		{"systemd guaranteed CRI-O scope",
			"/kubepods.slice/kubepods-pod5cdfa62e_2f90_4e7e_b3de_d2d6168860d8.slice/crio-" + cid + ".scope",
			CgroupPath{PodUID: uid, QoS: "guaranteed", ContainerID: cid, Runtime: "cri-o", Driver: "systemd", Level: "container"}},
		{"systemd besteffort docker scope",
			"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod5cdfa62e_2f90_4e7e_b3de_d2d6168860d8.slice/docker-" + cid + ".scope",
			CgroupPath{PodUID: uid, QoS: "besteffort", ContainerID: cid, Runtime: "docker", Driver: "systemd", Level: "container"}},
		{"CRI-O on cgroupfs prefixes the ID",
			"/kubepods/besteffort/pod" + uid + "/crio-" + cid,
			CgroupPath{PodUID: uid, QoS: "besteffort", ContainerID: cid, Runtime: "cri-o", Driver: "cgroupfs", Level: "container"}},
		{"conmon's cgroup is that container's monitor, not the container and not a pod-level limit",
			"/kubepods/besteffort/pod" + uid + "/crio-conmon-" + cid,
			CgroupPath{PodUID: uid, QoS: "besteffort", ContainerID: cid, Runtime: "cri-o", Driver: "cgroupfs", Level: "conmon"}},
		{"conmon's systemd scope",
			"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5cdfa62e_2f90_4e7e_b3de_d2d6168860d8.slice/crio-conmon-" + cid + ".scope",
			CgroupPath{PodUID: uid, QoS: "burstable", ContainerID: cid, Runtime: "cri-o", Driver: "systemd", Level: "conmon"}},
		{"bare container ID under a systemd pod slice (docker era, kubernetes/kubernetes#86337)",
			"/kubepods.slice/kubepods-pod392bf93e_1fcf_11ea_9b5b_3cfdfe576498.slice/27edbc0dd4ec2a3e9a4d8ef8b014eda12e76ff36da95b0a91e842f5dac4fc02f",
			CgroupPath{PodUID: "392bf93e-1fcf-11ea-9b5b-3cfdfe576498", QoS: "guaranteed",
				ContainerID: "27edbc0dd4ec2a3e9a4d8ef8b014eda12e76ff36da95b0a91e842f5dac4fc02f", Driver: "systemd", Level: "container"}},
		{"kind nests kubepods under the node container's kubelet slice",
			"/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod5cdfa62e_2f90_4e7e_b3de_d2d6168860d8.slice/cri-containerd-" + cid + ".scope",
			CgroupPath{PodUID: uid, QoS: "burstable", ContainerID: cid, Runtime: "containerd", Driver: "systemd", Level: "container"}},
		{"static pods have a 32-hex hash as UID",
			"/kubepods/burstable/pod8a1cf5e3b0a4f5e2c0d7e6f1a2b3c4d5/" + cid,
			CgroupPath{PodUID: "8a1cf5e3b0a4f5e2c0d7e6f1a2b3c4d5", QoS: "burstable", ContainerID: cid, Driver: "cgroupfs", Level: "container"}},
		{"the QoS-level cgroup", "/kubepods/burstable",
			CgroupPath{QoS: "burstable", Driver: "cgroupfs", Level: "qos"}},
		{"the node-allocatable cgroup (systemd)", "/kubepods.slice",
			CgroupPath{Driver: "systemd", Level: "allocatable"}},
		{"the node-allocatable cgroup (cgroupfs)", "/kubepods",
			CgroupPath{Driver: "cgroupfs", Level: "allocatable"}},
		{"the QoS-level systemd slice", "/kubepods.slice/kubepods-besteffort.slice",
			CgroupPath{QoS: "besteffort", Driver: "systemd", Level: "qos"}},
		{"kind on cgroupfs: kubepods inside the node container's docker cgroup; the node's ID is not the container",
			"/docker/1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988/kubepods/burstable/pod" + uid + "/" + cid,
			CgroupPath{PodUID: uid, QoS: "burstable", ContainerID: cid, Driver: "cgroupfs", Level: "container"}},
		{"rootless or nested runtime: kubepods below a user slice; the driver is the kubelet's (cgroupfs)",
			"/user.slice/user-1000.slice/user@1000.service/app.slice/kubepods/besteffort/pod" + uid + "/" + cid,
			CgroupPath{PodUID: uid, QoS: "besteffort", ContainerID: cid, Driver: "cgroupfs", Level: "container"}},
		{"docker's systemd scope without Kubernetes is a container", "/system.slice/docker-" + cid + ".scope",
			CgroupPath{ContainerID: cid, Runtime: "docker", Driver: "systemd", Level: "container"}},
		{"podman's scope is a container", "/machine.slice/libpod-" + cid + ".scope",
			CgroupPath{ContainerID: cid, Runtime: "podman", Driver: "systemd", Level: "container"}},
		{"a host service is not a pod", "/system.slice/containerd.service",
			CgroupPath{Driver: "systemd"}},
		{"docker without Kubernetes (cgroupfs): /docker/<id> is that container", "/docker/" + cid,
			CgroupPath{ContainerID: cid, Runtime: "docker", Level: "container"}},
		{"a 64-hex name under another parent outside kubepods is not a container we can name", "/system.slice/" + cid,
			CgroupPath{Driver: "systemd"}},
		{"the root cgroup", "/", CgroupPath{}},
		{"empty: the log did not show a cgroup", "", CgroupPath{}},
		{"garbage that merely mentions pods", "/kubepods/burstable/podnot-a-uid/xyz",
			CgroupPath{QoS: "burstable", Driver: "cgroupfs", Level: "qos"}},
	}
	for _, tt := range tests {
		tt.want.Path = tt.path
		if diff := cmp.Diff(tt.want, parseCgroup(tt.path)); diff != "" {
			t.Errorf("%s\nparseCgroup(%q) mismatch (-want +got):\n%s", tt.reason, tt.path, diff)
		}
	}
}

func FuzzParseCgroup(f *testing.F) {
	f.Add("/kubepods/burstable/pod5cdfa62e-2f90-4e7e-b3de-d2d6168860d8/765a2080b8a836f4d9a775daa117c570805a397b0072e8e54be82406d693fbca")
	f.Add("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5cdfa62e_2f90_4e7e_b3de_d2d6168860d8.slice/cri-containerd-765a2080b8a836f4d9a775daa117c570805a397b0072e8e54be82406d693fbca.scope")
	f.Fuzz(func(t *testing.T, path string) {
		c := parseCgroup(path)
		if c.ContainerID != "" && (len(c.ContainerID) != 64 || c.Level != "container") {
			t.Fatalf("container ID %q at level %q from %q", c.ContainerID, c.Level, path)
		}
		if c.PodUID != "" && c.Level == "" {
			t.Fatalf("pod UID %q outside kubepods from %q", c.PodUID, path)
		}
	})
}
