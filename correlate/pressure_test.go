package correlate

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/k8s-coroner/coroner/parsers"
)

// ep is what the episode table pins of an episode: its node, its span as offsets from t0
// ("-" without one), what it names and how much evidence it holds.
type ep struct {
	Node       string
	Span       string
	Resources  string
	Evicted    string
	Thresholds string
	NodeOOMs   int
	Evidence   int
}

func epOf(e episode) ep {
	span := "-"
	if e.Start != nil {
		span = fmt.Sprintf("%s..%s", e.Start.Sub(t0), e.End.Sub(t0))
	}
	return ep{Node: e.Node, Span: span, Resources: strings.Join(e.Resources, ","), Evicted: strings.Join(e.Evicted, ","),
		Thresholds: strings.Join(e.Thresholds, ","), NodeOOMs: e.NodeOOMs, Evidence: len(e.Evidence)}
}

// TestEpisodes: how node pressure facts group into episodes: per node, split by a silence
// longer than episodeGap; timeless facts of a node make one episode without a span.
func TestEpisodes(t *testing.T) {
	reclaim := func(node string, off time.Duration) nodeFact {
		return kubeletFact(parsers.KubeletReclaim, node, off, "memory")
	}
	evicted := func(node string, off time.Duration, pod, resource string) nodeFact {
		return nodeFact{node: node, at: t0.Add(off), evicted: "shop/" + pod, resource: resource}
	}
	notime := func(f nodeFact, in string) nodeFact { f.at, f.ev.Input = time.Time{}, in; return f }
	thresholds := nodeFact{node: "n1", kubelet: &parsers.KubeletLine{Kind: parsers.KubeletThresholds,
		Thresholds: []parsers.Threshold{{Signal: "memory.available", Value: "100Mi"}}}}
	tests := []struct {
		reason string
		facts  []nodeFact
		want   []ep
	}{
		{"no facts, no episodes", nil, []ep{}},
		{"the eviction manager every minute on one node: one episode, first to last",
			[]nodeFact{reclaim("n1", 0), reclaim("n1", time.Minute), evicted("n1", 2*time.Minute, "api", "memory")},
			[]ep{{Node: "n1", Span: "0s..2m0s", Resources: "memory", Evicted: "shop/api", Evidence: 3}}},
		{"a silence longer than the gap ends the pressure: two episodes",
			[]nodeFact{reclaim("n1", 0), reclaim("n1", episodeGap+time.Second)},
			[]ep{{Node: "n1", Span: "0s..0s", Resources: "memory", Evidence: 1}, {Node: "n1", Span: "5m1s..5m1s", Resources: "memory", Evidence: 1}}},
		{"a silence of exactly the gap is still one episode",
			[]nodeFact{reclaim("n1", 0), reclaim("n1", episodeGap)}, []ep{{Node: "n1", Span: "0s..5m0s", Resources: "memory", Evidence: 2}}},
		{"facts out of order are put in time order before they are split",
			[]nodeFact{reclaim("n1", 8*time.Minute), reclaim("n1", 0), reclaim("n1", 4*time.Minute)},
			[]ep{{Node: "n1", Span: "0s..8m0s", Resources: "memory", Evidence: 3}}},
		{"two nodes at the same time are two episodes",
			[]nodeFact{reclaim("n2", 0), reclaim("n1", 0)},
			[]ep{{Node: "n1", Span: "0s..0s", Resources: "memory", Evidence: 1}, {Node: "n2", Span: "0s..0s", Resources: "memory", Evidence: 1}}},
		{"the kernel's short host name and the kubelet's FQDN, in any case, are one node",
			[]nodeFact{reclaim("n1.example.com", 0), reclaim("N1", time.Minute)},
			[]ep{{Node: "n1.example.com", Span: "0s..1m0s", Resources: "memory", Evidence: 2}}},
		{"timeless facts of a node are one episode without a span, apart from its timed ones",
			[]nodeFact{reclaim("n1", 0), notime(reclaim("n1", 0), "paste"), notime(evicted("n1", 0, "api", "memory"), "paste")},
			[]ep{{Node: "n1", Span: "-", Resources: "memory", Evicted: "shop/api", Evidence: 2}, {Node: "n1", Span: "0s..0s", Resources: "memory", Evidence: 1}}},
		{"timeless facts of unnamed nodes in different pastes are not one node",
			[]nodeFact{notime(reclaim("", 0), "a"), notime(reclaim("", 0), "b")},
			[]ep{{Span: "-", Resources: "memory", Evidence: 1}, {Span: "-", Resources: "memory", Evidence: 1}}},
		{"timeless facts of an unnamed node in one paste are one episode",
			[]nodeFact{notime(reclaim("", 0), "a"), notime(evicted("", 0, "api", "memory"), "a")},
			[]ep{{Span: "-", Resources: "memory", Evicted: "shop/api", Evidence: 2}}},
		{"the kubelet's thresholds are config, not pressure: no episode of their own, but the node's episodes carry them",
			[]nodeFact{thresholds, reclaim("n1", 0), reclaim("n2", 0)},
			[]ep{{Node: "n1", Span: "0s..0s", Resources: "memory", Thresholds: "memory.available<100Mi", Evidence: 1}, {Node: "n2", Span: "0s..0s", Resources: "memory", Evidence: 1}}},
		{"a node Event that is no pressure sign makes no episode", []nodeFact{eventFact("NodeReady", "n1", 0)}, []ep{}},
		{"a SystemOOM Event is pressure: a node-wide OOM kill",
			[]nodeFact{eventFact("SystemOOM", "n1", 0), eventFact("SystemOOM", "n1", time.Minute)},
			[]ep{{Node: "n1", Span: "0s..1m0s", NodeOOMs: 2, Evidence: 2}}},
		{"evictions for two resources in one episode name both",
			[]nodeFact{evicted("n1", 0, "api", "memory"), evicted("n1", time.Minute, "web", "ephemeral-storage")},
			[]ep{{Node: "n1", Span: "0s..1m0s", Resources: "memory,ephemeral-storage", Evicted: "shop/api,shop/web", Evidence: 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			got := []ep{}
			for _, e := range episodes(tt.facts) {
				got = append(got, epOf(e))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: episodes (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

// TestIsPressure: which node facts are signs of pressure.
func TestIsPressure(t *testing.T) {
	tests := []struct {
		reason string
		f      nodeFact
		want   bool
	}{
		{"a pod the kubelet evicted", nodeFact{evicted: "shop/api"}, true},
		{"a pod refused at admission", nodeFact{refused: "shop/api"}, true},
		{"an EvictionThresholdMet Event", eventFact("EvictionThresholdMet", "n1", 0), true},
		{"a NodeHasInsufficientMemory Event", eventFact("NodeHasInsufficientMemory", "n1", 0), true},
		{"a node Evicted Event (an admission refusal)", eventFact("Evicted", "n1", 0), true},
		{"another node Event", eventFact("NodeNotReady", "n1", 0), false},
		{"any eviction-manager line of the kubelet", kubeletFact(parsers.KubeletReclaim, "n1", 0, "memory"), true},
		{"a fact with neither line nor Event", nodeFact{node: "n1"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			if got := isPressure(tt.f); got != tt.want {
				t.Errorf("%s: isPressure = %v, want %v", tt.reason, got, tt.want)
			}
		})
	}
}

// TestEpisodeAt: which of a node's pressure episodes a death at a time belongs to: its node's,
// the span widened by the window on both sides; a timeless episode or death belongs to none.
func TestEpisodeAt(t *testing.T) {
	reclaim := func(node string, off time.Duration) nodeFact {
		return kubeletFact(parsers.KubeletReclaim, node, off, "memory")
	}
	timelessFact := reclaim("n3", 0)
	timelessFact.at = time.Time{}
	// n1: 0s..4m and 20m..21m; n2: 0s; n3: no span
	ps := episodes([]nodeFact{reclaim("n1", 0), reclaim("n1", 4*time.Minute), reclaim("n1", 20*time.Minute), reclaim("n1", 21*time.Minute),
		reclaim("n2", 0), timelessFact})
	spans := map[*episode]string{}
	for i := range ps {
		spans[&ps[i]] = ps[i].Node + " " + epOf(ps[i]).Span
	}
	tests := []struct {
		reason string
		node   string
		when   time.Time
		want   string // node and span of the episode found, "" for none
	}{
		{"inside the episode", "n1", t0.Add(2 * time.Minute), "n1 0s..4m0s"},
		{"before its first sign, within the window", "n1", t0.Add(-win), "n1 0s..4m0s"},
		{"before its first sign, beyond the window", "n1", t0.Add(-win - time.Second), ""},
		{"after its last sign, within the window", "n1", t0.Add(4*time.Minute + win), "n1 0s..4m0s"},
		{"between two episodes, near neither", "n1", t0.Add(12 * time.Minute), ""},
		{"the node's later episode", "n1", t0.Add(20*time.Minute + 30*time.Second), "n1 20m0s..21m0s"},
		{"another node's episode at the same time is not this node's", "n2", t0.Add(3 * time.Minute), ""},
		{"the short name finds the FQDN's episode", "N2.example.com", t0, "n2 0s..0s"},
		{"a death without a time belongs to no episode", "n1", time.Time{}, ""},
		{"an episode without a span covers no time", "n3", t0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			got := ""
			if p := episodeAt(ps, tt.node, tt.when, win); p != nil {
				got = spans[p]
			}
			if got != tt.want {
				t.Errorf("%s: episode %q, want %q", tt.reason, got, tt.want)
			}
		})
	}
}
