package correlate_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/k8s-coroner/coroner/correlate"
	"github.com/k8s-coroner/coroner/correlate/report"
)

// FuzzMergeReports merges two arbitrary JSON reports as coroner merge reads them. It must
// not panic; it refuses a foreign schema; it never invents a death (at most the deaths of
// both); an episode a death refers to lies among the merged episodes whenever it lay among
// its own report's; the same reports merge to the same bytes; and merging the result alone
// changes nothing (a merged report is a report merge accepts as it is).
func FuzzMergeReports(f *testing.F) {
	f.Add(`{"schema":"coroner/v1","deaths":[{"node":"n1","pod":"a","mechanism":"cgroup-oom","time":"2026-11-27T19:05:40Z"}]}`,
		`{"schema":"coroner/v1","deaths":[{"node":"n2","mechanism":"kubelet-eviction","eviction":{"episode":0}}],"pressure":[{"node":"n2"}],"transfer":{"shard":"2/2"}}`)
	f.Fuzz(func(t *testing.T, a, b string) {
		var ra, rb report.Report
		if json.Unmarshal([]byte(a), &ra) != nil || json.Unmarshal([]byte(b), &rb) != nil {
			return
		}
		inRange := func(r *report.Report) bool {
			for _, d := range r.Deaths {
				if d.Eviction != nil && d.Eviction.Episode != nil && (*d.Eviction.Episode < 0 || *d.Eviction.Episode >= len(r.Pressure)) {
					return false
				}
			}
			return true
		}
		merged, err := correlate.MergeReports([]*report.Report{&ra, &rb})
		if ra.Schema != report.Schema || rb.Schema != report.Schema {
			if err == nil {
				t.Fatalf("merged schemas %q and %q", ra.Schema, rb.Schema)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(merged.Deaths) > len(ra.Deaths)+len(rb.Deaths) || len(merged.HostKills) > len(ra.HostKills)+len(rb.HostKills) {
			t.Fatalf("%d deaths from %d and %d", len(merged.Deaths), len(ra.Deaths), len(rb.Deaths))
		}
		if inRange(&ra) && inRange(&rb) && !inRange(merged) {
			t.Fatalf("an episode index points outside the %d merged episodes", len(merged.Pressure))
		}
		first := reportJSON(t, merged)
		var ra2, rb2 report.Report
		_ = json.Unmarshal([]byte(a), &ra2)
		_ = json.Unmarshal([]byte(b), &rb2)
		again, err := correlate.MergeReports([]*report.Report{&ra2, &rb2})
		if err != nil || !bytes.Equal(first, reportJSON(t, again)) {
			t.Fatalf("merged twice differently (%v)", err)
		}
		var back report.Report
		if err := json.Unmarshal(first, &back); err != nil {
			t.Fatal(err)
		}
		alone, err := correlate.MergeReports([]*report.Report{&back})
		if err != nil {
			t.Fatal(err)
		}
		if got := reportJSON(t, alone); !bytes.Equal(first, got) {
			t.Fatalf("merging a merged report alone changed it:\n%s\n%s", first, got)
		}
		// The same report twice counts each death once (coroner merge a.json a.json).
		var copy1, copy2 report.Report
		_ = json.Unmarshal(first, &copy1)
		_ = json.Unmarshal(first, &copy2)
		twice, err := correlate.MergeReports([]*report.Report{&copy1, &copy2})
		if err != nil {
			t.Fatal(err)
		}
		if len(twice.Deaths) != len(merged.Deaths) || len(twice.HostKills) != len(merged.HostKills) {
			t.Fatalf("a report merged with itself has %d deaths and %d host kills, want %d and %d",
				len(twice.Deaths), len(twice.HostKills), len(merged.Deaths), len(merged.HostKills))
		}
	})
}
