package cli

import (
	"fmt"
	"runtime"
	"time"

	"github.com/k8s-coroner/coroner/correlate"
	"github.com/k8s-coroner/coroner/correlate/analysis"
	"github.com/k8s-coroner/coroner/parsers"
	"github.com/k8s-coroner/coroner/sources"
)

type nodeCmd struct {
	Root  string        `default:"/" help:"The node's root filesystem: / on the node, /host in 'kubectl debug node/X' with the host mounted there. Every path and symlink is resolved inside it (an absolute symlink against the root, never out of it); only regular files are opened, and a file of the node's state is read up to 16 MiB."`
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
	node := sources.Node{Root: n.Root, Since: now.Add(-n.Since), Now: now, Journal: n.Journal, LogFiles: n.LogFiles}
	srcs, warnings := node.Sources()
	loc, why := node.Zone(n.TZ)
	if why != "" {
		warnings = append(warnings, why)
	}
	state, stateWarnings := sources.ReadNodeState(node.FS())
	res := analysis.Analyze(srcs, analysis.Options{
		ParseOptions: func(string) parsers.Options { return parsers.Options{Clock: parsers.Clock{Loc: loc}} },
		Window:       n.Window, Node: state})
	for _, in := range res.Unreadable {
		warnings = append(warnings, fmt.Sprintf("%s: %v", in.Name, in.Err))
	}
	for _, in := range res.Faulted {
		warnings = append(warnings, faultOf(in))
	}
	for _, src := range srcs { // the syslog files: a cap reached is said as analyze says it
		if f, ok := src.(*sources.Files); ok {
			warnings = append(warnings, f.Incomplete()...)
		}
	}
	rep := res.Report
	rep.Warnings = append(append(rep.Warnings, warnings...), stateWarnings...)
	correlate.KeepRange(rep, node.Since, endOfTime) // deaths whose time is unknown are kept
	if err := n.write(env, rep); err != nil {
		return err
	}
	if len(res.Unreadable) == len(res.Inputs) {
		return &exitError{exitUsage, fmt.Errorf("no evidence could be read on this node")}
	}
	return nil
}

// endOfTime ends a range that is open to the future.
var endOfTime = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

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
