package sources

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Node is the node coroner runs on, as sources: its kernel ring buffer, its journal (the
// kernel's messages, the kubelet's and the runtimes') and its syslog files, below Root (/ on
// the node, /host in a debug pod with the host mounted there). It only reads.
type Node struct {
	Root     string
	Since    time.Time // nothing older is read
	Now      time.Time // stands in for the log files' modification times where they have none
	Journal  string    // the journalctl to run
	LogFiles []string  // syslog files below Root, read when present
}

// Sources are the node's sources, with warnings for what is missing or degraded.
func (n Node) Sources() ([]Source, []string) {
	var warnings []string
	boot, err := MonotonicBootTime()
	if err != nil {
		warnings = append(warnings, fmt.Sprintf("boot time unknown, kernel stamps stay boot-relative: %v", err))
	}
	kmsg, why := n.kmsgPath()
	if why != "" {
		warnings = append(warnings, why)
	}
	srcs := []Source{
		&Kmsg{Path: kmsg, BootTime: boot, Since: n.Since},
		n.journal("journalctl -k", "-k"),
		n.journal("journalctl -u kubelet -u containerd -u crio -u docker",
			"-u", "kubelet", "-u", "containerd", "-u", "crio", "-u", "docker"),
	}
	var files []string
	for _, f := range n.LogFiles {
		// Resolved inside the root: a var/log/messages linked to an absolute path names the
		// root's file of that path, never this machine's.
		p, err := n.FS().Resolve(strings.TrimPrefix(path.Clean("/"+filepath.ToSlash(f)), "/"))
		if err != nil {
			continue
		}
		if st, err := os.Lstat(p); err == nil && st.Mode().IsRegular() {
			files = append(files, p)
		}
	}
	if len(files) > 0 {
		srcs = append(srcs, &Files{Paths: files, Now: n.Now})
	}
	return srcs, warnings
}

// kmsgPath is the root's /dev/kmsg. A debug pod's host mount often lacks the host's /dev
// (devtmpfs is a mount of its own); the ring buffer is the kernel's, not the root's, so the
// pod's own /dev/kmsg reads the same records.
func (n Node) kmsgPath() (string, string) {
	p, err := n.FS().Resolve("dev/kmsg")
	if err != nil {
		p = filepath.Join(n.Root, "dev/kmsg")
	}
	if _, err := os.Stat(p); err != nil && n.Root != "/" {
		if _, err := os.Stat("/dev/kmsg"); err == nil {
			return "/dev/kmsg", p + " missing; reading the same kernel's /dev/kmsg instead"
		}
	}
	return p, ""
}

// journal runs journalctl over the range, in JSON so that no text framing is guessed.
func (n Node) journal(name string, args ...string) Source {
	a := []string{"--no-pager", "--output", "json", "--since", "@" + strconv.FormatInt(n.Since.Unix(), 10)}
	if n.Root != "/" {
		a = append(a, "--root", n.Root)
	}
	return &Command{Name: name, Kind: KindJournalJSON, Path: n.Journal, Args: append(a, args...)}
}

// Zone is the zone of the node's zone-less syslog stamps: the named one, else the node's
// /etc/timezone (Debian) or /etc/localtime link, else UTC; the warning says why UTC was
// taken for a name that is not a zone.
func (n Node) Zone(name string) (*time.Location, string) {
	if name == "" {
		name = n.zoneName()
	}
	if name == "" {
		return time.UTC, ""
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC, fmt.Sprintf("time zone %q unknown, using UTC: %v", name, err)
	}
	return loc, ""
}

// FS is the node's file system below its root, every path and symlink resolved inside it.
func (n Node) FS() RootFS { return RootFS{Root: n.Root} }

// zoneName reads the zone's name inside the root: only its first line, of a file that is
// small, since it is shown in a warning when it is no zone.
func (n Node) zoneName() string {
	fsys := RootFS{Root: n.Root, MaxFile: 4 << 10}
	if b, err := fsys.ReadFile("etc/timezone"); err == nil {
		first, _, _ := strings.Cut(string(b), "\n")
		return strings.TrimSpace(first)
	}
	if target, err := fsys.Readlink("etc/localtime"); err == nil {
		if _, zone, ok := strings.Cut(target, "zoneinfo/"); ok {
			return zone
		}
	}
	return ""
}
