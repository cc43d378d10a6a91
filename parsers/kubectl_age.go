package parsers

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// kubectl prints times as ages: how long before the moment it ran, which the paste does not
// say. apimachinery's duration.HumanDuration writes "45s", "7m24s", "18m", "5h30m", "19h",
// "5d1h", "40d", "2y30d", "3y"; ShortHumanDuration (older describe and get) writes one unit
// only; describe adds "(x4 over 25m)" for a repeated Event; "<invalid>" is an age in the
// future (clock skew), "<unknown>" a missing time.

// Age is a time relative to an unknown moment: the moment kubectl ran.
type Age struct {
	Last  time.Duration // how long before that moment the thing (last) happened
	First time.Duration // for a repeated Event, how long before the moment it first happened
	Count int32         // a repeated Event's count, 0 when not repeated
	Text  string        // as printed, for the report
}

var reAgeUnit = regexp.MustCompile(`^(?:(\d+)y)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$`)

// parseDuration reads one HumanDuration.
func parseDuration(s string) (time.Duration, bool) {
	if s == "" || s == "0s" {
		return 0, s == "0s"
	}
	sm := reAgeUnit.FindStringSubmatch(s)
	if sm == nil {
		return 0, false
	}
	units := []time.Duration{365 * 24 * time.Hour, 24 * time.Hour, time.Hour, time.Minute, time.Second}
	var d time.Duration
	for i, u := range units {
		if sm[i+1] != "" {
			n, err := strconv.Atoi(sm[i+1])
			if err != nil || n > 1<<20 {
				return 0, false
			}
			d += time.Duration(n) * u
		}
	}
	return d, true
}

var reAgeRepeat = regexp.MustCompile(`^(\S+)\s+\(x(\d+) over (\S+)\)$`)

// parseAge reads an age column: "7m24s", "18m (x2 over 18m)". ok is false for text that is
// not an age at all; "<invalid>" and "<unknown>" are ages whose value is not known.
func parseAge(s string) (Age, bool) {
	s = strings.TrimSpace(s)
	a := Age{Text: s}
	if s == "<invalid>" || s == "<unknown>" {
		return a, true
	}
	if sm := reAgeRepeat.FindStringSubmatch(s); sm != nil {
		last, ok1 := parseDuration(sm[1])
		first, ok2 := parseDuration(sm[3])
		n, _ := strconv.Atoi(sm[2])
		if !ok1 || !ok2 {
			return a, false
		}
		a.Last, a.First, a.Count = last, first, int32(n)
		return a, true
	}
	d, ok := parseDuration(s)
	if !ok {
		return a, false
	}
	a.Last, a.First = d, d
	return a, true
}

// known says whether the age has a value ("<invalid>" and "<unknown>" have none).
func (a Age) known() bool { return a.Text != "<invalid>" && a.Text != "<unknown>" && a.Text != "" }

// at turns the age into wall-clock times when the moment is known; zero times otherwise.
func (a Age) at(now time.Time) (first, last time.Time) {
	if now.IsZero() || !a.known() {
		return time.Time{}, time.Time{}
	}
	return now.Add(-a.First), now.Add(-a.Last)
}
