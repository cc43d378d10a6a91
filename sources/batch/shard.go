package batch

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// A Shard is part I of N of a cluster's nodes (--shard I/N). Every job instance, whatever its
// store, and coroner merge use this one hash of the node name, so the instances agree on who
// reads which node without talking to each other.
type Shard struct {
	I, N int
}

// ParseShard reads "I/N" with 0 <= I < N.
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("--shard %q is not I/N with 0 <= I < N", s)
	}
	return Shard{i, n}, nil
}

// Holds says whether the node falls to this shard: FNV-1a of its name, modulo N.
func (s Shard) Holds(node string) bool {
	h := fnv.New32a()
	h.Write([]byte(node))
	return int(h.Sum32()%uint32(s.N)) == s.I
}

func (s Shard) String() string { return strconv.Itoa(s.I) + "/" + strconv.Itoa(s.N) }

// CheckShards looks at the shards a set of reports says it covers ("" for a report of no
// shard) before they are merged: the same shard twice would count its deaths twice, and
// shards of different N overlap. It returns the shards missing from a complete set, which
// leave the merged report partial.
func CheckShards(shards []string) (missing []Shard, err error) {
	seen := map[Shard]int{}
	n := 0
	for i, s := range shards {
		if s == "" {
			continue
		}
		sh, err := ParseShard(s)
		if err != nil {
			return nil, fmt.Errorf("report %d: %w", i+1, err)
		}
		if n != 0 && sh.N != n {
			return nil, fmt.Errorf("report %d is shard %s, but an earlier report is a shard of %d: shards of different counts overlap", i+1, sh, n)
		}
		n = sh.N
		if j, dup := seen[sh]; dup {
			return nil, fmt.Errorf("reports %d and %d are both shard %s: merging them would count its deaths twice", j, i+1, sh)
		}
		seen[sh] = i + 1
	}
	for i := 0; i < n; i++ {
		if _, ok := seen[Shard{i, n}]; !ok {
			missing = append(missing, Shard{i, n})
		}
	}
	return missing, nil
}
