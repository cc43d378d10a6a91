package cli

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/k8s-coroner/coroner/correlate"
	"github.com/k8s-coroner/coroner/correlate/render"
	"github.com/k8s-coroner/coroner/correlate/report"
)

// outputFlags choose what of the report is written, how and where; analyze and node share them.
// -o names the format, as in kubectl and k8sgpt; -f/--format stays as an alias because scripts
// written before -o changed meaning use it.
type outputFlags struct {
	Output     string `short:"o" placeholder:"FORMAT" help:"Output format: text, json, jsonl (one death per line), markdown or html (one self-contained page with a timeline). Default: from --output-file's extension, else text."`
	Format     string `short:"f" hidden:"" help:"Alias of --output."`
	OutputFile string `placeholder:"PATH" help:"Write the report to PATH instead of standard output."`
	Only       string `enum:"${mechanisms}" default:"" help:"Show only deaths of this mechanism: ${mechanismlist}."`
	Namespace  string `help:"Show only deaths in this namespace."`
	Pod        string `help:"Show only deaths of this pod."`
	Color      string `enum:"auto,always,never" default:"auto" help:"Colour the text report: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never."`
	Verbose    bool   `short:"v" help:"Show every proof line, every witness of a kill and every detail in the text report (by default a death shows its few decisive lines)."`
}

// Validate runs when the flags are parsed (kong calls it), before any input is read: a wrong
// format should not cost a sosreport's decompression.
func (o *outputFlags) Validate() error {
	_, err := o.format()
	return err
}

// format resolves -o, its -f alias and the --output-file extension into one format name.
func (o *outputFlags) format() (string, error) {
	format := o.Output
	if o.Format != "" {
		if format != "" && format != o.Format {
			return "", fmt.Errorf("-o %s and -f %s disagree; -f is an alias of -o, give one", format, o.Format)
		}
		format = o.Format
	}
	if format == "" {
		if format = render.FormatOf(o.OutputFile); format == "" {
			format = "text"
		}
	}
	if !slices.Contains(render.Formats, format) {
		if render.FormatOf(format) != "" || strings.ContainsAny(format, "./\\") {
			// -o used to take the file: say what changed instead of only listing formats.
			return "", fmt.Errorf("-o takes a format (%s); to write the report to %s, use --output-file %s",
				strings.Join(render.Formats, ", "), format, format)
		}
		return "", fmt.Errorf("unknown output format %q: valid formats are %s", format, strings.Join(render.Formats, ", "))
	}
	return format, nil
}

func outputVars() map[string]string {
	var mechs []string
	for _, m := range report.Mechanisms {
		mechs = append(mechs, string(m))
	}
	return map[string]string{
		"formats":       "," + strings.Join(render.Formats, ","),
		"mechanisms":    "," + strings.Join(mechs, ","),
		"mechanismlist": strings.Join(mechs, ", "),
	}
}

// write filters the report and renders it to standard output or the --output-file file.
func (o *outputFlags) write(env *Env, rep *report.Report) error {
	if o.Only != "" || o.Namespace != "" || o.Pod != "" {
		correlate.Filter(rep, o.Only, o.Namespace, o.Pod)
		correlate.Summarize(rep)
	}
	format, err := o.format()
	if err != nil {
		return &exitError{exitUsage, err}
	}
	// Strings first: the text report wraps long lines, which could split a secret the
	// writer would then not see whole.
	env.secrets.Value(rep)
	var w io.Writer = env.Stdout
	if o.OutputFile != "" {
		f, err := os.Create(env.path(o.OutputFile))
		if err != nil {
			return &exitError{exitUsage, err}
		}
		defer f.Close()
		sw := env.secrets.Writer(f)
		defer sw.Flush()
		w = sw
	}
	opts := render.Options{Verbose: o.Verbose}
	opts.Width, opts.Color = render.Fit(w, env.getenv, o.Color)
	opts.Color = opts.Color && format == "text"
	if err := render.Write(w, format, rep, opts); err != nil {
		return &exitError{exitUsage, err}
	}
	return nil
}

// countOf says a count with its noun, singular for one: "1 line", "2 lines".
func countOf(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
