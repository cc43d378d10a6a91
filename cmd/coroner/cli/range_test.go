package cli

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/sources/loki/lokitest"
)

// TestAdjacentRangesReportEachDeathOnce splits the day of TestLokiEquivalentToAnalyze's
// incident at the kernel kill's own nanosecond: ranges are half-open, so the kill (whose
// report begins before the split and whose read reaches past it) belongs to the second range
// only, and the two ranges together hold every death of the whole day exactly once.
func TestAdjacentRangesReportEachDeathOnce(t *testing.T) {
	srv := lokitest.New()
	defer srv.Close()
	pushIncident(t, srv, t.TempDir(), "")
	run := func(from, to string) report.Report {
		out, stderr, code := runMain(t, "", "loki", "--url", srv.URL, "-o", "json", "--from", from, "--to", to, "--query-window", "6h")
		if code != 0 {
			t.Fatalf("loki %s..%s exited %d: %s", from, to, code, stderr)
		}
		var rep report.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		return rep
	}
	const dayFrom, dayTo = "2026-11-27T00:00:00Z", "2026-11-28T00:00:00Z"
	whole := run(dayFrom, dayTo)
	var kill *time.Time
	for _, d := range whole.Deaths {
		if d.Mechanism == report.CgroupOOM || d.Mechanism == report.KernelOOM {
			kill = d.Time
		}
	}
	if kill == nil {
		t.Fatal("the day holds no kernel kill")
	}
	split := kill.UTC().Format(time.RFC3339Nano)
	first, second := run(dayFrom, split), run(split, dayTo)
	for _, d := range first.Deaths {
		if d.Time != nil && !d.Time.Before(*kill) {
			t.Errorf("the range ending at %s reports a death at %s", split, d.Time)
		}
	}
	if first.Transfer.OutsideRange == 0 {
		t.Errorf("the first range read the kill past its end but says nothing of it: %+v", first.Transfer)
	}
	key := func(reps ...report.Report) []string {
		var out []string
		for _, r := range reps {
			b, _ := json.Marshal(r)
			out = append(out, deathsOf(t, string(b))...)
		}
		sort.Strings(out)
		return out
	}
	if got, want := strings.Join(key(first, second), "\n"), strings.Join(key(whole), "\n"); got != want {
		t.Errorf("the two ranges together differ from the whole day\nsplit:\n%s\nwhole:\n%s", got, want)
	}
}
