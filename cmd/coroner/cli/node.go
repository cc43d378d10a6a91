package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/analysis"
	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
	"github.com/k8s-coroner/coroner/sources"
)

type nodeCmd struct {
	Root  string        `default:"/" help:"The node's root filesystem: / on the node, /host in 'kubectl debug node/X' with the host mounted there. Every path is resolved inside it."`
	Since time.Duration `default:"6h" help:"How far back to look."`
	outputFlags
	TZ       string        `name:"tz" default:"" help:"Time zone of zone-less stamps in /var/log files; default: the node's /etc/timezone or /etc/localtime, else UTC."`
	Window   time.Duration `default:"2m" help:"How far apart kills in one pod without a container ID may be and still be one death."`
	Journal  string        `default:"journalctl" help:"The journalctl to run."`
	LogFiles []string      `default:"var/log/messages,var/log/syslog,var/log/kern.log" help:"Log files to read below the root, when present."`
}

// Run analyses the node it runs on: the kernel ring buffer, the journal, the syslog files
// and the live memory cgroups. It only reads. Missing pieces are warnings in the report.
func (n *nodeCmd) Run(env *Env) error {
	if err := linuxOnly(runtime.GOOS); err != nil {
		return &exitError{exitUsage, err}
	}
	now := time.Now()
	since := now.Add(-n.Since)
	var warnings []string
	warn := func(format string, args ...any) { warnings = append(warnings, fmt.Sprintf(format, args...)) }

	boot, err := sources.MonotonicBootTime()
	if err != nil {
		warn("boot time unknown, kernel stamps stay boot-relative: %v", err)
	}
	loc := n.location(warn)
	srcs := []sources.Source{
		&sources.Kmsg{Path: n.kmsgPath(warn), BootTime: boot, Since: since},
		n.journal("journalctl -k", "-k"),
		n.journal("journalctl -u kubelet -u containerd -u crio -u docker",
			"-u", "kubelet", "-u", "containerd", "-u", "crio", "-u", "docker"),
	}
	var files []string
	for _, f := range n.LogFiles {
		if p := filepath.Join(n.Root, f); fileExists(p) {
			files = append(files, p)
		}
	}
	if len(files) > 0 {
		srcs = append(srcs, &sources.Files{Paths: files, Now: now})
	}
	state, stateWarnings := sources.ReadNodeState(os.DirFS(n.Root))
	res := analysis.Analyze(srcs, analysis.Options{
		ParseOptions: func(string) parsers.Options { return parsers.Options{Clock: parsers.Clock{Loc: loc}} },
		Window:       n.Window, Node: state})
	for _, in := range res.Unreadable {
		warn("%s: %v", in.Name, in.Err)
	}
	warnings = append(warnings, stateWarnings...)
	rep := res.Report
	rep.Deaths, rep.HostKills = after(rep.Deaths, since), after(rep.HostKills, since)
	rep.Warnings = warnings
	if err := n.write(env, rep); err != nil {
		return err
	}
	if len(res.Unreadable) == len(res.Inputs) {
		return &exitError{exitUsage, fmt.Errorf("no evidence could be read on this node")}
	}
	return nil
}

// linuxOnly refuses to run elsewhere than on Linux, saying what to do instead: the ring
// buffer, the journal and the memory cgroups are a Linux node's, and on macOS or Windows
// each source would fail on its own, ending in a vague "no evidence could be read".
func linuxOnly(goos string) error {
	if goos == "linux" {
		return nil
	}
	return fmt.Errorf("coroner node runs on Linux only (this is %s): it reads a Linux node's kernel ring buffer, journal and memory cgroups; "+
		"run it on the node (kubectl debug node/NAME --profile=sysadmin, see deploy/node-debug.md) or copy the node's logs and run coroner analyze on them", goos)
}

// kmsgPath is the root's /dev/kmsg. A debug pod's host mount often lacks the host's /dev
// (devtmpfs is a mount of its own); the ring buffer is the kernel's, not the root's, so the
// pod's own /dev/kmsg reads the same records.
func (n *nodeCmd) kmsgPath(warn func(string, ...any)) string {
	p := filepath.Join(n.Root, "dev/kmsg")
	if _, err := os.Stat(p); err != nil && n.Root != "/" {
		if _, err := os.Stat("/dev/kmsg"); err == nil {
			warn("%s missing; reading the same kernel's /dev/kmsg instead", p)
			return "/dev/kmsg"
		}
	}
	return p
}

// journal runs journalctl for the window, in JSON so that no text framing is guessed.
func (n *nodeCmd) journal(name string, args ...string) sources.Source {
	a := []string{"--no-pager", "--output", "json", "--since", "@" + strconv.FormatInt(time.Now().Add(-n.Since).Unix(), 10)}
	if n.Root != "/" {
		a = append(a, "--root", n.Root)
	}
	return &sources.Command{Name: name, Kind: "journal-json", Path: n.Journal, Args: append(a, args...)}
}

// location is the zone of the node's zone-less syslog stamps.
func (n *nodeCmd) location(warn func(string, ...any)) *time.Location {
	name := n.TZ
	if name == "" {
		name = nodeZone(n.Root)
	}
	if name == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		warn("time zone %q unknown, using UTC: %v", name, err)
		return time.UTC
	}
	return loc
}

// nodeZone reads the zone name from /etc/timezone (Debian) or the /etc/localtime link.
func nodeZone(root string) string {
	if b, err := os.ReadFile(filepath.Join(root, "etc/timezone")); err == nil {
		return strings.TrimSpace(string(b))
	}
	if target, err := os.Readlink(filepath.Join(root, "etc/localtime")); err == nil {
		if _, zone, ok := strings.Cut(target, "zoneinfo/"); ok {
			return zone
		}
	}
	return ""
}

// after keeps deaths at or after t; a death whose time is unknown is kept.
func after(ds []report.Death, t time.Time) []report.Death {
	out := ds[:0]
	for _, d := range ds {
		if d.Time == nil || !d.Time.Before(t) {
			out = append(out, d)
		}
	}
	return out
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
