package parsers

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"time"
)

// Kernel ring buffer framings. The printk stamp is "[%5lu.%06lu]" (kernel/printk/printk.c);
// util-linux dmesg prints the same by default, "<%d>" before it with -r, a local ctime with
// -T, and RFC 3339 with a comma before the microseconds with --time-format=iso.

// bootStamp parses "[  45.220424]" at the start of b and returns the duration and the rest.
func bootStamp(b []byte) (time.Duration, []byte, bool) {
	if len(b) < 4 || b[0] != '[' {
		return 0, nil, false
	}
	end := bytes.IndexByte(b, ']')
	if end < 0 || end > 32 {
		return 0, nil, false
	}
	s := strings.TrimLeft(string(b[1:end]), " ")
	dot := strings.IndexByte(s, '.')
	if dot <= 0 || dot == len(s)-1 {
		return 0, nil, false
	}
	sec, err1 := strconv.ParseUint(s[:dot], 10, 63)
	frac := s[dot+1:]
	usec, err2 := strconv.ParseUint(frac, 10, 63)
	if err1 != nil || err2 != nil || len(frac) > 9 {
		return 0, nil, false
	}
	for i := len(frac); i < 9; i++ {
		usec *= 10
	}
	d, ok := sinceBoot(int64(sec), time.Second)
	if !ok || d > math.MaxInt64-time.Duration(usec) {
		return 0, nil, false
	}
	return d + time.Duration(usec), b[end+1:], true
}

// callerField strips a CONFIG_PRINTK_CALLER field such as "[ T1989]" or "[  C0]".
func callerField(b []byte) []byte {
	c := bytes.TrimLeft(b, " ")
	if len(c) < 3 || c[0] != '[' {
		return b
	}
	end := bytes.IndexByte(c, ']')
	if end < 0 || end > 12 {
		return b
	}
	f := bytes.TrimLeft(c[1:end], " ")
	if len(f) < 2 || (f[0] != 'T' && f[0] != 'C') || !allDigits(f[1:]) {
		return b
	}
	return c[end+1:]
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// setKernelText fills the message body of a kernel record, dropping the single space printk
// puts after the stamp but keeping any further indentation (stack traces use it).
func setKernelText(m *Message, rest []byte) {
	rest = callerField(rest)
	if len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
	}
	m.Text = string(rest)
	m.Program = "kernel"
}

func frameDmesg(line []byte, _ *Clock, m *Message) bool {
	line = stripDecodedLevel(line)
	d, rest, ok := bootStamp(line)
	if !ok {
		return false
	}
	m.Boot, m.HasBoot = d, true
	setKernelText(m, rest)
	return true
}

// stripDecodedLevel removes the "kern  :warn  : " prefix that dmesg -x prints.
func stripDecodedLevel(line []byte) []byte {
	if len(line) == 0 || line[0] == '[' {
		return line
	}
	i := bytes.IndexByte(line, ':')
	if i <= 0 || i > 8 || !isLower(bytes.TrimRight(line[:i], " ")) {
		return line
	}
	j := bytes.IndexByte(line[i+1:], ':')
	if j <= 0 || j > 8 || !isLower(bytes.TrimRight(line[i+1:i+1+j], " ")) {
		return line
	}
	return bytes.TrimLeft(line[i+2+j:], " ")
}

