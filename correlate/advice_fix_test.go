package correlate

import (
	"strings"
	"testing"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
)

// TestCompositionAdvice: what filled the limit decides the advice, so a tmpfs-filled, a
// kernel-filled, a cache-filled and a heap-filled cgroup each get their own.
func TestCompositionAdvice(t *testing.T) {
	k := func(n int64) *int64 { return &n }
	tests := []struct {
		reason  string
		stats   report.MemcgStats
		want    string // a phrase the advice must hold
		wantNot []string
	}{
		{"tmpfs: shmem counts against the limit and cannot be reclaimed", report.MemcgStats{AnonKiB: 4 << 10, FileKiB: 26 << 10, ShmemKiB: 25 << 10, KernelKiB: k(1 << 10)},
			"the pod's memory-backed emptyDir cache (sizeLimit 1Gi)", []string{"page cache (dirty", "kernel memory", "anonymous memory"}},
		{"kernel memory: slab and sockets", report.MemcgStats{AnonKiB: 8 << 10, KernelKiB: k(22 << 10), SlabKiB: 20 << 10, SockKiB: 2 << 10},
			"kernel memory (slab 20Mi, sockets 2Mi)", []string{"tmpfs", "anonymous memory"}},
		{"cgroup v1: kmem: says the kernel memory", report.MemcgStats{AnonKiB: 8 << 10, KmemKiB: k(20 << 10)},
			"was kernel memory", nil},
		{"page cache: size from usage_in_bytes, not working_set", report.MemcgStats{AnonKiB: 6 << 10, FileKiB: 26 << 10, DirtyKiB: 10 << 10},
			"not from working_set", []string{"tmpfs", "anonymous memory"}},
		{"heap", report.MemcgStats{AnonKiB: 31 << 10, KernelKiB: k(512)}, "anonymous memory (heap, stacks)", []string{"tmpfs", "page cache (dirty"}},
	}
	for _, tt := range tests {
		st := tt.stats
		d := &report.Death{Memory: &report.Memory{LimitKiB: report.LimitOf(32 << 10), UsageKiB: 32 << 10, Stats: &st}}
		got := strings.Join(compositionAdvice(d, "cache (sizeLimit 1Gi)"), "\n")
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s: advice lacks %q:\n%s", tt.reason, tt.want, got)
		}
		for _, no := range tt.wantNot {
			if strings.Contains(got, no) {
				t.Errorf("%s: advice holds %q:\n%s", tt.reason, no, got)
			}
		}
	}
}

func TestFixes(t *testing.T) {
	d := &report.Death{Namespace: "shop", Pod: "cart-7d9f6c5b8-x2kqz", Container: "cart", Memory: &report.Memory{LimitKiB: report.LimitOf(512 << 10), UsageKiB: 512 << 10}}
	f := limitFix(d)
	if f == nil || f.Limit != "640Mi" || f.Command != "kubectl set resources deployment/cart -n shop -c cart --limits=memory=640Mi" {
		t.Errorf("limit fix for 512Mi at the kill: %+v", f)
	}
	d = &report.Death{Namespace: "shop", Pod: "cart-0", Container: "cart", Eviction: &report.Eviction{Usage: []report.Usage{{Container: "cart", Usage: "401220Ki", Request: "64Mi"}}}}
	used := int64(401220 << 10)
	f = requestFix(d, []parsers.EvictionUsage{{Container: "cart", Usage: "401220Ki", Request: "64Mi", UsageBytes: &used}})
	if f == nil || f.Request != "400Mi" || f.Object != "statefulset/cart" {
		t.Errorf("request fix for 401220Ki measured: %+v", f)
	}
	d = &report.Death{Pod: "memhog", Container: "app", Memory: &report.Memory{LimitKiB: report.LimitOf(32 << 10), UsageKiB: 32 << 10}}
	if f := limitFix(d); f == nil || !strings.Contains(f.Command, "<owner of pod memhog>") || f.Object != "" {
		t.Errorf("an unknown owner stays a visible placeholder: %+v", f)
	}
	for _, tt := range []struct{ in, want int64 }{{1, 16 << 10}, {40 << 10, 48 << 10}, {1<<20 + 1, 1<<20 + 128<<10}, {9 << 20, 9 << 20}} {
		if got := roundUpQuantity(tt.in); got != tt.want {
			t.Errorf("roundUpQuantity(%d) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestAdviseHog(t *testing.T) {
	adj := 1000
	d := &report.Death{Victim: &report.Victim{PID: 318, Process: "memhog", OOMScoreAdj: &adj},
		TopTasks: []report.Task{{PID: 254, Name: "memhog", RSSKiB: 63 << 10, OOMScoreAdj: -997}, {PID: 318, Name: "memhog", RSSKiB: 42 << 10, OOMScoreAdj: 1000}}}
	adviseHog(d)
	if !d.Collateral || d.Hog == nil || d.Hog.PID != 254 || !strings.Contains(d.Advice[0], "was collateral") {
		t.Errorf("a victim smaller than the hog is collateral: %+v %q", d.Hog, d.Advice)
	}
	d = &report.Death{Victim: &report.Victim{PID: 254, Process: "memhog"}, TopTasks: d.TopTasks}
	adviseHog(d)
	if d.Collateral || !strings.Contains(d.Advice[0], "The hog was the victim itself") {
		t.Errorf("the largest process killed is the hog: %q", d.Advice)
	}
}
