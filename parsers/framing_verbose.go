package parsers

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// journalctl -o verbose (systemd src/shared/logs-show.c output_verbose) writes each entry as
// a header line, the timestamp with microseconds and the entry's cursor in brackets,
//
//	Sat 2025-03-29 14:48:51.123456 CET [s=…;i=…;b=<boot id>;m=<monotonic>;t=<realtime>;x=…]
//
// then one "    KEY=value" line per field, in the journal's order, with the further lines of
// a multi-line value indented under it. There is no blank line between entries: an entry
// ends where the next header, or any other line, begins. Like journalctl -o export an entry
// becomes one message; the cursor's t= is the entry's realtime in hexadecimal microseconds,
// exact whatever zone the header was printed in.

// verboseEntry is the entry being read.
type verboseEntry struct {
	*exportEntry
	wall     time.Time
	floating bool
	lastKey  string // the field the next deeper-indented line continues
}

// verboseHeader reads an entry's header line; ok is false for any other line. It looks at
// fixed offsets first, so other lines cost a few comparisons.
func verboseHeader(b []byte, c *Clock) (*verboseEntry, bool) {
	if len(b) < 40 || b[len(b)-1] != ']' || b[3] != ' ' || b[8] != '-' {
		return nil, false
	}
	t, floating, rest, ok := parseFullStamp(b, c)
	if !ok || !bytes.HasPrefix(rest, []byte(" [s=")) {
		return nil, false
	}
	e := &verboseEntry{exportEntry: newExportEntry(), wall: t, floating: floating}
	for _, f := range strings.Split(string(rest[2:len(rest)-1]), ";") {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "t":
			if usec, err := strconv.ParseInt(v, 16, 64); err == nil {
				e.wall, e.floating = time.UnixMicro(usec).UTC(), false
			}
		case "b":
			e.fields["_BOOT_ID"] = v
		}
	}
	return e, true
}

// add takes a line inside an entry: a field, the continuation of a multi-line value, or a
// blank line of a double-spaced paste. It reports false for a line that ends the entry.
func (e *verboseEntry) add(b []byte, n int, match func([]byte) bool) bool {
	switch {
	case len(b) == 0:
		return true
	case len(b) > 4 && bytes.HasPrefix(b, []byte("    ")) && b[4] != ' ':
		field := b[4:]
		eq := bytes.IndexByte(field, '=')
		if eq <= 0 {
			return false
		}
		e.lastKey = string(field[:eq])
		e.exportEntry.add(field, n, match)
		if e.lastKey == "MESSAGE" {
			e.msgRaw = string(field)
		}
		return true
	case bytes.HasPrefix(b, []byte("     ")):
		if e.lastKey == "MESSAGE" {
			e.fields["MESSAGE"] += "\n" + string(bytes.TrimLeft(b, " "))
		}
		return true
	}
	return false
}

// message builds the entry's message; false when it has no MESSAGE.
func (e *verboseEntry) message(m *Message) bool {
	e.fields["__REALTIME_TIMESTAMP"] = strconv.FormatInt(e.wall.UnixMicro(), 10)
	if !e.exportEntry.message(m) {
		return false
	}
	if e.floating {
		m.Wall, m.Floating = e.wall, true
	}
	return true
}
