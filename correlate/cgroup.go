package correlate

import (
	"strings"
)

// Cgroup is what a kernel cgroup path says about the pod and container it belongs to.
//
// The kubelet names pod cgroups [kubepods, <qos>, pod<UID>] (Guaranteed pods sit directly
// under kubepods); the cgroupfs driver joins them with "/", the systemd driver as nested
// slices with "-" escaped to "_" (kubepods-burstable-pod1234_abcd.slice). Runtimes add the
// container: containerd "<id>" or "cri-containerd-<id>.scope", CRI-O "crio-<id>" or
// "crio-<id>.scope", docker "<id>" or "docker-<id>.scope". Paths are parsed leniently, one
// component at a time, so nesting under another slice (kind, k3s) still reads.
type Cgroup struct {
	Path        string
	PodUID      string // with dashes, as the API shows it
	QoS         string // guaranteed, burstable, besteffort; "" outside kubepods
	ContainerID string // 64 hex digits without runtime prefix
	Runtime     string // containerd, cri-o, docker; "" when the name does not say
	Driver      string // cgroupfs or systemd
	Level       string // container, pod, qos, node-allocatable; "" for a host cgroup
}

// ParseCgroup parses a cgroup path as the kernel prints it.
func ParseCgroup(path string) Cgroup {
	c := Cgroup{Path: path}
	kubepods := false
	for _, part := range strings.Split(path, "/") {
		if part == "" {
			continue
		}
		name := strings.TrimSuffix(strings.TrimSuffix(part, ".slice"), ".scope")
		if name != part {
			c.Driver = "systemd"
		}
		switch {
		case isKubepods(name):
			kubepods = true
			c.QoS = qosOf(name, c.QoS)
			if uid, ok := podUID(name); ok {
				c.PodUID = uid
			}
		case kubepods && (name == "burstable" || name == "besteffort"):
			c.QoS = name
		case kubepods && strings.HasPrefix(name, "pod"):
			if uid, ok := podUID(name); ok {
				c.PodUID = uid
			}
		case kubepods:
			if id, rt, ok := containerOf(name); ok {
				c.ContainerID, c.Runtime = id, rt
			}
		}
	}
	if !kubepods {
		c.QoS, c.Driver = "", hostDriver(path)
		return c
	}
	if c.Driver == "" {
		c.Driver = "cgroupfs"
	}
	switch {
	case c.ContainerID != "":
		c.Level = "container"
	case c.PodUID != "":
		c.Level = "pod"
	case c.QoS != "":
		c.Level = "qos"
	default:
		c.Level = "node-allocatable"
	}
	if c.PodUID != "" && c.QoS == "" {
		c.QoS = "guaranteed"
	}
	return c
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

// containerOf reads a container cgroup name: a bare 64-hex ID or one wrapped by a runtime.
func containerOf(name string) (id, runtime string, ok bool) {
	for _, w := range []struct{ prefix, runtime string }{
		{"cri-containerd-", "containerd"},
		{"crio-conmon-", ""}, // conmon's own cgroup, not the container
		{"crio-", "cri-o"},
		{"docker-", "docker"},
		{"", ""},
	} {
		rest, found := strings.CutPrefix(name, w.prefix)
		if !found {
			continue
		}
		if w.prefix == "crio-conmon-" {
			return "", "", false
		}
		if len(rest) == 64 && allHex(rest) {
			return rest, w.runtime, true
		}
	}
	return "", "", false
}

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
