package parsers

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// klogLine is one kubelet log record in any of its three shapes, reduced to what the kubelet
// matchers need:
//
//   - klog text, printf era: `I0329 14:48:51.123456    1234 file.go:123] free text`
//   - klog text, structured:  `I0329 14:48:51.123456    1234 file.go:123] "Msg" key="v" n=3`
//     (klog printS: the message is always strconv.Quote'd, strings are quoted, other values
//     printed with %v or JSON, KObj as "ns/name")
//   - --logging-format=json: `{"ts":1679…,"caller":"file.go:123","msg":"Msg","v":0,"key":"v"}`
//     (component-base logs/json: ts is epoch milliseconds as a float)
type klogLine struct {
	Level      byte // I W E F; 0 for JSON lines, which carry no level
	Month, Day int
	Clock      time.Duration // time of day of the klog header
	HasHeader  bool
	TS         time.Time // the JSON "ts"
	Caller     string    // file.go:123
	Msg        string    // the quoted message of a structured line, or the printf text
	Structured bool
	KV         map[string]string // values unquoted; lists and objects as printed
}

// parseKlog reads a klog text line or a kubelet JSON line; false when text is neither.
func parseKlog(text string) (klogLine, bool) {
	if strings.HasPrefix(text, "{") {
		return parseKlogJSON(text)
	}
	var k klogLine
	rest, ok := k.header(text)
	if !ok {
		if rest, ok = headerless(text); !ok {
			return k, false
		}
	}
	if strings.HasPrefix(rest, `"`) {
		if q, err := strconv.QuotedPrefix(rest); err == nil {
			k.Msg, _ = strconv.Unquote(q)
			k.Structured = true
			k.KV = parseKV(rest[len(q):])
			return k, true
		}
	}
	k.Msg = rest
	return k, true
}

// headerless returns the message of a klog line whose header a paste left out: elided
// ("... eviction_manager.go:575] msg", "… kubelet.go:1] msg") or cut off entirely, leaving a
// structured record (`"Msg" key="v"`, a quoted message and at least one key).
func headerless(text string) (string, bool) {
	for _, elision := range []string{"...", "…"} {
		if rest, ok := strings.CutPrefix(text, elision); ok {
			rest = strings.TrimLeft(rest, " ")
			f, after, ok := strings.Cut(rest, "] ")
			if ok && strings.Contains(f, ".go:") && !strings.ContainsAny(f, " \t") {
				return after, true
			}
			return "", false
		}
	}
	if f, after, ok := strings.Cut(text, "] "); ok && !strings.ContainsAny(f, " \t") && isCaller(f) {
		return after, true // "helpers.go:819] …": the header cut before the caller
	}
	if !strings.HasPrefix(text, `"`) {
		return "", false
	}
	q, err := strconv.QuotedPrefix(text)
	if err != nil || len(q) < 3 {
		return "", false
	}
	after := text[len(q):]
	if !strings.HasPrefix(after, " ") || !strings.Contains(after, "=") {
		return "", false
	}
	return text, true
}

// isCaller matches klog's "file.go:123".
func isCaller(f string) bool {
	file, line, ok := strings.Cut(f, ".go:")
	return ok && file != "" && line != "" && allDigits([]byte(line))
}

// header reads `Lmmdd hh:mm:ss.uuuuuu threadid file:line] ` and returns the message after it.
func (k *klogLine) header(s string) (string, bool) {
	// Fixed layout up to the microseconds: "I0329 14:48:51.123456" is 21 bytes.
	if len(s) < 22 || !strings.ContainsRune("IWEF", rune(s[0])) || s[5] != ' ' || s[8] != ':' || s[11] != ':' || s[14] != '.' {
		return "", false
	}
	mo, ok1 := atoiFixed(s[1:3])
	day, ok2 := atoiFixed(s[3:5])
	hh, ok3 := atoiFixed(s[6:8])
	mm, ok4 := atoiFixed(s[9:11])
	ss, ok5 := atoiFixed(s[12:14])
	us, ok6 := atoiFixed(s[15:21])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 {
		return "", false
	}
	end := strings.Index(s[21:], "] ")
	if end < 0 {
		if !strings.HasSuffix(s, "]") {
			return "", false
		}
		end = len(s) - 21 - 1
	}
	fields := strings.Fields(s[21 : 21+end]) // "1234 file.go:123"
	if len(fields) != 2 || !allDigits([]byte(fields[0])) || !strings.Contains(fields[1], ":") {
		return "", false
	}
	k.Level, k.Month, k.Day, k.HasHeader = s[0], mo, day, true
	k.Clock = time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute + time.Duration(ss)*time.Second + time.Duration(us)*time.Microsecond
	k.Caller = fields[1]
	rest := s[21+end+1:]
	return strings.TrimPrefix(rest, " "), true
}