func isLower(b []byte) bool {
	for _, c := range b {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return len(b) > 0
}

func frameDmesgRaw(line []byte, c *Clock, m *Message) bool {
	if len(line) < 4 || line[0] != '<' {
		return false
	}
	end := bytes.IndexByte(line, '>')
	if end < 2 || end > 5 || !allDigits(line[1:end]) {
		return false
	}
	prio, _ := strconv.Atoi(string(line[1:end]))
	if !frameDmesg(line[end+1:], c, m) {
		return false
	}
	m.Priority = prio & 7
	return true
}

func frameKmsg(line []byte, _ *Clock, m *Message) bool {
	semi := bytes.IndexByte(line, ';')
	if semi < 7 || semi > 128 {
		return false
	}
	fields := bytes.Split(line[:semi], []byte{','})
	if len(fields) < 4 || !allDigits(fields[0]) || !allDigits(fields[1]) || !allDigits(fields[2]) {
		return false
	}
	prio, _ := strconv.Atoi(string(fields[0]))
	usec, err := strconv.ParseInt(string(fields[2]), 10, 64)
	if err != nil {
		return false
	}
	m.Priority = prio & 7
	if m.Boot, m.HasBoot = sinceBoot(usec, time.Microsecond); !m.HasBoot {
		return false
	}
	m.Text = string(line[semi+1:])
	m.Program = "kernel"
	return true
}

func frameDmesgISO(line []byte, c *Clock, m *Message) bool {
	// 2026-11-27T18:28:15,220424+00:00 text
	sp := bytes.IndexByte(line, ' ')
	if sp < 26 || sp > 40 || line[10] != 'T' || line[19] != ',' {
		return false
	}
	stamp := strings.Replace(string(line[:sp]), ",", ".", 1)
	t, err := time.Parse(time.RFC3339Nano, stamp)
	if err != nil {
		return false
	}
	m.Wall = t
	m.Text = string(line[sp+1:])
	m.Program = "kernel"
	return true
}

// frameDmesgCtime reads "[Fri Nov 27 18:28:15 2026] text". The stamp comes from strftime in
// the reader's locale and translators may reorder it, so its tokens are recognised by shape
// (a clock, a four-digit year, a day of month, a month name from any glibc locale) rather
// than by position.
func frameDmesgCtime(line []byte, c *Clock, m *Message) bool {
	if len(line) < 20 || line[0] != '[' {
		return false
	}
	end := bytes.IndexByte(line, ']')
	if end < 14 || end > 96 {
		return false
	}
	t, ok := parseCtime(string(line[1:end]), c)
	if !ok {
		return false
	}
	m.Wall, m.Floating = t, c.Loc == nil
	setKernelText(m, line[end+1:])
	return true
}

// parseCtime reads the tokens of a strftime stamp in any order. Translations of util-linux
// reorder it ("%a, %e. %b %Y, %H:%M:%S" in German, "%b%e日(%a) %H:%M:%S %Y" in Japanese) and
// some drop the year, which is then inferred like a syslog stamp's. Some weekday names are
// month names in another locale ("Thu" is a month in xh_ZA, "五" in lzh_TW), so a month token
// that is not also a weekday name wins, else the last month-like token.
func parseCtime(s string, c *Clock) (time.Time, bool) {
	var (
		months          []time.Month
		year, day       = -1, -1
		hh, mm, ss      = -1, -1, -1
		monthNotWeekday time.Month
	)
	for _, tok := range ctimeTokens(s) {
		switch {
		case len(tok) == 8 && tok[2] == ':' && tok[5] == ':':
			hh, mm, ss = atoi2(tok[0:2]), atoi2(tok[3:5]), atoi2(tok[6:8])
		case len(tok) == 4 && allDigits([]byte(tok)):
			year, _ = strconv.Atoi(tok)
		case day < 0 && isDayToken(tok):
			day, _ = strconv.Atoi(strings.TrimRight(tok, "日일"))
		default:
			if mo, ok := lookupMonth(tok); ok {
				months = append(months, mo)
				if monthNotWeekday == 0 && !isWeekdayName(tok) {
					monthNotWeekday = mo
				}
			}
		}
	}
	month := monthNotWeekday
	if month == 0 && len(months) > 0 {
		month = months[len(months)-1]
	}
	if month == 0 || day < 1 || day > 31 || hh < 0 || mm < 0 || ss < 0 {
		return time.Time{}, false
	}
	if year < 0 {
		return c.date(month, day, hh, mm, ss, 0), true
	}
	return time.Date(year, month, day, hh, mm, ss, 0, c.loc()), true
}

// ctimeTokens splits a stamp at spaces and commas, drops a trailing '.', and cuts glued CJK
// forms such as "11月27日(金)" into "11月", "27日" and "(金)".
func ctimeTokens(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' }) {
		for _, sep := range []string{"月", "월"} {
			if i := strings.Index(f, sep); i >= 0 && i+len(sep) < len(f) {
				out = append(out, f[:i+len(sep)])
				f = f[i+len(sep):]
			}
		}
		if i := strings.IndexByte(f, '('); i > 0 {
			out = append(out, f[:i])
			f = f[i:]
		}
		if t := strings.TrimSuffix(f, "."); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// isDayToken matches a day of month: one or two digits, maybe with the CJK day suffix.
func isDayToken(tok string) bool {
	t := strings.TrimRight(tok, "日일")
	return len(t) >= 1 && len(t) <= 2 && allDigits([]byte(t))
}

func atoi2(s string) int {
	if len(s) != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return -1
	}
	return int(s[0]-'0')*10 + int(s[1]-'0')
}
