package sources

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/k8s-coroner/coroner/correlate/report"
	"sigs.k8s.io/yaml"
)

// Where a node keeps what ReadNodeState reads, relative to its root.
const (
	kubeletConfigPath = "var/lib/kubelet/config.yaml"
	memcgV1Root       = "sys/fs/cgroup/memory"
	cgroupV2Root      = "sys/fs/cgroup"
)

// maxYAMLError bounds the decoder's words quoted in a warning about config.yaml.
const maxYAMLError = 300

// maxCgroups bounds the walk on a node with very many pods.
const maxCgroups = 5000

// ReadNodeState reads the node's state below the root fsys (os.DirFS("/") or "/host"). What
// is missing or unreadable becomes a warning; it never writes.
func ReadNodeState(fsys fs.FS) (*report.NodeState, []string) {
	st := &report.NodeState{Cgroups: []report.CgroupState{}}
	var warns []string
	warn := func(format string, args ...any) { warns = append(warns, fmt.Sprintf(format, args...)) }

	st.Hostname = firstLine(fsys, "proc/sys/kernel/hostname")
	st.Kernel = firstLine(fsys, "proc/sys/kernel/osrelease")
	if v, err := memTotal(fsys); err != nil {
		warn("node memory unknown: %v", err)
	} else {
		st.MemTotalKiB = v
	}
	if k, err := readKubeletConfig(fsys); err != nil {
		warn("kubelet configuration: %v", err)
	} else {
		st.Kubelet = k
	}
	switch {
	case exists(fsys, path.Join(memcgV1Root, "memory.limit_in_bytes")):
		st.CgroupVersion = "v1"
		st.Cgroups = walkCgroups(fsys, memcgV1Root, readV1, warn)
	case strings.Contains(firstLine(fsys, path.Join(cgroupV2Root, "cgroup.controllers")), "memory"):
		st.CgroupVersion = "v2"
		st.Cgroups = walkCgroups(fsys, cgroupV2Root, readV2, warn)
	default:
		warn("no memory cgroup controller found under /%s", cgroupV2Root)
	}
	return st, warns
}

func readKubeletConfig(fsys fs.FS) (*report.KubeletConfig, error) {
	b, err := fs.ReadFile(fsys, kubeletConfigPath)
	if err != nil {
		return nil, err
	}
	k := &report.KubeletConfig{}
	if err := yaml.Unmarshal(b, k); err != nil {
		// The YAML decoder's errors quote the offending key or value whole, and a broken
		// file's key can be its whole length.
		return nil, fmt.Errorf("/%s: %s", kubeletConfigPath, cutText(err.Error(), maxYAMLError))
	}
	k.Path = "/" + kubeletConfigPath
	return k, nil
}

// walkCgroups visits the kubepods subtree of a cgroup hierarchy.
func walkCgroups(fsys fs.FS, root string, read func(fs.FS, string, *report.CgroupState) error, warn func(string, ...any)) []report.CgroupState {
	out := []report.CgroupState{}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return fs.SkipDir
		}
		if !d.IsDir() || p == root {
			return nil
		}
		rel := strings.TrimPrefix(p, root)
		if !strings.Contains(rel, "kubepods") {
			return fs.SkipDir // system.slice, user.slice: not pods
		}
		if len(out) >= maxCgroups {
			return fs.SkipAll
		}
		c := report.CgroupState{Path: rel}
		if err := read(fsys, p, &c); err != nil {
			warn("cgroup %s: %v", rel, err)
			return nil
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		warn("cgroups under /%s: %v", root, err)
	}
	if len(out) >= maxCgroups {
		warn("more than %d pod cgroups; the rest were not read", maxCgroups)
	}
	return out
}

func readV1(fsys fs.FS, dir string, c *report.CgroupState) error {
	limit, err := readInt(fsys, path.Join(dir, "memory.limit_in_bytes"))
	if err != nil {
		return err
	}
	if limit < 1<<62 { // v1 prints PAGE_COUNTER_MAX pages as "no limit"
		c.LimitKiB = ptr(limit >> 10)
	}
	usage, _ := readInt(fsys, path.Join(dir, "memory.usage_in_bytes"))
	c.UsageKiB = usage >> 10
	if v, err := readInt(fsys, path.Join(dir, "memory.max_usage_in_bytes")); err == nil {
		c.MaxUsageKiB = ptr(v >> 10)
	}
	if v, err := readInt(fsys, path.Join(dir, "memory.failcnt")); err == nil {
		c.Failcnt = ptr(v)
	}
	if kv, err := readKeyValues(fsys, path.Join(dir, "memory.oom_control")); err == nil {
		c.OOMKills = kv["oom_kill"]
	}
	return nil
}

func readV2(fsys fs.FS, dir string, c *report.CgroupState) error {
	max := firstLine(fsys, path.Join(dir, "memory.max"))
	if max == "" {
		return errors.New("no memory.max (memory controller not enabled here)")
	}
	if max != "max" {
		v, err := strconv.ParseInt(max, 10, 64)
		if err != nil {
			return fmt.Errorf("memory.max %q is not a number of bytes", short(max))
		}
		c.LimitKiB = ptr(v >> 10)
	}
	usage, _ := readInt(fsys, path.Join(dir, "memory.current"))
	c.UsageKiB = usage >> 10
	if v, err := readInt(fsys, path.Join(dir, "memory.peak")); err == nil {
		c.MaxUsageKiB = ptr(v >> 10)
	}
	if kv, err := readKeyValues(fsys, path.Join(dir, "memory.events")); err == nil {
		c.OOMKills = kv["oom_kill"]
		c.OOMEvents = ptr(kv["oom"])
	}
	if g := firstLine(fsys, path.Join(dir, "memory.oom.group")); g != "" {
		c.OOMGroup = ptr(g == "1")
	}
	return nil
}

func memTotal(fsys fs.FS) (int64, error) {
	kv, err := readKeyValues(fsys, "proc/meminfo")
	if err != nil {
		return 0, err
	}
	v, ok := kv["MemTotal:"]
	if !ok {
		return 0, errors.New("/proc/meminfo has no MemTotal")
	}
	return v, nil
}

// readKeyValues reads "key value" lines (memory.events, memory.oom_control, /proc/meminfo).
func readKeyValues(fsys fs.FS, name string) (map[string]int64, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	kv := map[string]int64{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 {
			if v, err := strconv.ParseInt(f[1], 10, 64); err == nil {
				kv[f[0]] = v
			}
		}
	}
	return kv, nil
}

func readInt(fsys fs.FS, name string) (int64, error) {
	line := firstLine(fsys, name)
	v, err := strconv.ParseInt(line, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s %q is not a number", path.Base(name), short(line))
	}
	return v, nil
}

// short cuts a file's value for a warning: strconv's errors quote the whole value, and a
// file (or what a broken node left in it) can be of any length.
func short(s string) string { return cutText(s, 64) }

// cutText cuts s to at most n bytes on a rune boundary, marking the cut with "…".
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func firstLine(fsys fs.FS, name string) string {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(line)
}

func exists(fsys fs.FS, name string) bool {
	_, err := fs.Stat(fsys, name)
	return err == nil
}

func ptr[T any](v T) *T { return &v }
