// Package cli is coroner's command line: flags mapped to options, errors to exit codes. It
// is a package rather than main so that tests (the golden suite) run the real command line
// in-process, in parallel.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/alecthomas/kong"
	"github.com/k8s-coroner/coroner/correlate/render"
	"github.com/k8s-coroner/coroner/sources/elastic"
	"github.com/k8s-coroner/coroner/sources/loki"
	"github.com/k8s-coroner/coroner/sources/secret"
)

// version is set at build time with -ldflags "-X github.com/k8s-coroner/coroner/cmd/coroner/cli.version=…".
var version = "dev"

// Exit codes, documented in the README.
const (
	exitOK      = 0 // analysis done, even with no deaths
	exitPartial = 1 // some inputs unreadable or read only in part (a cap), the others analysed
	exitUsage   = 2 // usage error, or nothing could be read
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

type commands struct {
	ShowVersion   kong.VersionFlag                                                  `name:"version" help:"Print the version and exit."`
	Analyze       analyzeCmd                                                        `cmd:"" help:"Explain container deaths from logs, sosreports, must-gathers and Kubernetes objects."`
	Node          nodeCmd                                                           `cmd:"" help:"Run the post-mortem on the node itself (Linux only): kernel ring buffer, journal, syslog files and live memory cgroups."`
	Loki          storeCmd[loki.Flags, *loki.Flags]                                 `cmd:"" help:"Batch job: find and explain every memory death of a time range in Grafana Loki."`
	Elasticsearch storeCmd[elastic.ElasticsearchFlags, *elastic.ElasticsearchFlags] `cmd:"" help:"Batch job: find and explain every memory death of a time range in Elasticsearch."`
	Opensearch    storeCmd[elastic.OpenSearchFlags, *elastic.OpenSearchFlags]       `cmd:"" help:"Batch job: the same over OpenSearch."`
	Merge         mergeCmd                                                          `cmd:"" help:"Merge the JSON reports of sharded runs (--shard I/N) into one report."`
	Version       versionCmd                                                        `cmd:"" help:"Print the version."`
	Completion    completionCmd                                                     `cmd:"" help:"Print shell completion for bash, zsh or fish."`
}

type versionCmd struct{}

func (versionCmd) Run(env *Env) error {
	fmt.Fprintf(env.Stdout, "coroner %s\n", versionString())
	return nil
}

// Env is what a run reads and writes besides its arguments: the process's own in main, a
// test's in-process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Dir is the directory relative paths (inputs, --output-file, reports to merge) are read
	// from; "" for the working directory. Names in the report stay as given.
	Dir string
	// LookupEnv reads an environment variable (NO_COLOR, TERM, COLUMNS); nil for the
	// process's own.
	LookupEnv func(string) (string, bool)

	// secrets are the run's credentials, learned as stores open; whatever the run writes
	// passes through them (scrubbed).
	secrets *secret.Scrubber
}

// OS is the process's own environment.
func OS() *Env { return &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr} }

// scrubbed is env writing through a scrubber of the run's secrets: every report, warning,
// error and progress line, whoever prints it, so that no place can forget. Nothing is
// changed until a store learns a secret. flush writes what the scrubbers held back.
func (e *Env) scrubbed() (*Env, func()) {
	c := *e
	c.secrets = &secret.Scrubber{}
	out, errw := c.secrets.Writer(e.Stdout), c.secrets.Writer(e.Stderr)
	c.Stdout, c.Stderr = out, errw
	return &c, func() { out.Flush(); errw.Flush() }
}

// getenv reads a variable of the run's environment.
func (e *Env) getenv(name string) (string, bool) {
	if e.LookupEnv == nil {
		return os.LookupEnv(name)
	}
	return e.LookupEnv(name)
}

// path resolves a path given on the command line against the run's directory.
func (e *Env) path(p string) string {
	if e.Dir == "" || p == "-" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(e.Dir, p)
}

// Run runs coroner with the arguments (without the program's name) and returns the exit code.
func Run(args []string, env *Env) int {
	env, flush := env.scrubbed()
	defer flush()
	var c commands
	helped := false
	parser, err := newParser(&c, env, func(int) { helped = true }) // --help printed: run nothing
	if err != nil {
		fmt.Fprintf(env.Stderr, "coroner: error: %v\n", err)
		return exitUsage
	}
	if len(args) == 0 { // a bare coroner: the usage, as kubectl does
		args = []string{"--help"}
	}
	ctx, err := parser.Parse(args)
	if err != nil && helped { // kong goes on parsing after printing the help; it asked for nothing else
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "coroner: error: %v\n", err)
		fmt.Fprintf(env.Stderr, "coroner: hint: run \"coroner --help\" for usage\n")
		return exitUsage
	}
	if ctx.Selected() == nil || helped { // --help
		return exitOK
	}
	if err := ctx.Run(env); err != nil {
		sayError(env, err)
		var ee *exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		return exitUsage
	}
	return exitOK
}

// sayError prints a run's error on standard error. It may quote input (a file name from an
// archive, a line, a server's answer), so it is escaped as the text report is: a terminal
// shows escape sequences in it, it does not obey them.
func sayError(env *Env, err error) {
	fmt.Fprintf(env.Stderr, "coroner: error: %s\n", render.Escape(err.Error()))
}

// newParser is coroner's command line over c; exit is called after --help or --version.
func newParser(c *commands, env *Env, exit func(int)) (*kong.Kong, error) {
	return kong.New(c, kong.Name("coroner"),
		kong.Description("coroner performs the post-mortem on Kubernetes containers that died of memory."),
		kong.Vars(kindVars()), kong.Vars(outputVars()), kong.Vars(limitVars()), kong.Vars{"version": "coroner " + versionString()},
		kong.Writers(env.Stdout, env.Stderr), kong.Help(helpWithExamples), kong.Exit(exit))
}
