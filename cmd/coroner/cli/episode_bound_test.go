package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// TestLongEpisodeIsPrintedOnce: an episode of many evictions is listed once, in the episode,
// and each death names only a few of the others and counts the rest; the episode keeps the
// first and last lines of each kind and counts those it left out. Ten thousand evictions in
// a 5 MB kubelet log printed a 3.3 GB report, each death listing every other pod.
func TestLongEpisodeIsPrintedOnce(t *testing.T) {
	const n = 300
	at := time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)
	line := func(t time.Time, lvl, src, msg string) string {
		return fmt.Sprintf("%s node-3 kubelet[1187]: %s%s    1187 %s] %s\n", t.Format("Jan 02 15:04:05"), lvl, t.Format("0102 15:04:05.000000"), src, msg)
	}
	var b strings.Builder
	for i := range n {
		t := at.Add(time.Duration(2*i) * time.Second)
		b.WriteString(line(t, "W", "eviction_manager.go:366", `"Eviction manager: attempting to reclaim" resourceName="memory"`))
		b.WriteString(line(t, "I", "eviction_manager.go:395", fmt.Sprintf(`"Eviction manager: pods ranked for eviction" pods=["ns/pod-%d","ns/pod-%d","kube-system/coredns-1"]`, i, i+1)))
		b.WriteString(line(t, "I", "eviction_manager.go:413", fmt.Sprintf(`"Evicting pod" pod="ns/pod-%d" podUID="1d3f5b7a-2c4e-4a6b-8d0f-%012d" message="The node was low on resource: memory. Threshold quantity: 500Mi, available: 412140Ki. Container c was using 2841232Ki, request is 256Mi, has larger consumption of memory. "`, i, i)))
		b.WriteString(line(t.Add(time.Second), "I", "eviction_manager.go:627", fmt.Sprintf(`"Eviction manager: pod is evicted successfully" pod="ns/pod-%d"`, i)))
	}
	path := filepath.Join(t.TempDir(), "kubelet.log")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runMain(t, "", "analyze", "--year", "2026", "-o", "json", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Deaths) != n || len(rep.Pressure) != 1 {
		t.Fatalf("%d deaths in %d episodes, want %d in 1", len(rep.Deaths), len(rep.Pressure), n)
	}
	p := rep.Pressure[0]
	if len(p.Evicted) != n || p.ThresholdsMet != n {
		t.Errorf("the episode lists %d evicted pods and %d thresholds met, want %d of each", len(p.Evicted), p.ThresholdsMet, n)
	}
	// The episode's lines are the reclaims, rankings and evictions (a pod's "evicted
	// successfully" is its death's): three kinds, at most ten lines kept of each (the
	// repeated reclaim line is folded after its first five).
	if kept := len(p.Evidence); kept > 3*report.MaxListed || kept+p.EvidenceOmitted != 3*n {
		t.Errorf("the episode keeps %d lines and omits %d, want at most %d kept of %d", kept, p.EvidenceOmitted, 3*report.MaxListed, 3*n)
	}
	if len(p.Summary) > 2000 {
		t.Errorf("the episode's summary is %d bytes: it lists every pod", len(p.Summary))
	}
	for _, d := range rep.Deaths {
		if e := d.Eviction; e == nil || len(e.Others) > report.MaxListed || e.OthersCount != n-1 {
			t.Fatalf("death of %s: eviction %+v, want at most %d others listed, %d counted", d.Pod, e, report.MaxListed, n-1)
		}
	}
	if size := len(out); size > n*8<<10 {
		t.Errorf("the report is %d bytes for %d deaths: it grows with the square of the episode", size, n)
	}
}
