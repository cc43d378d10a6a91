// Package timenames knows the month and weekday names of every locale, for stamps that
// dmesg -T, syslog and journalctl print in the node's language. The table (names.tsv,
// made by gentimenames from LC_TIME) is embedded data read on first use: a run that meets no
// localised stamp never pays for its 5,000 names.
package timenames

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed names.tsv
var data string

type tables struct {
	months    map[string]time.Month
	weekdays  map[string]time.Weekday
	ambiguous map[string]bool // weekday names locales disagree on: still weekday names
	bad       []string        // records that do not read; the package test says none
}

var (
	once   sync.Once
	loaded tables
)

func get() *tables {
	once.Do(func() { loaded = parse(data) })
	return &loaded
}

// parse reads the records of names.tsv; see gentimenames for the format.
func parse(s string) tables {
	t := tables{months: map[string]time.Month{}, weekdays: map[string]time.Weekday{}, ambiguous: map[string]bool{}}
	for _, line := range strings.Split(s, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		switch {
		case len(f) == 3 && f[0] == "month":
			if n, err := strconv.Atoi(f[2]); err == nil && n >= 1 && n <= 12 {
				t.months[f[1]] = time.Month(n)
				continue
			}
		case len(f) == 3 && f[0] == "weekday":
			if n, err := strconv.Atoi(f[2]); err == nil && n >= 0 && n <= 6 {
				t.weekdays[f[1]] = time.Weekday(n)
				continue
			}
		case len(f) == 2 && f[0] == "weekday-ambiguous":
			t.ambiguous[f[1]] = true
			continue
		}
		t.bad = append(t.bad, line)
	}
	return t
}

// Month is the month a normalised (lower-cased, trimmed) name means in the locales that use it.
func Month(name string) (time.Month, bool) {
	m, ok := get().months[name]
	return m, ok
}

// Weekday is the weekday a normalised name means, when locales agree on it.
func Weekday(name string) (time.Weekday, bool) {
	d, ok := get().weekdays[name]
	return d, ok
}

// IsWeekday says whether a normalised name is a weekday name in some locale, including the
// names locales disagree on.
func IsWeekday(name string) bool {
	t := get()
	_, ok := t.weekdays[name]
	return ok || t.ambiguous[name]
}

// Tables returns the loaded tables, for tests that check them whole.
func Tables() (months map[string]time.Month, weekdays map[string]time.Weekday, ambiguousWeekdays map[string]bool) {
	t := get()
	return t.months, t.weekdays, t.ambiguous
}
