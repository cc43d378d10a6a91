package parsers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/k8s-coroner/coroner/sources"
)

// TestParseAge: apimachinery's HumanDuration and ShortHumanDuration forms, and describe's
// repeated-Event form.
func TestParseAge(t *testing.T) {
	tests := []struct {
		in          string
		last, first time.Duration
		count       int32
		ok          bool
	}{
		{"45s", 45 * time.Second, 45 * time.Second, 0, true},
		{"7m24s", 7*time.Minute + 24*time.Second, 7*time.Minute + 24*time.Second, 0, true},
		{"5d1h", 121 * time.Hour, 121 * time.Hour, 0, true},
		{"2y30d", (2*365 + 30) * 24 * time.Hour, (2*365 + 30) * 24 * time.Hour, 0, true},
		{"18m (x2 over 18m)", 18 * time.Minute, 18 * time.Minute, 2, true},
		{"37s (x10 over 171m)", 37 * time.Second, 171 * time.Minute, 10, true},
		{"<invalid>", 0, 0, 0, true},
		{"kubelet", 0, 0, 0, false},
		{"12", 0, 0, 0, false},
	}
	for _, tt := range tests {
		a, ok := parseAge(tt.in)
		if ok != tt.ok || a.Last != tt.last || a.First != tt.first || a.Count != tt.count {
			t.Errorf("parseAge(%q) = %+v, %v; want %v %v x%d, %v", tt.in, a, ok, tt.last, tt.first, tt.count, tt.ok)
		}
	}
	now := time.Date(2024, 5, 14, 12, 0, 0, 0, time.UTC)
	a, _ := parseAge("3m (x4 over 25m)")
	first, last := a.at(now)
	if !first.Equal(now.Add(-25*time.Minute)) || !last.Equal(now.Add(-3*time.Minute)) {
		t.Errorf("at: %v %v", first, last)
	}
	if f, l := a.at(time.Time{}); !f.IsZero() || !l.IsZero() {
		t.Errorf("without --now an age stays relative, got %v %v", f, l)
	}
}

// TestKubectlRows: rows read by their cells' shapes, each layout from kubectl's printers.
func TestKubectlRows(t *testing.T) {
	e, ok := describeEventRow("Warning  SystemOOM  37s (x10 over 171m)  kubelet, node2  (combined from similar events): System OOM encountered, victim process: ld-musl-x86_64., pid: 13716", false)
	if !ok || e.Reason != "SystemOOM" || e.Component != "kubelet" || e.Host != "node2" || e.Age.Count != 10 ||
		!strings.HasPrefix(e.Message, "(combined from similar events)") {
		t.Errorf("describe row: %+v %v", e, ok)
	}
	e, ok = describeEventRow("1m\t\t1m\t\t2\t{kubelet node-2}\tspec.containers{mem-hog}\tWarning\t\tBackOff\t\tBack-off restarting failed docker container", true)
	if !ok || e.Reason != "BackOff" || e.Host != "node-2" || e.Object.FieldPath != "spec.containers{mem-hog}" || e.Count != 2 {
		t.Errorf("2015 describe row: %+v %v", e, ok)
	}
	e, ok = getEventRowTokens("d8-linstor   51m   Warning   Evicted   pod/linstor-csi-node-76tqq   The node was low on resource: ephemeral-storage.")
	if !ok || e.Object.Namespace != "d8-linstor" || e.Object.Name != "linstor-csi-node-76tqq" || e.Object.Kind != "Pod" {
		t.Errorf("get events row: %+v %v", e, ok)
	}
	r, ok := podRowTokens("  iskim   test-quota-65bcb465f-f8ph6   0/1   Init:ContainerStatusUnknown   0   12m   172.32.193.79   p-iskim-worker2   <none>   <none>")
	if !ok || r.namespace != "iskim" || r.status != "Init:ContainerStatusUnknown" || r.node != "p-iskim-worker2" {
		t.Errorf("get pods row: %+v %v", r, ok)
	}
	r, ok = podRowTokens("max-resource-pod   0/1     OOMKilled   2 (19s ago)   28s")
	if !ok || r.restarts != "2 (19s ago)" || r.status != "OOMKilled" {
		t.Errorf("get pods -w row: %+v %v", r, ok)
	}
	for _, notRow := range []string{
		"May 28 16:05:54 node kubelet[1]: I0528 16:05:54.802914 1 eviction_manager.go:627] \"Eviction manager: pod is evicted successfully\"",
		"[  100.000400] Memory cgroup out of memory: Killed process 42 (app)",
	} {
		if looksLikeRow(notRow) {
			t.Errorf("a log line read as a kubectl row: %q", notRow)
		}
	}
}

// TestHeaderColumns: header names with a space in them ("LAST SEEN", "NOMINATED NODE").
func TestHeaderColumns(t *testing.T) {
	got := headerColumns("LAST SEEN   TYPE      REASON    OBJECT    MESSAGE")
	want := []column{{"LAST SEEN", 0}, {"TYPE", 12}, {"REASON", 22}, {"OBJECT", 32}, {"MESSAGE", 42}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(column{})); diff != "" {
		t.Error(diff)
	}
	if headerKind("NAME   READY   STATUS   RESTARTS   AGE") != tableGetPods || headerKind("Type  Reason  Age  From  Message") != tableDescribeEvents {
		t.Error("header kinds")
	}
	if headerKind("May 28 16:05:50 node kubelet[1]: started") >= 0 {
		t.Error("a log line read as a header")
	}
}

// TestKubectlExcerpts: every real kubectl excerpt is read as kubectl output, not warned
// about as a line in no known format.
func TestKubectlExcerpts(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/excerpts/objects/*.log")
	for _, p := range paths {
		got := parsePasted(t, filepath.Base(p), readText(t, p))
		if got.res.Unrecognised != "" {
			t.Errorf("%s: %s", filepath.Base(p), got.res.Unrecognised)
		}
		for _, w := range got.res.Warnings {
			if strings.Contains(w.Message, "no known log format") {
				t.Errorf("%s: line %d: %s", filepath.Base(p), w.Line, w.Message)
			}
		}
	}
}

// FuzzKubectl feeds arbitrary text to the kubectl reader through the pipeline: no panic,
// and every Pod and Event it makes has a position. Seeds: testdata/fuzz/FuzzKubectl.
func FuzzKubectl(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/excerpts/objects/*")
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil && !strings.HasSuffix(p, ".origin") && len(b) < 8192 {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		in := &sources.Input{Name: "fuzz", Records: sources.Lines(strings.NewReader(text))}
		ParseInput(in, Options{Clock: Clock{Now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}}, func(e Event) {
			switch e := e.(type) {
			case *PodStatus:
				if e.Pos.Line <= 0 {
					t.Fatalf("pod without position: %+v", e)
				}
			case *KubeEvent:
				if e.Pos.Line <= 0 {
					t.Fatalf("event without position: %+v", e)
				}
			}
		})
	})
}
