package parsers

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// dmesg -e (--reltime) and dmesg -H (--human, which is -e plus colours and a pager). util-linux
// (sys-utils/dmesg.c, print_record, DMESG_TIMEFTM_RELTIME) prints the local time as
// "[%b%e %H:%M] " (short_ctime, translatable) whenever the minute changes, and otherwise the
// time since the previous record as "[  %+8.06f] " (or "[ %+9.06f] " from ten seconds on).
// So a record's time is the last absolute stamp plus the deltas since it, to the minute:
// the seconds of the absolute stamp are not printed. The stamp has no year and no zone.

// relClock is the state those stamps need: the time of the previous record.
type relClock struct {
	at time.Time
	ok bool
}

func frameDmesgReltime(line []byte, c *Clock, m *Message) bool {
	line = stripDecodedLevel(line)
	if len(line) < 8 || line[0] != '[' {
		return false
	}
	end := bytes.IndexByte(line, ']')
	if end < 6 || end > 40 {
		return false
	}
	inner := strings.TrimLeft(string(line[1:end]), " ")
	if d, ok := parseDelta(inner); ok {
		if c.rel.ok {
			c.rel.at = c.rel.at.Add(d)
			m.Wall, m.Floating, m.YearGuessed = c.rel.at, c.Loc == nil, c.Year == 0
		}
	} else if t, ok := parseShortCtime(inner, c); ok {
		c.rel = relClock{at: t, ok: true}
		m.Wall, m.Floating, m.YearGuessed = t, c.Loc == nil, c.Year == 0
	} else {
		return false
	}
	setKernelText(m, line[end+1:])
	return true
}

// parseDelta reads "+0.000003" (or "-0.000001" when the clock went back).
func parseDelta(s string) (time.Duration, bool) {
	if len(s) < 4 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	sec, frac, ok := strings.Cut(s[1:], ".")
	if !ok || sec == "" || frac == "" || len(frac) > 9 || !allDigits([]byte(sec)) || !allDigits([]byte(frac)) {
		return 0, false
	}
	n, err := strconv.ParseInt(sec, 10, 32)
	if err != nil {
		return 0, false
	}
	d := time.Duration(n)*time.Second + time.Duration(fracNanos([]byte(frac)))
	if s[0] == '-' {
		d = -d
	}
	return d, true
}

// parseShortCtime reads "Mar19 10:02", "Mar 5 10:02" and translated orders ("19. Mär 10:02",
// " 3月19日 10:02"): a clock hh:mm last, a month name and a day of month in either order.
func parseShortCtime(s string, c *Clock) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 9 || s[len(s)-3] != ':' || s[len(s)-6] != ' ' {
		return time.Time{}, false
	}
	hh, mm := atoi2(s[len(s)-5:len(s)-3]), atoi2(s[len(s)-2:])
	if hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return time.Time{}, false
	}
	var month time.Month
	day := -1
	for _, tok := range ctimeTokens(s[:len(s)-6]) {
		for _, part := range splitLettersDigits(tok) {
			switch {
			case day < 0 && isDayToken(part):
				day, _ = strconv.Atoi(strings.TrimRight(part, "日일"))
			case month == 0:
				if mo, ok := lookupMonth(part); ok {
					month = mo
				}
			}
		}
	}
	if month == 0 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	return c.date(month, day, hh, mm, 0, 0), true
}

// splitLettersDigits cuts "Mar19" into "Mar" and "19", "19Mar" into "19" and "Mar"; "3月"
// and "19日" stay whole.
func splitLettersDigits(tok string) []string {
	i := 0
	for i < len(tok) && tok[i] >= '0' && tok[i] <= '9' {
		i++
	}
	if i > 0 && i < len(tok) && tok[i] < 0x80 {
		return []string{tok[:i], tok[i:]}
	}
	j := len(tok)
	for j > 0 && tok[j-1] >= '0' && tok[j-1] <= '9' {
		j--
	}
	if j > 0 && j < len(tok) {
		return []string{tok[:j], tok[j:]}
	}
	return []string{tok}
}
