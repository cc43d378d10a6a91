package correlate

import (
	"strings"

	"github.com/k8s-coroner/coroner/parsers"
)

// kernelFromEvent reads node-problem-detector's OOMKilling Event: its message is the kernel's
// own kill line (NPD kernel-monitor rule "Killed process \d+ (.+) total-vm:…"), so the kernel
// parser reads it as a one-line report, on the event's node and at the event's time. When
// the node's kernel log is also an input, the two reports of one kill merge.
func kernelFromEvent(e *parsers.KubeEvent) []*parsers.KernelOOM {
	var out []*parsers.KernelOOM
	ev := eventEvidence(e)
	lines := strings.Split(e.Message, "\n")
	for _, text := range lines {
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		m := &parsers.Message{Input: e.Pos.Input, Line: e.Pos.Line, Raw: ev.Text, Text: text, Program: "kernel",
			Host: eventNode(e), Wall: e.LastTime, Priority: -1}
		out = append(out, parsers.ParseKernelMessages([]*parsers.Message{m})...)
	}
	for _, o := range out {
		for i := range o.Lines {
			o.Lines[i].Role = "event-oomkilling"
		}
		for i := range o.Kills {
			o.Kills[i].Evidence.Role = "event-oomkilling"
		}
	}
	return out
}