func atoiFixed(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// parseKlogJSON reads a --logging-format=json line. Values that are not strings keep their
// JSON text, so lists of pods read the same as in the text format.
func parseKlogJSON(text string) (klogLine, bool) {
	var raw map[string]json.RawMessage
	if json.Unmarshal([]byte(text), &raw) != nil {
		return klogLine{}, false
	}
	msg, ok := raw["msg"]
	if !ok {
		return klogLine{}, false
	}
	k := klogLine{Structured: true, KV: map[string]string{}}
	if json.Unmarshal(msg, &k.Msg) != nil {
		return klogLine{}, false
	}
	var ts float64
	if json.Unmarshal(raw["ts"], &ts) == nil && ts > 0 {
		k.TS = time.UnixMicro(int64(ts * 1000)).UTC()
	}
	_ = json.Unmarshal(raw["caller"], &k.Caller)
	for key, v := range raw {
		switch key {
		case "msg", "ts", "caller":
			continue
		}
		var s string
		if json.Unmarshal(v, &s) == nil {
			k.KV[key] = s
		} else {
			k.KV[key] = string(v)
		}
	}
	if _, isErr := raw["err"]; isErr {
		k.Level = 'E'
	}
	return k, true
}

// parseKV reads klog's ` key=value` pairs. A value is a Go-quoted string, a bracketed list,
// a braced struct (optionally &{…}), klog's multi-line marker "<" (the rest of the value is on
// the following lines and is not kept), or a bare word. Malformed input ends the scan: what
// was read so far is kept.
func parseKV(s string) map[string]string {
	kv := map[string]string{}
	for {
		s = strings.TrimLeft(s, " ")
		eq := strings.IndexByte(s, '=')
		if eq <= 0 || strings.ContainsAny(s[:eq], " \"[]{}") {
			return kv
		}
		key := s[:eq]
		s = s[eq+1:]
		var val string
		switch {
		case strings.HasPrefix(s, `"`):
			q, err := strconv.QuotedPrefix(s)
			if err != nil {
				return kv
			}
			val, _ = strconv.Unquote(q)
			s = s[len(q):]
		case strings.HasPrefix(s, "["), strings.HasPrefix(s, "{"), strings.HasPrefix(s, "&{"):
			n := balanced(s)
			if n < 0 {
				kv[key] = s
				return kv
			}
			val, s = s[:n], s[n:]
		case strings.HasPrefix(s, "<"):
			kv[key] = "<"
			return kv
		default:
			sp := strings.IndexByte(s, ' ')
			if sp < 0 {
				sp = len(s)
			}
			val, s = s[:sp], s[sp:]
		}
		kv[key] = val
	}
}

// balanced returns the length of the bracketed value at the start of s, skipping brackets
// inside quoted strings; -1 when it does not close.
func balanced(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			q, err := strconv.QuotedPrefix(s[i:])
			if err != nil {
				return -1
			}
			i += len(q) - 1
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

// listValue splits a printed list of names: ["ns/a","ns/b"] (KObjSlice, JSON), [ns/a ns/b]
// (%v of a slice) or "a, b" (format.Pods).
func listValue(v string) []string {
	v = strings.TrimSpace(v)
	v = strings.TrimSuffix(strings.TrimPrefix(v, "["), "]")
	var out []string
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		if u, err := strconv.Unquote(f); err == nil {
			f = u
		}
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}
