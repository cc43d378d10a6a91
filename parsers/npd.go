package parsers

import (
	"fmt"
	"strings"
)

// npdReason is the reason of node-problem-detector's kernel-monitor Event for an OOM kill.
const npdReason = "OOMKilling"

// readNPDKill reads node-problem-detector's OOMKilling Event: its message is the kernel's
// own kill line (NPD kernel-monitor rule "Killed process \d+ (.+) total-vm:…"), so the kernel
// parser reads it as a one-line report, on the event's node and at the event's time. When
// the node's kernel log is also an input, the two reports of one kill merge downstream.
func readNPDKill(e *KubeEvent) {
	e.Kernel = nil
	if e.Reason != npdReason {
		return
	}
	quote := e.Quote()
	for text := range strings.SplitSeq(e.Message, "\n") {
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		m := &Message{Input: e.Pos.Input, Line: e.Pos.Line, Raw: quote, Text: text, Program: "kernel",
			Host: e.Node(), Wall: e.LastTime, Priority: -1}
		e.Kernel = append(e.Kernel, ParseKernelMessages([]*Message{m})...)
	}
	for _, o := range e.Kernel {
		for i := range o.Lines {
			o.Lines[i].Role = RoleEventOOMKilling
		}
		for i := range o.Kills {
			o.Kills[i].Evidence.Role = RoleEventOOMKilling
		}
	}
}

// Node is the node an Event speaks for: the reporting kubelet's host, or the Node it is
// about.
func (e *KubeEvent) Node() string {
	if e.Host != "" {
		return e.Host
	}
	if e.Object.Kind == "Node" {
		return e.Object.Name
	}
	return ""
}

// Quote is the Event as a line of proof: the kubelet's log line when it came from one, else
// a one-line rendering of the object.
func (e *KubeEvent) Quote() string {
	if e.Line != nil {
		return e.Line.Text
	}
	obj := e.Object.Name
	if e.Object.Namespace != "" {
		obj = e.Object.Namespace + "/" + obj
	}
	if c := ContainerOfFieldPath(e.Object.FieldPath); c != "" {
		obj += " container " + c
	}
	by := e.Component
	if e.Host != "" {
		by += " on " + e.Host
	}
	text := fmt.Sprintf("Event %s %s %s %s (%s)", e.Type, e.Reason, strings.ToLower(e.Object.Kind), obj, by)
	if e.Count > 1 {
		text += fmt.Sprintf(" x%d", e.Count)
	}
	if m := strings.Join(strings.Fields(e.Message), " "); m != "" {
		text += ": " + m
	}
	return text
}

// ContainerOfFieldPath reads "spec.containers{name}" (also initContainers,
// ephemeralContainers): the container an Event's involved object points at.
func ContainerOfFieldPath(fp string) string {
	i := strings.IndexByte(fp, '{')
	if i < 0 || !strings.HasSuffix(fp, "}") {
		return ""
	}
	return fp[i+1 : len(fp)-1]
}
