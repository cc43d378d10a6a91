package parsers

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// Syslog framings. RFC 3164 files (rsyslog RSYSLOG_TraditionalFileFormat) and journalctl's
// default "short" output share the layout "Mmm dd hh:mm:ss host ident[pid]: text";
// journalctl -o short-precise adds microseconds. RSYSLOG_FileFormat and journalctl
// -o short-iso put an RFC 3339 stamp first. Kernel lines may keep the printk stamp
// ("kernel: [  45.220424] …"), which gives us both clocks at once.

func frameSyslog(line []byte, c *Clock, m *Message) bool {
	// "Mar 29 14:48:51 host ident: text"; the month name is locale-dependent in journalctl.
	sp := bytes.IndexByte(line, ' ')
	if sp < 2 || sp > 12 {
		return false
	}
	month, ok := lookupMonth(string(line[:sp]))
	if !ok {
		return false
	}
	rest := bytes.TrimLeft(line[sp:], " ")
	sp = bytes.IndexByte(rest, ' ')
	if sp < 1 || sp > 2 || !allDigits(rest[:sp]) {
		return false
	}
	day, _ := strconv.Atoi(string(rest[:sp]))
	rest = rest[sp+1:]
	if len(rest) < 9 || rest[2] != ':' || rest[5] != ':' {
		return false
	}
	hh, mm, ss := atoi2(string(rest[0:2])), atoi2(string(rest[3:5])), atoi2(string(rest[6:8]))
	if hh < 0 || mm < 0 || ss < 0 || day < 1 || day > 31 {
		return false
	}
	nsec := 0
	rest = rest[8:]
	if rest[0] == '.' {
		end := bytes.IndexByte(rest, ' ')
		if end < 2 || !allDigits(rest[1:end]) {
			return false
		}
		nsec = fracNanos(rest[1:end])
		rest = rest[end:]
	}
	if rest[0] != ' ' {
		return false
	}
	m.Wall, m.Floating, m.YearGuessed = c.date(month, day, hh, mm, ss, nsec), c.Loc == nil, c.Year == 0
	return hostAndTag(rest[1:], m)
}

func fracNanos(b []byte) int {
	n := 0
	for i := 0; i < 9; i++ {
		n *= 10
		if i < len(b) {
			n += int(b[i] - '0')
		}
	}
	return n
}

func frameSyslogISO(line []byte, _ *Clock, m *Message) bool {
	sp := bytes.IndexByte(line, ' ')
	if sp < 20 || sp > 40 || line[4] != '-' || line[10] != 'T' {
		return false
	}
	t, ok := parseRFC3339ish(string(line[:sp]))
	if !ok {
		return false
	}
	m.Wall = t
	return hostAndTag(line[sp+1:], m)
}

// parseRFC3339ish accepts RFC 3339 and journalctl's short-iso zone form "+0800".
func parseRFC3339ish(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999-0700", "2006-01-02T15:04:05-0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func frameRFC5424(line []byte, _ *Clock, m *Message) bool {
	// <pri>1 stamp host app procid msgid structured-data msg
	if len(line) < 8 || line[0] != '<' {
		return false
	}
	end := bytes.IndexByte(line, '>')
	if end < 2 || end > 4 || !allDigits(line[1:end]) || !bytes.HasPrefix(line[end+1:], []byte("1 ")) {
		return false
	}
	prio, _ := strconv.Atoi(string(line[1:end]))
	f := strings.SplitN(string(line[end+3:]), " ", 6)
	if len(f) < 6 {
		return false
	}
	t, ok := parseRFC3339ish(f[0])
	if !ok {
		return false
	}
	msg := f[5]
	if strings.HasPrefix(msg, "- ") {
		msg = msg[2:]
	} else if strings.HasPrefix(msg, "[") {
		if i := strings.Index(msg, "] "); i >= 0 {
			msg = msg[i+2:]
		}
	}
	m.Wall, m.Priority = t, prio&7
	m.Host, m.Program = nilDash(f[1]), nilDash(f[2])
	setBody(m, []byte(strings.TrimPrefix(msg, "\ufeff")))
	return true
}

func nilDash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

// hostAndTag reads "host ident[pid]: text". Some relays drop the host ("Sep  8 06:22:08
// kernel: …"): a first word that ends in ':' is then the identifier.
func hostAndTag(b []byte, m *Message) bool {
	sp := bytes.IndexByte(b, ' ')
	if sp < 1 {
		return false
	}
	if b[sp-1] != ':' {
		m.Host = string(b[:sp])
		b = b[sp+1:]
	}
	colon := bytes.Index(b, []byte(": "))
	if colon < 0 {
		if bytes.HasSuffix(b, []byte(":")) {
			colon = len(b) - 1
		} else {
			return false
		}
	}
	tag := b[:colon]
	if i := bytes.IndexByte(tag, '['); i > 0 {
		tag = tag[:i]
	}
	if len(tag) == 0 || len(tag) > 64 || bytes.IndexByte(tag, ' ') >= 0 {
		return false
	}
	m.Program = string(tag)
	body := b[colon+1:]
	if len(body) > 0 {
		body = body[1:]
	}
	setBody(m, body)
	return true
}

// setBody stores the message text; a kernel line that kept its printk stamp also yields the
// time since boot.
func setBody(m *Message, body []byte) {
	if m.Program == "kernel" {
		if d, rest, ok := bootStamp(body); ok {
			m.Boot, m.HasBoot = d, true
			setKernelText(m, rest)
			return
		}
	}
	m.Text = string(body)
}
