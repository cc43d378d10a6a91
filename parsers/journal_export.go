package parsers

import (
	"bytes"
	"strings"
)

// journalctl -o export writes each entry as "KEY=value" lines ended by an empty line (the
// Journal Export Format). An entry is one message spread over many lines, so it cannot be
// framed line by line: exportEntry collects the fields we use while the lines stream by,
// copying only those, and the prefilter looks at the MESSAGE line alone.

// exportKeys are the fields we keep, pointing at where they go.
var exportKeys = []string{"MESSAGE", "__REALTIME_TIMESTAMP", "_SOURCE_MONOTONIC_TIMESTAMP", "_BOOT_ID",
	"_HOSTNAME", "SYSLOG_IDENTIFIER", "_COMM", "_TRANSPORT", "PRIORITY"}

type exportEntry struct {
	fields  map[string]string
	msgLine int    // line number of MESSAGE=, the entry's position as evidence
	msgRaw  string // the MESSAGE= line, the entry's text as evidence
	wanted  bool   // MESSAGE passed the prefilter
	empty   bool
}

func newExportEntry() *exportEntry { return &exportEntry{fields: map[string]string{}, empty: true} }

// isExportStart recognises the first line of an export stream.
func isExportStart(b []byte) bool {
	return bytes.HasPrefix(b, []byte("__CURSOR=")) || bytes.HasPrefix(b, []byte("__REALTIME_TIMESTAMP="))
}

// add takes one "KEY=value" line. Binary fields ("KEY" then a 64-bit length) are not
// line-safe and are skipped, with a false return.
func (e *exportEntry) add(line []byte, n int, match func([]byte) bool) bool {
	eq := bytes.IndexByte(line, '=')
	if eq <= 0 {
		return false
	}
	e.empty = false
	key := line[:eq]
	for _, k := range exportKeys {
		if string(key) == k {
			e.fields[k] = string(line[eq+1:])
			if k == "MESSAGE" {
				e.msgLine, e.msgRaw = n, string(line)
				e.wanted = match(line[eq+1:])
			}
			break
		}
	}
	return true
}

// message builds the entry's message; false when it lacks a MESSAGE or a time.
func (e *exportEntry) message(m *Message) bool {
	if _, ok := e.fields["MESSAGE"]; !ok {
		return false
	}
	j := journalEntry{
		Message: quoteJSON(e.fields["MESSAGE"]), Realtime: e.fields["__REALTIME_TIMESTAMP"],
		SourceMono: e.fields["_SOURCE_MONOTONIC_TIMESTAMP"], BootID: e.fields["_BOOT_ID"],
		Hostname: e.fields["_HOSTNAME"], Identifier: e.fields["SYSLOG_IDENTIFIER"], Comm: e.fields["_COMM"],
		Transport: e.fields["_TRANSPORT"], Priority: e.fields["PRIORITY"],
	}
	return j.fill(m)
}

// quoteJSON makes a JSON string literal, so export entries reuse the JSON entry's decoding.
func quoteJSON(s string) []byte {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return []byte(b.String())
}
