package timenames

import (
	"strings"
	"testing"
	"time"
)

// TestNamesTable: every record of the embedded table reads (a generator that wrote a
// record this package cannot read would lose names silently), and the English names are in.
func TestNamesTable(t *testing.T) {
	tb := parse(data)
	if len(tb.bad) > 0 {
		t.Fatalf("%d records do not read, first %q", len(tb.bad), tb.bad[0])
	}
	if len(tb.months) < 1000 || len(tb.weekdays) < 1000 || len(tb.ambiguous) == 0 {
		t.Fatalf("table looks truncated: %d months, %d weekdays, %d ambiguous", len(tb.months), len(tb.weekdays), len(tb.ambiguous))
	}
	if m, ok := Month("nov"); !ok || m != time.November {
		t.Errorf("Month(nov) = %v, %v", m, ok)
	}
	if d, ok := Weekday(strings.ToLower("Fri")); !ok || d != time.Friday {
		t.Errorf("Weekday(fri) = %v, %v", d, ok)
	}
	if bad := parse("month\tx\t13\nweekday\ty\nnoise\n# comment\n").bad; len(bad) != 3 {
		t.Errorf("malformed records are told apart: %q", bad)
	}
}

// BenchmarkFirstUse is what the first localised stamp of a run costs: reading the table.
func BenchmarkFirstUse(b *testing.B) {
	for b.Loop() {
		parse(data)
	}
}
