package parsers

import (
	"bytes"
	"strconv"
	"time"
)

// Framings of logs that programs write themselves, without syslog or journald around them:
// a kubelet log file (klog text or --logging-format=json) and a containerd or CRI-O log file
// (logrus text). The whole line stays the message text, so the kubelet and runtime parsers
// read these lines exactly as they read the same text inside a journal entry.

// frameKlog reads `Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg`; local time without a year.
func frameKlog(line []byte, c *Clock, m *Message) bool {
	if len(line) < 22 || line[0] > 'W' || line[0] < 'E' {
		return false
	}
	var k klogLine
	if _, ok := k.header(string(line)); !ok {
		return false
	}
	h := k.Clock
	m.Wall = c.date(time.Month(k.Month), k.Day, int(h/time.Hour), int(h/time.Minute%60), int(h/time.Second%60), int(h%time.Second))
	m.Program, m.Text, m.Floating, m.YearGuessed = "klog", string(line), c.Loc == nil, c.Year == 0
	m.Priority = klogPriority(k.Level)
	return true
}

// frameKlogFragment reads a kubelet line whose klog header a paste elided or cut off
// ("... eviction_manager.go:575] …", `"Msg" key="v"`): the message is kept, the time is lost.
func frameKlogFragment(line []byte, _ *Clock, m *Message) bool {
	if len(line) < 4 || !(line[0] == '"' || line[0] == '.' || line[0] == 0xe2 || line[0] >= 'a' && line[0] <= 'z') {
		return false
	}
	if _, ok := headerless(string(line)); !ok {
		return false
	}
	m.Program, m.Text = "klog", string(line)
	return true
}

func klogPriority(level byte) int {
	switch level {
	case 'I':
		return 6
	case 'W':
		return 4
	case 'E':
		return 3
	case 'F':
		return 2
	}
	return -1
}

// frameKlogJSON reads a --logging-format=json line: {"ts":<epoch ms>,"caller":…,"msg":…}.
func frameKlogJSON(line []byte, _ *Clock, m *Message) bool {
	if len(line) < 8 || line[0] != '{' || !bytes.Contains(line, []byte(`"ts":`)) || !bytes.Contains(line, []byte(`"msg":`)) {
		return false
	}
	k, ok := parseKlogJSON(string(line))
	if !ok || k.TS.IsZero() {
		return false
	}
	m.Wall, m.Program, m.Text = k.TS, "kubelet", string(line)
	return true
}

// frameLogrus reads containerd's, CRI-O's and dockerd's logrus text lines:
//
//	time="2024-03-29T14:48:51.123456789Z" level=info msg="…"       (containerd, dockerd)
//	time="2022-04-27 15:42:06.314365501Z" level=info msg="…"       (CRI-O's own layout)
//	INFO[2024-08-23T18:05:29.890473249+08:00] message  key=value   (logrus on a terminal)
func frameLogrus(line []byte, _ *Clock, m *Message) bool {
	if len(line) > 6 && line[4] == '[' && bytes.Contains(line[:6], []byte("[")) {
		return frameLogrusTTY(line, m)
	}
	if !bytes.HasPrefix(line, []byte(`time="`)) {
		return false
	}
	end := bytes.IndexByte(line[6:], '"')
	if end < 0 {
		return false
	}
	t, ok := parseLogrusTime(string(line[6 : 6+end]))
	if !ok {
		return false
	}
	rest := line[6+end+1:]
	if !bytes.Contains(rest, []byte(" level=")) {
		return false
	}
	m.Wall, m.Program, m.Text = t, "", string(line)
	if i := bytes.Index(rest, []byte("level=")); i >= 0 {
		lv := rest[i+6:]
		if sp := bytes.IndexByte(lv, ' '); sp >= 0 {
			lv = lv[:sp]
		}
		m.Priority = logrusPriority(string(lv))
	}
	return true
}

func parseLogrusTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

var logrusTTYLevels = map[string]string{"INFO": "info", "WARN": "warning", "ERRO": "error", "DEBU": "debug", "FATA": "fatal", "PANI": "panic", "TRAC": "trace"}

func frameLogrusTTY(line []byte, m *Message) bool {
	level, ok := logrusTTYLevels[string(line[:4])]
	end := bytes.IndexByte(line, ']')
	if !ok || end < 0 {
		return false
	}
	t, ok := parseLogrusTime(string(line[5:end]))
	if !ok {
		return false
	}
	m.Wall, m.Program, m.Text, m.Priority = t, "", string(bytes.TrimSpace(line[end+1:])), logrusPriority(level)
	return true
}

func logrusPriority(level string) int {
	switch level {
	case "debug", "trace":
		return 7
	case "info":
		return 6
	case "warning":
		return 4
	case "error":
		return 3
	case "fatal", "panic":
		return 2
	}
	if n, err := strconv.Atoi(level); err == nil {
		return n
	}
	return -1
}

// frameHostPrefixed reads kubelet lines that a multi-node tool prefixed with the node's name
// or address, as `talosctl -n <node> logs kubelet` does: "<node>: <klog or JSON line>".
func frameHostPrefixed(line []byte, c *Clock, m *Message) bool {
	colon := bytes.Index(line, []byte(": "))
	if colon < 1 || colon > 253 || bytes.IndexByte(line[:colon], ' ') >= 0 {
		return false
	}
	rest := line[colon+2:]
	if !frameKlogJSON(rest, c, m) && !frameKlog(rest, c, m) {
		return false
	}
	m.Host = string(line[:colon])
	return true
}
