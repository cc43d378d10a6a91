package render

import (
	"strings"
	"unicode/utf8"
)

// fieldIndent is the width of "  name       " before a field's value.
const fieldIndent = 13

// wrapText breaks s into lines of at most width columns, at spaces where it can and inside
// a word only when the word alone is wider (a cgroup path, a container ID). Width 0 keeps
// the text whole: a file or a pipe without $COLUMNS gets lines grep can find.
func wrapText(s string, width int) []string {
	if width <= 0 || utf8.RuneCountInString(s) <= width {
		return []string{s}
	}
	var lines []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
		cur.Reset()
		curLen = 0
	}
	for _, word := range strings.Split(s, " ") {
		n := utf8.RuneCountInString(word)
		if curLen > 0 && curLen+1+n > width {
			flush()
		}
		for n > width { // a word wider than the line: cut it where the line ends
			if curLen > 0 {
				flush()
			}
			head, rest := splitRunes(word, width)
			lines = append(lines, head)
			word, n = rest, n-width
		}
		if curLen > 0 {
			cur.WriteByte(' ')
			curLen++
		}
		cur.WriteString(word)
		curLen += n
	}
	if curLen > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// cutText shortens s to width columns, ending in "…", and says whether it cut.
func cutText(s string, width int) (string, bool) {
	if width <= 0 || utf8.RuneCountInString(s) <= width {
		return s, false
	}
	if width < 2 {
		width = 2
	}
	head, _ := splitRunes(s, width-1)
	return head + "…", true
}

func splitRunes(s string, n int) (string, string) {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos], s[pos:]
		}
		i++
	}
	return s, ""
}

// padRight pads s with spaces to n columns.
func padRight(s string, n int) string {
	if l := utf8.RuneCountInString(s); l < n {
		return s + strings.Repeat(" ", n-l)
	}
	return s
}

// wrapParts joins parts with two spaces and breaks lines only between parts, so "node
// coroner-lab" stays together; a part wider than the line is wrapped on its own.
func wrapParts(parts []string, width int) []string {
	if width <= 0 {
		return []string{strings.Join(parts, "  ")}
	}
	var lines []string
	cur := ""
	for _, p := range parts {
		switch {
		case cur == "":
			cur = p
		case utf8.RuneCountInString(cur)+2+utf8.RuneCountInString(p) <= width:
			cur += "  " + p
		default:
			lines = append(lines, cur)
			cur = p
		}
		if utf8.RuneCountInString(cur) > width {
			wrapped := wrapText(cur, width)
			lines = append(lines, wrapped[:len(wrapped)-1]...)
			cur = wrapped[len(wrapped)-1]
		}
	}
	return append(lines, cur)
}
