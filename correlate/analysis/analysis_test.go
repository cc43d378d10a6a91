package analysis

import (
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/sources"
)

// TestAnalyze runs the entry point as the commands do, on a real kernel report pasted in a
// public issue (see the excerpt's .origin file), beside a file that does not exist.
func TestAnalyze(t *testing.T) {
	excerpt := "../../testdata/excerpts/cgroupv2-containerd-systemd-syslog-kubeflow-10391.log"
	src := &sources.Files{Paths: []string{excerpt, "no-such-file.log"}, Now: time.Now()}
	res := Analyze([]sources.Source{src}, Options{})
	if len(res.Inputs) != 2 || len(res.Unreadable) != 1 || res.Unreadable[0].Name != "no-such-file.log" {
		t.Fatalf("inputs %d, unreadable %v: want the excerpt read and the missing file unreadable", len(res.Inputs), res.Unreadable)
	}
	if !res.Understood() {
		t.Errorf("the excerpt was not understood")
	}
	var cgroup int
	for _, d := range res.Report.Deaths {
		if d.Mechanism == report.CgroupOOM {
			cgroup++
		}
	}
	if cgroup == 0 {
		t.Errorf("no cgroup-oom death in a memcg OOM report; deaths: %+v", res.Report.Deaths)
	}
}

// TestAnalyzeNothingUnderstood: text of which no line is evidence is read but not understood,
// so the commands can fail the run instead of printing an empty report.
func TestAnalyzeNothingUnderstood(t *testing.T) {
	src := &sources.Files{Paths: []string{"analysis.go"}, Now: time.Now()}
	res := Analyze([]sources.Source{src}, Options{})
	if len(res.Unreadable) != 0 {
		t.Fatalf("a readable file was unreadable: %v", res.Unreadable[0].Err)
	}
	if res.Understood() {
		t.Errorf("Go source was understood as evidence")
	}
}
