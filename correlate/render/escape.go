package render

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape makes text from logs safe to show a person: a process name or a journal MESSAGE may
// hold an escape sequence that would retitle, clear or recolour the terminal (ESC, the
// 8-bit CSI), a carriage return or newline that forges a line of the report, or a bidi
// override that makes a browser show text in another order. Each such character is written
// as its Go escape (\x1b, \x0a, \u009b, \u202e), so the line stays diagnosable; a byte that
// is not UTF-8 is written \xNN, since an 8-bit terminal reads 0x9b as CSI. Tabs stay.
func Escape(s string) string {
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7f || i < len(s) && s[i] == '\t' {
		i++
	}
	if i == len(s) {
		return s // the common case: printable ASCII
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x20 && r != '\t' || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
