package parsers

import (
	"strings"
)

// CgroupPath is what a kernel cgroup path says about the pod and container it belongs to.
//
// The kubelet names pod cgroups [kubepods, <qos>, pod<UID>] (Guaranteed pods sit directly
// under kubepods); the cgroupfs driver joins them with "/", the systemd driver as nested
// slices with "-" escaped to "_" (kubepods-burstable-pod1234_abcd.slice). Runtimes add the
// container: containerd "<id>" or "cri-containerd-<id>.scope", CRI-O "crio-<id>" or
// "crio-<id>.scope" (its conmon in "crio-conmon-<id>"), docker "<id>" or "docker-<id>.scope".
// The kubepods part is found wherever it starts, so Kubernetes inside a prefix (kind's
// /docker/<node>/kubepods/…, a kubelet.slice, a rootless user slice) still reads. Outside
// Kubernetes, docker's /docker/<id> and docker-<id>.scope and podman's libpod-<id>.scope
// still name a container.
type CgroupPath struct {
	Path        string
	PodUID      string // with dashes, as the API shows it
	QoS         string // guaranteed, burstable, besteffort; "" outside kubepods
	ContainerID string // 64 hex digits without runtime prefix
	Runtime     string // containerd, cri-o, docker, podman; "" when the name does not say
	Driver      string // cgroupfs or systemd
	Level       string // container, conmon, pod, qos, allocatable; "" for a host cgroup
}

// Levels of a cgroup, which are also the scopes of a memory limit.
const (
	CgroupContainer   = "container"   // one container's cgroup
	CgroupConmon      = "conmon"      // CRI-O's monitor process of one container
	CgroupPod         = "pod"         // the pod's cgroup: the sum of its containers' limits
	CgroupQoS         = "qos"         // kubepods/burstable, kubepods/besteffort
	CgroupAllocatable = "allocatable" // kubepods itself: node allocatable enforcement
)

// parseCgroup decodes a cgroup path as the kernel prints it.
func parseCgroup(path string) CgroupPath {
	c := CgroupPath{Path: path}
	parts := strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
	start := -1
	for i, part := range parts {
		if isKubepods(unitName(part)) {
			start = i
			break
		}
	}
	if start < 0 {
		c.Driver = hostDriver(path)
		c.ContainerID, c.Runtime = hostContainer(parts)
		if c.ContainerID != "" {
			c.Level = CgroupContainer
		}
		return c
	}
	conmon := false
	for _, part := range parts[start:] {
		name := unitName(part)
		if name != part {
			c.Driver = "systemd"
		}
		switch {
		case isKubepods(name):
			c.QoS = qosOf(name, c.QoS)
			if uid, ok := podUID(name); ok {
				c.PodUID = uid
			}
		case name == "burstable" || name == "besteffort":
			c.QoS = name
		case strings.HasPrefix(name, "pod"):
			if uid, ok := podUID(name); ok {
				c.PodUID = uid
			}
		default:
			if id, rt, mon, ok := containerOf(name); ok {
				c.ContainerID, c.Runtime, conmon = id, rt, mon
			}
		}
	}
	if c.Driver == "" {
		c.Driver = "cgroupfs"
	}
	switch {
	case conmon:
		c.Level = CgroupConmon
	case c.ContainerID != "":
		c.Level = CgroupContainer
	case c.PodUID != "":
		c.Level = CgroupPod
	case c.QoS != "":
		c.Level = CgroupQoS
	default:
		c.Level = CgroupAllocatable
	}
	if c.PodUID != "" && c.QoS == "" {
		c.QoS = "guaranteed"
	}
	return c
}

// unitName strips a systemd unit suffix.
func unitName(part string) string {
	return strings.TrimSuffix(strings.TrimSuffix(part, ".slice"), ".scope")
}

// hostContainer finds a container outside Kubernetes: docker's cgroupfs /docker/<id>, its
// systemd docker-<id>.scope, podman's libpod-<id>.scope, or a runtime's scope; the last one
// wins (a container nested in a container is the inner one).
func hostContainer(parts []string) (id, runtime string) {
	for i, part := range parts {
		name := unitName(part)
		if rest, ok := strings.CutPrefix(name, "libpod-"); ok && isContainerID(rest) {
			id, runtime = rest, "podman"
			continue
		}
		if cid, rt, mon, ok := containerOf(name); ok && !mon {
			switch {
			case rt != "":
				id, runtime = cid, rt
			case i > 0 && parts[i-1] == "docker":
				id, runtime = cid, "docker"
			}
		}
	}
	return id, runtime
}

// isKubepods matches "kubepods", "kubepods-burstable", "kubepods-burstable-pod<uid>" and the
// same with a prefix slice such as kind's "kubelet-kubepods".
func isKubepods(name string) bool {
	return name == "kubepods" || strings.HasPrefix(name, "kubepods-") || strings.Contains(name, "-kubepods")
}

func qosOf(name, old string) string {
	switch {
	case strings.Contains(name, "kubepods-burstable"):
		return "burstable"
	case strings.Contains(name, "kubepods-besteffort"):
		return "besteffort"
	}
	return old
}

// podUID finds "pod<uid>" at the end of a name: a UUID with "-" (cgroupfs) or "_" (systemd),
// or the 32 hex digits of a static pod's hash.
func podUID(name string) (string, bool) {
	i := strings.LastIndex(name, "pod")
	if i < 0 {
		return "", false
	}
	uid := strings.ReplaceAll(name[i+3:], "_", "-")
	if len(uid) != 36 && len(uid) != 32 {
		return "", false
	}
	for j, r := range uid {
		dash := len(uid) == 36 && (j == 8 || j == 13 || j == 18 || j == 23)
		if dash != (r == '-') || (!dash && !isHex(r)) {
			return "", false
		}
	}
	return uid, true
}

// containerOf reads a container cgroup name: a bare 64-hex ID or one wrapped by a runtime;
// conmon says it is CRI-O's monitor of that container, not the container.
func containerOf(name string) (id, runtime string, conmon, ok bool) {
	for _, w := range []struct{ prefix, runtime string }{
		{"cri-containerd-", "containerd"},
		{"crio-conmon-", "cri-o"},
		{"crio-", "cri-o"},
		{"docker-", "docker"},
		{"", ""},
	} {
		rest, found := strings.CutPrefix(name, w.prefix)
		if found && isContainerID(rest) {
			return rest, w.runtime, w.prefix == "crio-conmon-", true
		}
	}
	return "", "", false, false
}

func isContainerID(s string) bool { return len(s) == 64 && allHex(s) }

func hostDriver(path string) string {
	if strings.Contains(path, ".slice") || strings.Contains(path, ".scope") {
		return "systemd"
	}
	return ""
}

func isHex(r rune) bool { return (r >= '0' && r <= '9') || (r >= 'a' && r <= 'f') }

func allHex(s string) bool {
	for _, r := range s {
		if !isHex(r) {
			return false
		}
	}
	return true
}
