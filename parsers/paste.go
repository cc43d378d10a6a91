package parsers

import "bytes"

// Log lines as people paste them: quoted in mail and Markdown ("> ", nested "> > "), inside
// backticks or ``` fences, coloured by a terminal (dmesg -H, journalctl), after a shell
// prompt, with "..." where lines were left out. unpaste takes the wrapping off before framing;
// it looks at first and last bytes only (and one memchr for ESC), so ordinary lines pay
// nearly nothing before the prefilter: the full pass runs only on lines a parser may want.

// pasted reports that a line may be wrapped by a paste, from its first byte alone: it is
// unpasted before the prefilter (a colour code at the start can split a trigger word).
func pasted(b []byte) bool {
	return len(b) > 0 && (b[0] == 0x1b || b[0] == '>' || b[0] == '`' || b[0] == '~')
}

// unpaste returns the line to frame, and skip when the line is paste furniture that carries
// no evidence (a fence, an elision mark). scratch holds the line when colour codes had to be
// removed.
func unpaste(b []byte, scratch *[]byte) (out []byte, skip bool) {
	if bytes.IndexByte(b, 0x1b) >= 0 {
		*scratch = stripANSI((*scratch)[:0], b)
		b = *scratch
	}
	if len(b) == 0 {
		return b, false
	}
	if b[0] == '>' {
		b = stripQuote(b)
	}
	if len(b) > 0 && (b[0] == '`' || b[0] == '~') && isFence(b) {
		return nil, true
	}
	b = stripBackticks(b)
	if isElision(b) {
		return nil, true
	}
	return b, false
}

// stripQuote removes mail and Markdown quote marks: ">", "> ", "> > ", ">> ".
func stripQuote(b []byte) []byte {
	for len(b) > 0 && b[0] == '>' {
		b = b[1:]
		if len(b) > 0 && b[0] == ' ' {
			b = b[1:]
		}
	}
	return b
}

// isFence: a Markdown code fence, with or without a language ("```text", "~~~").
func isFence(b []byte) bool {
	return bytes.HasPrefix(b, []byte("```")) || bytes.HasPrefix(b, []byte("~~~"))
}

// stripBackticks removes the backticks of inline code around a line: "`…`", or one end of a
// span that goes over several lines. No log line starts or ends with a backtick.
func stripBackticks(b []byte) []byte {
	if len(b) > 0 && b[0] == '`' {
		b = b[1:]
	}
	if n := len(b); n > 0 && b[n-1] == '`' {
		b = b[:n-1]
	}
	return b
}

// isElision: a line that stands for lines the writer left out.
func isElision(b []byte) bool {
	t := bytes.TrimSpace(b)
	if len(t) == 0 || len(t) > 12 {
		return false
	}
	switch string(t) {
	case "...", "…", "[...]", "[…]", "(...)", "(…)", "<...>", "<snip>", "[snip]", "<snipped>", "[ ... ]":
		return true
	}
	return false
}

// stripANSI copies b into dst without ECMA-48 control sequences: CSI (ESC [ … final byte),
// OSC (ESC ] … BEL or ESC \, the hyperlinks systemd prints) and two-byte escapes.
func stripANSI(dst, b []byte) []byte {
	for i := 0; i < len(b); i++ {
		if b[i] != 0x1b {
			dst = append(dst, b[i])
			continue
		}
		if i+1 >= len(b) {
			break
		}
		switch b[i+1] {
		case '[':
			j := i + 2
			for j < len(b) && (b[j] < 0x40 || b[j] > 0x7e) {
				j++
			}
			i = j
		case ']':
			j := i + 2
			for j < len(b) && b[j] != 0x07 && !(b[j] == 0x1b && j+1 < len(b) && b[j+1] == '\\') {
				j++
			}
			if j < len(b) && b[j] == 0x1b {
				j++
			}
			i = j
		default:
			i++
		}
	}
	return dst
}

// shellPrompt finds a shell prompt at the start of a line that no framing read: "$ ", "# ",
// "% ", "user@host:~$ ", "[root@node ~]# ", "node1:~ # ", "sh-4.4# ". It returns what
// follows the prompt (a command, or a log line pasted after one) and whether there was one.
func shellPrompt(b []byte) ([]byte, bool) {
	if len(b) >= 1 && (b[0] == '$' || b[0] == '#' || b[0] == '%') && (len(b) == 1 || b[1] == ' ') {
		return bytes.TrimLeft(b[1:], " "), true
	}
	limit := min(len(b), 96)
	if len(b) > 0 && b[0] == '[' {
		end := bytes.IndexByte(b[:limit], ']')
		if end > 1 && end+1 < len(b) && isPromptEnd(b, end+1) && bytes.ContainsAny(b[1:end], "@ ") {
			return bytes.TrimLeft(b[end+2:], " "), true
		}
		return nil, false
	}
	for i := 1; i < limit; i++ {
		c := b[i]
		if (c == '$' || c == '#') && isPromptEnd(b, i) {
			return bytes.TrimLeft(b[i+1:], " "), isPromptHead(bytes.TrimRight(b[:i], " "))
		}
		if c == ' ' && !(i+1 < len(b) && (b[i+1] == '$' || b[i+1] == '#')) {
			return nil, false // a prompt has no space before its end, but "node1:~ #"
		}
	}
	return nil, false
}

