// Command coroner performs the post-mortem on Kubernetes containers that died of memory.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/alecthomas/kong"
	"github.com/k8s-coroner/coroner/sources/elastic"
	"github.com/k8s-coroner/coroner/sources/loki"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Exit codes, documented in the README.
const (
	exitOK      = 0 // analysis done, even with no deaths
	exitPartial = 1 // some inputs unreadable, the others analysed
	exitUsage   = 2 // usage error, or nothing could be read
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

type cli struct {
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

func (versionCmd) Run(env *environment) error {
	fmt.Fprintf(env.stdout, "coroner %s\n", versionString())
	return nil
}

// environment is what commands read and write, so tests can run main in-process.
type environment struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

func main() {
	os.Exit(run(os.Args[1:], &environment{os.Stdin, os.Stdout, os.Stderr}))
}

func run(args []string, env *environment) int {
	var c cli
	helped := false
	parser, err := newParser(&c, env, func(int) { helped = true }) // --help printed: run nothing
	if err != nil {
		fmt.Fprintf(env.stderr, "coroner: error: %v\n", err)
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
		fmt.Fprintf(env.stderr, "coroner: error: %v\n", err)
		fmt.Fprintf(env.stderr, "coroner: hint: run \"coroner --help\" for usage\n")
		return exitUsage
	}
	if ctx.Selected() == nil || helped { // --help
		return exitOK
	}
	if err := ctx.Run(env); err != nil {
		fmt.Fprintf(env.stderr, "coroner: error: %v\n", err)
		var ee *exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		return exitUsage
	}
	return exitOK
}

// newParser is coroner's command line over c; exit is called after --help or --version.
func newParser(c *cli, env *environment, exit func(int)) (*kong.Kong, error) {
	return kong.New(c, kong.Name("coroner"),
		kong.Description("coroner performs the post-mortem on Kubernetes containers that died of memory."),
		kong.Vars(kindVars()), kong.Vars(outputVars()), kong.Vars{"version": "coroner " + versionString()},
		kong.Writers(env.stdout, env.stderr), kong.Help(helpWithExamples), kong.Exit(exit))
}
