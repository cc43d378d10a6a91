package parsers

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/k8s-coroner/coroner/sources"
)

// An input of which nothing was understood must not pass in silence: the report says what
// it looks like and what to give instead. sniffer looks at the first lines (kindSample) of
// every input, cheaply, for the things people give by mistake: kubectl describe output,
// kubectl get tables, binary data, a binary journal file.

type sniffer struct {
	n, text, binary int
	first           string
	describe        int  // lines keyed like kubectl describe ("Name:", "  Last State:")
	eventsHeader    bool // describe's Events table header
	table           int  // kubectl get table headers, or kubectl get events rows
	journalFile     bool // the journal file's signature
}

func (s *sniffer) see(b []byte) {
	if s.n == 0 && bytes.HasPrefix(b, []byte("LPKSHHRH")) {
		s.journalFile = true
	}
	s.n++
	t := bytes.TrimRight(b, " \t")
	if len(t) == 0 {
		return
	}
	if bytes.IndexByte(t, 0) >= 0 || hasControlBytes(t) || !utf8.Valid(t) {
		s.binary++
		return
	}
	s.text++
	if s.first == "" {
		s.first = shortenTo(string(t), 80)
	}
	line := string(t)
	switch {
	case isDescribeKey(line):
		s.describe++
	case isColumns(line, "Type", "Reason", "Age", "From", "Message"):
		s.eventsHeader = true
	case isGetHeader(line) || isEventRow(line):
		s.table++
	}
}

// empty: no line with text at all (an empty input is said, but is no misread one).
func (s *sniffer) empty() bool { return s.text == 0 && s.binary == 0 }

// verdict says what the input looks like and what to give instead; forced names the kind
// --kind imposed, if any.
func (s *sniffer) verdict(forced sources.Kind) string {
	const logs = "dmesg, journalctl -k or /var/log/messages"
	switch {
	case s.journalFile:
		return "a binary systemd journal file; give `journalctl --file FILE -o json` (or -o export)"
	case s.binary > 0 && s.binary >= s.text:
		return "binary data, not a log; give " + logs + " as text"
	case s.text == 0:
		return "the input is empty; give " + logs
	case s.eventsHeader || s.describe >= 3:
		return "kubectl describe output in which no pod, node or Event could be read; give `kubectl get pod NAME -o json` and " +
			"`kubectl get events -o json` for the pod, and " + logs + " of its node"
	case s.table > 0:
		return "a kubectl get table in which no row could be read; give the same command with -o json " +
			"(`kubectl get pods -o json`, `kubectl get events -o json`)"
	case forced != sources.KindDetect:
		return fmt.Sprintf("no line reads as %s, the kind --kind imposed; first line: %q", forced, s.first)
	}
	return fmt.Sprintf("no known log format; first line: %q; give %s", s.first, logs)
}

// describeKeys are keys kubectl describe prints for pods and nodes.
var describeKeys = map[string]bool{
	"Name": true, "Namespace": true, "Priority": true, "Priority Class Name": true, "Service Account": true,
	"Node": true, "Start Time": true, "Labels": true, "Annotations": true, "Status": true, "IP": true, "IPs": true,
	"Controlled By": true, "Containers": true, "Init Containers": true, "Container ID": true, "Image": true,
	"Image ID": true, "State": true, "Last State": true, "Ready": true, "Restart Count": true, "Exit Code": true,
	"Limits": true, "Requests": true, "Environment": true, "Mounts": true, "Conditions": true, "Volumes": true,
	"QoS Class": true, "Node-Selectors": true, "Tolerations": true, "Events": true, "Roles": true,
	"CreationTimestamp": true, "Taints": true, "Unschedulable": true, "Addresses": true, "Capacity": true,
	"Allocatable": true, "System Info": true, "Allocated resources": true, "Non-terminated Pods": true,
}

func isDescribeKey(line string) bool {
	key, rest, ok := strings.Cut(strings.TrimLeft(line, " "), ":")
	return ok && describeKeys[key] && (rest == "" || rest[0] == ' ' || rest[0] == '\t')
}

// columns splits a table row at runs of two or more spaces.
func columns(line string) []string {
	var out []string
	for _, f := range strings.Split(strings.TrimSpace(line), "  ") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func isColumns(line string, want ...string) bool {
	got := columns(line)
	if len(got) < len(want) {
		return false
	}
	for i, w := range want {
		if got[i] != w {
			return false
		}
	}
	return true
}

// isGetHeader: "NAME  READY  STATUS …", "NAMESPACE  NAME …", "LAST SEEN  TYPE  REASON …".
func isGetHeader(line string) bool {
	cols := columns(line)
	if len(cols) < 3 || (cols[0] != "NAME" && cols[0] != "NAMESPACE" && cols[0] != "LAST SEEN") {
		return false
	}
	for _, c := range cols {
		if strings.ToUpper(c) != c {
			return false
		}
	}
	return true
}

// isEventRow: a kubectl get events row, "4m11s  Warning  Evicted  pod/x  message", with or
// without a namespace first.
func isEventRow(line string) bool {
	f := strings.Fields(line)
	for i := 1; i <= 2 && i+2 < len(f); i++ {
		if (f[i] == "Normal" || f[i] == "Warning") && strings.Contains(f[i+2], "/") && isAge(f[i-1]) {
			return true
		}
	}
	return false
}

// isAge: one of kubectl's ages as a single field ("4m11s", "3d", "<unknown>"); parseAge
// reads them.
func isAge(s string) bool {
	_, ok := parseAge(s)
	return ok && !strings.ContainsAny(s, " \t")
}

// shortenTo cuts s to n runes, marking the cut.
func shortenTo(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
