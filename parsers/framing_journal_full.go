package parsers

import (
	"bytes"
	"strconv"
	"time"
)

// journalctl -o short-full and -o with-unit print the timestamp systemd formats everywhere
// (src/basic/time-util.c format_timestamp_style): an English weekday, " %Y-%m-%d %H:%M:%S",
// ".%06u" in -o verbose, then " UTC", the zone's abbreviation, or nothing. with-unit names
// the unit instead of the identifier ("kubelet.service[1234]: "); kernel entries have no unit
// and still say "kernel:".

func frameJournalFull(line []byte, c *Clock, m *Message) bool {
	t, floating, rest, ok := parseFullStamp(line, c)
	if !ok || len(rest) < 2 || rest[0] != ' ' {
		return false
	}
	if !hostAndTag(rest[1:], m) {
		return false
	}
	m.Wall, m.Floating = t, floating
	return true
}

// parseFullStamp reads "Sat 2025-03-29 14:48:51[.123456][ ZONE]" and returns the rest. The
// zone is "UTC", a numeric abbreviation ("+03", "-0430") or a name ("CET") that only the
// zone database can turn into an offset: then --tz (c.Loc) decides, else the time floats
// like any stamp without a zone.
func parseFullStamp(b []byte, c *Clock) (time.Time, bool, []byte, bool) {
	if len(b) < 23 || b[3] != ' ' || b[8] != '-' || b[11] != '-' || b[14] != ' ' || b[17] != ':' || b[20] != ':' ||
		!isLetters(b[:3]) || !allDigits(b[4:8]) || !allDigits(b[9:11]) || !allDigits(b[12:14]) {
		return time.Time{}, false, nil, false
	}
	hh, mm, ss := atoi2(string(b[15:17])), atoi2(string(b[18:20])), atoi2(string(b[21:23]))
	if hh < 0 || mm < 0 || ss < 0 {
		return time.Time{}, false, nil, false
	}
	year, _ := strconv.Atoi(string(b[4:8]))
	month, day := atoi2(string(b[9:11])), atoi2(string(b[12:14]))
	rest := b[23:]
	nsec := 0
	if len(rest) > 1 && rest[0] == '.' {
		end := 1
		for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
			end++
		}
		if end == 1 {
			return time.Time{}, false, nil, false
		}
		nsec, rest = fracNanos(rest[1:end]), rest[end:]
	}
	loc, floating := c.loc(), c.Loc == nil
	if len(rest) > 1 && rest[0] == ' ' {
		zone := rest[1:]
		if sp := bytes.IndexByte(zone, ' '); sp >= 0 {
			zone = zone[:sp]
		}
		if z, ok := zoneOfAbbrev(zone); ok {
			rest = rest[1+len(zone):]
			if z != nil {
				loc, floating = z, false
			}
		}
	}
	return time.Date(year, time.Month(month), day, hh, mm, ss, nsec, loc), floating, rest, true
}

// zoneOfAbbrev recognises a zone abbreviation as tzdata writes them: the location when it
// fixes the offset by itself (UTC, "+0530"), nil for a name; false when the word is not a
// zone (then it is the host).
func zoneOfAbbrev(z []byte) (*time.Location, bool) {
	switch {
	case string(z) == "UTC" || string(z) == "GMT":
		return time.UTC, true
	case len(z) >= 3 && len(z) <= 5 && (z[0] == '+' || z[0] == '-') && allDigits(z[1:]) && len(z) != 4:
		h, _ := strconv.Atoi(string(z[1:3]))
		off := h * 3600
		if len(z) == 5 {
			mins, _ := strconv.Atoi(string(z[3:5]))
			off += mins * 60
		}
		if z[0] == '-' {
			off = -off
		}
		return time.FixedZone(string(z), off), true
	case len(z) >= 2 && len(z) <= 6 && isUpper(z):
		return nil, true
	}
	return nil, false
}

func isLetters(b []byte) bool {
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return len(b) > 0
}

func isUpper(b []byte) bool {
	for _, c := range b {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}
