package parsers

//go:generate go run ./internal/gentimenames

// Month and weekday names in every locale.
//
// `dmesg -T` (and other tools that print with strftime's %a and %b) writes
// its stamps in the reader's locale, so a dump may hold "Fri Nov 27",
// "Di Aug 12", "ven. nov. 27" or "五 3月 29". The month and weekday tables of
// internal/timenames (names.tsv, embedded, read on first use) hold the LC_TIME names (abmon, mon,
// ab_alt_mon, alt_mon, abday, day) of all UTF-8 glibc locales, lower-cased
// with unicode.ToLower, each also without a trailing '.'. A name that
// locales give different meanings is kept with the meaning that more
// locales give than all others together ("jan" is January in 80 locales and
// June in st_ZA only); failing such a majority it is left out ("srp" is July
// in hr_HR, August in cs_CZ), and the generated file lists both kinds.
// Weekday names left out that way are still weekday names for isWeekdayName,
// which needs no value.
//
// The two tables overlap: about fifty names are a weekday in some locales
// and a month in others, among them "thu" (August in xh_ZA), "sat"
// (September in ha_NG), "mar" (Tuesday in es_ES), "vie" (Friday in es_ES)
// and 一..六 (Monday..Saturday in zh_CN, months in lzh_TW). A stamp such as
// "Thu Mar  5" or "五 11月 27" therefore holds two tokens that lookupMonth
// accepts: prefer a month token for which isWeekdayName is false, and
// otherwise the later one (the weekday comes first in every translation
// that puts it before the month).
//
// Plain numbers are never month names, and the numeric CJK/Korean forms
// ("3月", "11월", " 3月") are not in the table: lookupMonth reads them by
// their shape.
//
// Regenerate on a machine with all glibc locales (Debian: apt-get install
// locales-all) with `go generate ./parsers/`.

import (
	"strings"
	"time"
	"unicode"

	"github.com/k8s-coroner/coroner/parsers/internal/timenames"
)

// normalizeTimeName lower-cases tok rune by rune, as the generator did, and
// trims surrounding white space.
func normalizeTimeName(tok string) string {
	return strings.Map(unicode.ToLower, strings.TrimSpace(tok))
}

// lookupMonth returns the month that tok names in any locale: a name or
// abbreviation ("Nov", "nov.", "listopada", "ноября", "三月") or a numeric
// CJK/Korean form ("3月", "3 月", "11월"). Case and one trailing '.' do not
// matter. A plain number is not a month.
func lookupMonth(tok string) (time.Month, bool) {
	t := normalizeTimeName(tok)
	if m, ok := timenames.Month(t); ok {
		return m, true
	}
	t = strings.TrimSuffix(t, ".")
	if m, ok := timenames.Month(t); ok {
		return m, true
	}
	return numericMonth(t)
}

// numericMonth reads 1 or 2 ASCII digits, optional spaces, then 月 or 월,
// with a value from 1 to 12.
func numericMonth(t string) (time.Month, bool) {
	var digits string
	var ok bool
	for _, suf := range []string{"月", "월"} {
		if digits, ok = strings.CutSuffix(t, suf); ok {
			break
		}
	}
	if !ok {
		return 0, false
	}
	digits = strings.TrimRight(digits, " ")
	if len(digits) == 0 || len(digits) > 2 {
		return 0, false
	}
	n := 0
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if n < 1 || n > 12 {
		return 0, false
	}
	return time.Month(n), true
}

// isWeekdayName reports whether tok is a weekday name or abbreviation in any
// locale ("Fri", "Di", "ven.", "пт", "金", "五", "금"), ignoring case and one
// trailing '.'.
func isWeekdayName(tok string) bool {
	t := normalizeTimeName(tok)
	for _, s := range []string{t, strings.TrimSuffix(t, ".")} {
		if s == "" {
			continue
		}
		if timenames.IsWeekday(s) {
			return true
		}
	}
	return false
}