// isPromptEnd: the '$' or '#' at i ends the line or is followed by a space.
func isPromptEnd(b []byte, i int) bool {
	return (b[i] == '$' || b[i] == '#') && (i+1 == len(b) || b[i+1] == ' ')
}

// isPromptHead: "user@host[:path]", "host:~", "host:/dir" or "sh-4.4"/"bash-5.1".
func isPromptHead(h []byte) bool {
	if len(h) == 0 {
		return false
	}
	for _, c := range h {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || bytes.IndexByte([]byte("_.-@:~/"), c) >= 0) {
			return false
		}
	}
	if at := bytes.IndexByte(h, '@'); at > 0 && at < len(h)-1 {
		return true
	}
	if colon := bytes.IndexByte(h, ':'); colon > 0 && colon+1 < len(h) && (h[colon+1] == '~' || h[colon+1] == '/') {
		return true
	}
	for _, sh := range []string{"sh-", "bash-", "zsh-"} {
		if bytes.HasPrefix(h, []byte(sh)) && len(h) > len(sh) && h[len(sh)] >= '0' && h[len(sh)] <= '9' {
			return true
		}
	}
	return false
}

// linePrefixes lists what a line that no framing read may be once a tool's prefix is taken
// off: grep -H / grep -r's "file:" (and grep -n's "file:12:"), a line number (cat -n, an
// editor, grep -n), or the indentation of a Markdown code block or a changelog. The caller
// keeps the first that frames, so a prefix is taken only when a log line follows it.
func linePrefixes(b []byte) [][]byte {
	var out [][]byte
	if i := grepFilePrefix(b); i > 0 {
		out = append(out, b[i:])
	}
	if i := lineNumberPrefix(b); i > 0 {
		out = append(out, b[i:])
	}
	if i := identPrefix(b); i > 0 {
		out = append(out, b[i:])
	}
	if t := bytes.TrimLeft(b, " \t"); len(t) < len(b) && len(t) > 0 {
		out = append(out, t)
	}
	return out
}

// identPrefix returns the length of a syslog tag without its date and host ("containerd[8442]: "),
// as a paste that cut the head of a journal line leaves it; 0 when there is none.
func identPrefix(b []byte) int {
	limit := min(len(b), 64)
	for i := 0; i < limit; i++ {
		c := b[i]
		if c == '[' && i > 0 {
			j := i + 1
			for j < len(b) && b[j] >= '0' && b[j] <= '9' {
				j++
			}
			if j > i+1 && j+2 < len(b) && b[j] == ']' && b[j+1] == ':' && b[j+2] == ' ' {
				return j + 3
			}
			return 0
		}
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return 0
		}
	}
	return 0
}

// grepFilePrefix returns the length of "path:" or "path:line:" at the start of b, 0 when
// there is none. A path holds no spaces; the log line after it starts with no space.
func grepFilePrefix(b []byte) int {
	limit := min(len(b), 256)
	for i := 0; i < limit; i++ {
		c := b[i]
		switch {
		case c == ':':
			if i == 0 || i+1 >= len(b) {
				return 0
			}
			j := i + 1
			for j < len(b) && b[j] >= '0' && b[j] <= '9' {
				j++
			}
			if j > i+1 && j < len(b) && b[j] == ':' {
				j++ // grep -n
			} else {
				j = i + 1
			}
			if j < len(b) && b[j] != ' ' && b[j] != '\t' {
				return j
			}
			return 0
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', bytes.IndexByte([]byte("_./@+~-"), c) >= 0:
		default:
			return 0
		}
	}
	return 0
}

// lineNumberPrefix returns the length of a leading line number and its separator ("  565\t",
// "565 ", "565:"), 0 when there is none.
func lineNumberPrefix(b []byte) int {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	start := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	if i == start || i-start > 9 || i >= len(b) || (b[i] != ' ' && b[i] != '\t' && b[i] != ':') {
		return 0
	}
	i++
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i >= len(b) {
		return 0
	}
	return i
}
