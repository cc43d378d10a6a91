package cli

import (
	"fmt"
	"strings"

	"github.com/alecthomas/kong"
)

// exampled is a command whose help ends with examples: the lines people copy first.
type exampled interface{ examples() []string }

// helpWithExamples prints kong's help, then the selected command's examples (the root's for
// a bare coroner or coroner --help), as kubectl's help ends.
func helpWithExamples(opts kong.HelpOptions, ctx *kong.Context) error {
	if err := kong.DefaultHelpPrinter(opts, ctx); err != nil {
		return err
	}
	var ex []string
	if n := ctx.Selected(); n != nil {
		if e, ok := n.Target.Addr().Interface().(exampled); ok {
			ex = e.examples()
		}
	} else {
		ex = rootExamples
	}
	if len(ex) > 0 {
		fmt.Fprintf(ctx.Stdout, "\nExamples:\n  %s\n", strings.Join(ex, "\n  "))
	}
	return nil
}

var rootExamples = []string{
	"coroner analyze sosreport-node1-2026-11-27.tar.xz   # a sosreport, as it came",
	"coroner analyze must-gather.local.5550001/          # a must-gather directory",
	"kubectl get events -A -o json | coroner analyze -   # Events from the API",
	"coroner node                                        # on the node itself",
	"coroner completion bash > /etc/bash_completion.d/coroner",
}

func (analyzeCmd) examples() []string {
	return []string{
		"coroner analyze sosreport-node1.tar.xz sosreport-node2.tar.bz2 must-gather.local.5550001",
		"coroner analyze /var/log/messages kubelet.log -o json > report.json",
		"journalctl -k -o short-iso --since -2h | coroner analyze -",
		"pbpaste | coroner analyze --now 2026-11-27T19:12:00Z -   # a pasted kubectl describe pod",
		"coroner analyze -v --only cgroup-oom --namespace shop dmesg.txt",
		"coroner analyze --output-file report.html sosreport-*.tar.xz",
	}
}

func (nodeCmd) examples() []string {
	return []string{
		"sudo coroner node                        # the last 6 hours of this node",
		"coroner node --root /host --since 2h -o json",
		"kubectl debug node/worker-1 -it --profile=sysadmin --image=$IMAGE -- coroner node --root /host   # IMAGE: see deploy/",
	}
}

func (mergeCmd) examples() []string {
	return []string{
		"coroner merge shard-0.json shard-1.json shard-2.json > report.json",
		"coroner merge -o markdown shard-*.json",
	}
}

func (versionCmd) examples() []string { return []string{"coroner version", "coroner --version"} }

func (completionCmd) examples() []string {
	return []string{
		"source <(coroner completion bash)                 # bash, this shell; or save it in /etc/bash_completion.d/coroner",
		"coroner completion zsh > \"${fpath[1]}/_coroner\"   # zsh, then start a new shell",
		"coroner completion fish > ~/.config/fish/completions/coroner.fish",
	}
}
