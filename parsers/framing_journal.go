package parsers

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// journalctl output modes that carry more than the syslog-like "short" family.
//
// -o json writes one JSON object per entry. __REALTIME_TIMESTAMP is when journald received
// the entry (for kernel messages imported in a backlog after journald starts, later than the
// event); _SOURCE_MONOTONIC_TIMESTAMP is the kernel's own printk time since boot
// (systemd src/journal/journald-kmsg.c), so both clocks are kept. Fields may be strings,
// arrays of bytes (non-UTF-8 values) or, for repeated fields, arrays of either.
//
// -o short-monotonic prefixes "[ seconds] host ident[pid]: ": the stamp is journald's
// monotonic receive time.

type journalEntry struct {
	Message    json.RawMessage `json:"MESSAGE"`
	Realtime   string          `json:"__REALTIME_TIMESTAMP"`
	SourceMono string          `json:"_SOURCE_MONOTONIC_TIMESTAMP"`
	Monotonic  string          `json:"__MONOTONIC_TIMESTAMP"`
	BootID     string          `json:"_BOOT_ID"`
	Hostname   string          `json:"_HOSTNAME"`
	Identifier string          `json:"SYSLOG_IDENTIFIER"`
	Comm       string          `json:"_COMM"`
	Transport  string          `json:"_TRANSPORT"`
	Priority   string          `json:"PRIORITY"`
}

func frameJournalJSON(line []byte, _ *Clock, m *Message) bool {
	if len(line) < 2 || line[0] != '{' || !bytes.Contains(line, []byte(`"__REALTIME_TIMESTAMP"`)) {
		return false
	}
	var e journalEntry
	if json.Unmarshal(line, &e) != nil {
		return false
	}
	return e.fill(m)
}

// fill turns the fields of one journal entry into a message.
func (e *journalEntry) fill(m *Message) bool {
	text, ok := journalString(e.Message)
	usec, err := strconv.ParseInt(e.Realtime, 10, 64)
	if !ok || err != nil {
		return false
	}
	m.Text, m.Wall, m.Host, m.BootID = text, time.UnixMicro(usec).UTC(), e.Hostname, e.BootID
	m.Program = e.Identifier
	if m.Program == "" {
		m.Program = e.Comm
	}
	if e.Transport == "kernel" {
		m.Program = "kernel"
		if mono, err := strconv.ParseInt(e.SourceMono, 10, 64); err == nil {
			if m.Boot, m.HasBoot = sinceBoot(mono, time.Microsecond); m.HasBoot {
				m.Received = true
			}
		}
	}
	if p, err := strconv.Atoi(e.Priority); err == nil {
		m.Priority = p
	}
	return true
}

// journalString decodes a journal field value: a string, or an array of bytes.
func journalString(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var b []byte
	var ints []int
	if json.Unmarshal(raw, &ints) == nil {
		for _, i := range ints {
			b = append(b, byte(i))
		}
		return string(b), true
	}
	return "", false
}

func frameJournalMonotonic(line []byte, _ *Clock, m *Message) bool {
	d, rest, ok := bootStamp(line)
	if !ok || len(rest) < 2 || rest[0] != ' ' {
		return false
	}
	// Only a host followed by "kernel:" or "ident[pid]:" is journal framing; a dmesg line
	// such as "[ 5.1] systemd[1]: Started …" has no host before its identifier.
	sp := bytes.IndexByte(rest[1:], ' ')
	if sp < 1 {
		return false
	}
	after := rest[sp+2:]
	colon := bytes.Index(after, []byte(": "))
	if colon < 1 {
		return false
	}
	tag := after[:colon]
	if !bytes.Equal(tag, []byte("kernel")) && !(bytes.HasSuffix(tag, []byte("]")) && bytes.IndexByte(tag, '[') > 0) {
		return false
	}
	if !hostAndTag(rest[1:], m) {
		return false
	}
	if m.Program == "kernel" {
		m.Boot, m.HasBoot = d, true
	}
	return true
}
