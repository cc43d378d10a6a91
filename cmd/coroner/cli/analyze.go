package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/analysis"
	"github.com/k8s-coroner/coroner/parsers"
	"github.com/k8s-coroner/coroner/sources"
)

type analyzeCmd struct {
	Files []string `arg:"" name:"file" help:"Log files, sosreports (.tar.xz, .tar.gz, .tar.bz2, .tar.zst, .tar or extracted), must-gathers and directories; compressed files are read as they are; - reads standard input."`
	outputFlags
	Kind     sources.Kind  `enum:"${kinds}" default:"" help:"Force the kind of every input instead of detecting it: ${kindlist}."`
	Year     int           `help:"Year of stamps that have none (syslog, journalctl short); default: the year that puts them closest before the file's modification time."`
	TZ       []string      `name:"tz" help:"Time zone of stamps without one (syslog, journalctl short, klog, dmesg -T), e.g. Europe/Berlin or Local; NAME=ZONE sets it only for inputs whose name starts with NAME (an archive, a file); repeatable. Default: the zone an archive names (etc/localtime, timedatectl, date), else UTC."`
	BootTime string        `help:"Wall-clock boot time (RFC 3339) for boot-relative dmesg stamps; default: learned by matching lines in inputs with wall-clock stamps."`
	Now      string        `help:"When the pasted kubectl output was printed (RFC 3339): its ages (\"7m24s\", \"3d2h\", \"(5m ago)\") become times. Default: ages stay relative, since the paste does not say."`
	Window   time.Duration `default:"2m" help:"How far apart kills in one pod without a container ID may be and still be one death."`
	limitFlags
	Explain bool `name:"explain-inputs" help:"List every file of every archive and directory with what was done with it (read as kernel, syslog, journal, unit or objects; node facts; skipped and why), in the report's archives section."`
}

// kindVars feeds the --kind enum from the framing registry.
func kindVars() map[string]string {
	names := []string{""}
	for _, f := range parsers.Framings {
		names = append(names, string(f.Name))
	}
	for _, k := range []sources.Kind{sources.KindJournalExport, sources.KindJournalVerbose, sources.KindKubeObjects} {
		names = append(names, string(k))
	}
	return map[string]string{
		"kinds":    strings.Join(names, ","),
		"kindlist": strings.Join(names[1:], ", "),
	}
}

func (a *analyzeCmd) Run(env *Env) error {
	zones, err := parsers.ParseZones(a.TZ)
	if err != nil {
		return &exitError{exitUsage, fmt.Errorf("--tz %w", err)}
	}
	var boot time.Time
	if a.BootTime != "" {
		if boot, err = time.Parse(time.RFC3339Nano, a.BootTime); err != nil {
			return &exitError{exitUsage, fmt.Errorf("--boot-time %q is not an RFC 3339 time: %w", a.BootTime, err)}
		}
	}
	now, err := parseNow(a.Now)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	limits, err := a.limits()
	if err != nil {
		return &exitError{exitUsage, err}
	}
	src := &sources.Files{Paths: a.Files, Dir: env.Dir, Kind: a.Kind, Stdin: env.Stdin, Now: time.Now(), Explain: a.Explain, Limits: limits}
	res := analysis.Analyze([]sources.Source{src}, analysis.Options{
		ParseOptions: zones.Options(a.Year, now), Zone: zones.All, BootTime: boot, Window: a.Window})
	for _, in := range res.Unreadable {
		sayError(env, in.Err)
	}
	for _, in := range res.Faulted {
		fmt.Fprintf(env.Stderr, "coroner: error: %s\n", faultOf(in))
	}
	incomplete := src.Incomplete() // a cap hit, a directory not listed: the result is partial
	for _, msg := range incomplete {
		fmt.Fprintf(env.Stderr, "coroner: warning: %s\n", msg)
	}
	if err := a.write(env, res.Report); err != nil {
		return err
	}
	switch {
	case len(res.Unreadable) == len(res.Inputs):
		return &exitError{exitUsage, fmt.Errorf("no input could be read")}
	case !res.Understood():
		for _, res := range res.Inputs {
			if res.Unrecognised != "" {
				sayError(env, fmt.Errorf("%s: nothing in it was understood: %s", res.Name, res.Unrecognised))
			}
		}
		return &exitError{exitUsage, fmt.Errorf("no input was understood")}
	case len(res.Unreadable) > 0:
		return &exitError{exitPartial, fmt.Errorf("%d of %d inputs could not be read", len(res.Unreadable), len(res.Inputs))}
	case len(res.Faulted) > 0:
		return &exitError{exitPartial, fmt.Errorf("%d of %d inputs were not read whole: see the read faults above", len(res.Faulted), len(res.Inputs))}
	case len(incomplete) > 0:
		return &exitError{exitPartial, errors.New("the result is partial: some inputs were read only in part (see the warnings)")}
	}
	return nil
}
