package loki

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/sources/batch"
	"github.com/k8s-coroner/coroner/sources/loki/lokitest"
)

// BenchmarkJob reads a day of three nodes' journals (100 000 entries, one in a hundred a
// kill or an eviction line) through the fake Loki, with and without the pushed-down filter:
// entries/s through the job, and the share of the range the filter ships.
func BenchmarkJob(b *testing.B) {
	srv := lokitest.New()
	defer srv.Close()
	const n = 100000
	for node := 0; node < 3; node++ {
		var es []lokitest.Entry
		for i := node; i < n; i += 3 {
			line := fmt.Sprintf("I1127 12:00:00.000000    1187 kubelet.go:2400] \"SyncLoop (probe)\" probe=\"readiness\" status=\"ready\" pod=\"team/web-%d\"", i%97)
			if i%100 == 0 {
				line = fmt.Sprintf("Memory cgroup out of memory: Killed process %d (app) total-vm:1000kB, anon-rss:900kB, file-rss:0kB", i)
			}
			es = append(es, lokitest.Entry{Timestamp: t0.Add(time.Duration(i) * 864 * time.Millisecond), Line: line})
		}
		srv.Push("fake", map[string]string{"job": "systemd-journal", "host": fmt.Sprintf("node%d", node)}, es...)
	}
	for _, c := range []struct {
		name, pattern string
	}{
		{"filtered", "Killed process|oom-kill:|viction manager"},
		{"unfiltered", "."},
	} {
		b.Run(c.name, func(b *testing.B) {
			client, _ := New(Config{URL: srv.URL})
			lines := 0
			for i := 0; i < b.N; i++ {
				opts := batch.Options{From: t0, To: t0.Add(24 * time.Hour), Window: time.Hour, Parallel: 4, Evidence: batch.Evidence{Pattern: c.pattern}}
				job, err := batch.Start(context.Background(), &Store{Client: client, Selector: `{job="systemd-journal"}`, Mapping: Presets["auto"]}, opts)
				if err != nil {
					b.Fatal(err)
				}
				for in := range job.Inputs() {
					for range in.Records {
					}
				}
				lines = job.Stats.Lines
			}
			b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
			b.ReportMetric(float64(lines)/n*100, "%shipped")
		})
	}
}
