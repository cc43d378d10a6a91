package batch

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseShard(t *testing.T) {
	tests := []struct {
		reason, in string
		want       Shard
		err        bool
	}{
		{"the first of two", "0/2", Shard{0, 2}, false},
		{"the last of three", "2/3", Shard{2, 3}, false},
		{"I must be below N", "2/2", Shard{}, true},
		{"no slash", "1", Shard{}, true},
		{"negative", "-1/2", Shard{}, true},
		{"no shards", "0/0", Shard{}, true},
	}
	for _, tt := range tests {
		got, err := ParseShard(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("%s: ParseShard(%q) = %v, %v; want %v, error %v", tt.reason, tt.in, got, err, tt.want, tt.err)
		}
	}
}

// TestShardHoldsEachNodeOnce: every node falls to exactly one shard of N, so sharded runs
// neither read a node twice nor lose one.
func TestShardHoldsEachNodeOnce(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7} {
		for k := range 200 {
			node := fmt.Sprintf("ip-10-0-%d-%d.ec2.internal", k/50, k)
			holders := 0
			for i := range n {
				if (Shard{i, n}).Holds(node) {
					holders++
				}
			}
			if holders != 1 {
				t.Fatalf("node %s is held by %d of %d shards", node, holders, n)
			}
		}
	}
}

// TestShardHashIsStable pins the hash: job instances of different coroner versions, and
// coroner merge, must agree on which node is whose.
func TestShardHashIsStable(t *testing.T) {
	got := map[string]bool{}
	for _, node := range []string{"node-a", "node-b", "node-c", "node-d"} {
		got[node] = Shard{0, 2}.Holds(node)
	}
	want := map[string]bool{"node-a": false, "node-b": true, "node-c": false, "node-d": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("shard 0/2 (-want +got):\n%s", diff)
	}
}

func TestCheckShards(t *testing.T) {
	tests := []struct {
		reason  string
		shards  []string
		missing []Shard
		err     bool
	}{
		{"a complete set", []string{"0/2", "1/2"}, nil, false},
		{"reports of no shard merge freely", []string{"", ""}, nil, false},
		{"a shard missing leaves the merge partial", []string{"0/3", "2/3"}, []Shard{{1, 3}}, false},
		{"the same shard twice would double its deaths", []string{"0/2", "0/2"}, nil, true},
		{"shards of different counts overlap", []string{"0/2", "1/3"}, nil, true},
		{"a malformed shard", []string{"x"}, nil, true},
	}
	for _, tt := range tests {
		missing, err := CheckShards(tt.shards)
		if (err != nil) != tt.err {
			t.Errorf("%s: error %v, want error %v", tt.reason, err, tt.err)
			continue
		}
		if diff := cmp.Diff(tt.missing, missing); diff != "" {
			t.Errorf("%s: missing (-want +got):\n%s", tt.reason, diff)
		}
	}
}
