package main

import (
	"io"
	"os"
	"strings"

	"github.com/k8s-coroner/coroner/correlate"
	"github.com/k8s-coroner/coroner/correlate/render"
	"golang.org/x/term"
)

// outputFlags choose what of the report is written, how and where; analyze and node share them.
type outputFlags struct {
	Format    string `short:"f" enum:"${formats}" default:"" help:"Output format: text, json, jsonl (one death per line), markdown or html (one self-contained page with a timeline). Default: from -o's extension, else text."`
	Output    string `short:"o" placeholder:"FILE" help:"Write the report to FILE instead of standard output."`
	Only      string `enum:"${mechanisms}" default:"" help:"Show only deaths of this mechanism: ${mechanismlist}."`
	Namespace string `help:"Show only deaths in this namespace."`
	Pod       string `help:"Show only deaths of this pod."`
	Color     string `enum:"auto,always,never" default:"auto" help:"Colour the text report: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never."`
}

func outputVars() map[string]string {
	mechs := []string{correlate.CgroupOOM, correlate.KernelOOM, correlate.KubeletEviction, correlate.NotMemory, correlate.Unknown}
	return map[string]string{
		"formats":       "," + strings.Join(render.Formats, ","),
		"mechanisms":    "," + strings.Join(mechs, ","),
		"mechanismlist": strings.Join(mechs, ", "),
	}
}

// write filters the report and renders it to standard output or the -o file.
func (o *outputFlags) write(env *environment, rep *correlate.Report) error {
	if o.Only != "" || o.Namespace != "" || o.Pod != "" {
		correlate.Filter(rep, o.Only, o.Namespace, o.Pod)
		correlate.Summarize(rep)
	}
	format := o.Format
	if format == "" && o.Output != "" {
		format = render.FormatOf(o.Output)
	}
	if format == "" {
		format = "text"
	}
	var w io.Writer = env.stdout
	color := false
	if o.Output != "" {
		f, err := os.Create(o.Output)
		if err != nil {
			return &exitError{exitUsage, err}
		}
		defer f.Close()
		w = f
	} else {
		color = format == "text" && wantsColor(env.stdout, o.Color)
	}
	if o.Color == "always" && format == "text" {
		color = true
	}
	if err := render.Write(w, format, rep, render.Options{Color: color}); err != nil {
		return &exitError{exitUsage, err}
	}
	return nil
}

// wantsColor: colour only on a terminal, never when NO_COLOR is set (no-color.org) or the
// terminal is dumb, unless --color says otherwise.
func wantsColor(w io.Writer, mode string) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if _, set := os.LookupEnv("NO_COLOR"); set || os.Getenv("TERM") == "dumb" {
		return false
	}
	return isTerminal(w)
}

// isTerminal says whether w is a terminal (for colour and progress lines). x/term asks the
// terminal itself on every platform (an ioctl on Unix, the console mode on Windows); being
// a character device is not enough, /dev/null is one too.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
