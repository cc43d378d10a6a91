package correlate_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/correlate"
	"github.com/k8s-coroner/coroner/parsers"
	"github.com/k8s-coroner/coroner/sources"
)

// FuzzAnalyze correlates arbitrary events: those the parsers make of three arbitrary inputs
// (read as a kernel log, a kubelet log and Kubernetes objects would be, each in whatever
// format it looks like). Analyze must not panic, must give the same report for the same
// events, must leave its events alone (the same report again from the same slice), and
// every death it reports must be one of the three mechanisms or say why not.
func FuzzAnalyze(f *testing.F) {
	f.Add("[  100.000001] app invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n[  100.000400] Memory cgroup out of memory: Killed process 42 (app) total-vm:1000kB, anon-rss:900kB, file-rss:0kB\n",
		`I0329 14:48:51.123456    1234 eviction_manager.go:366] "Eviction manager: pods ranked for eviction" pods=["a/b","c/d"]`+"\n",
		`{"kind":"Event","involvedObject":{"name":"x"},"reason":"OOMKilling","lastTimestamp":"2025-03-29T06:48:51Z"}`+"\n")
	f.Fuzz(func(t *testing.T, kernel, kubelet, objects string) {
		parse := func() ([]*parsers.InputResult, []parsers.Event) {
			var results []*parsers.InputResult
			var events []parsers.Event
			for i, text := range []string{kernel, kubelet, objects} {
				in := &sources.Input{Name: []string{"dmesg", "kubelet.log", "events.json"}[i], ModTime: time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC),
					Records: sources.Lines(bytes.NewReader([]byte(text)))}
				results = append(results, parsers.ParseInput(in, parsers.Options{}, func(e parsers.Event) { events = append(events, e) }))
			}
			return results, events
		}
		inputs, events := parse()
		first := reportJSON(t, correlate.Analyze(inputs, events, correlate.Options{}))
		if again := reportJSON(t, correlate.Analyze(inputs, events, correlate.Options{})); !bytes.Equal(first, again) {
			t.Fatalf("the same events correlated twice differ (or the first run changed them):\n%s\n%s", first, again)
		}
		inputs2, events2 := parse()
		rep := correlate.Analyze(inputs2, events2, correlate.Options{})
		if fresh := reportJSON(t, rep); !bytes.Equal(first, fresh) {
			t.Fatalf("the same inputs parsed and correlated twice differ:\n%s\n%s", first, fresh)
		}
		for _, d := range append(rep.Deaths, rep.HostKills...) {
			if d.Mechanism == "" {
				t.Fatalf("a death without a mechanism: %+v", d)
			}
		}
	})
}

func reportJSON(t *testing.T, rep any) []byte {
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatalf("report does not marshal: %v", err)
	}
	return b
}
