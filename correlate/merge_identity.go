package correlate

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// Reports merged by MergeReports may overlap: the same report given twice, or runs whose
// ranges touch. A death is the same death when it names the same node, container and victim
// at the same time; it is kept once, in the copy with the most proof lines.

// deathIdentity is what makes a death the one it is, whatever report it came from.
func deathIdentity(d *report.Death) string {
	var b strings.Builder
	for _, s := range []string{d.Node, d.Namespace, d.Pod, d.PodUID, d.Container, d.ContainerID, d.ContainerIDPrefix, d.Cgroup} {
		b.WriteString(s)
		b.WriteByte(0)
	}
	switch {
	case d.Time != nil:
		b.WriteString(d.Time.UTC().Format(time.RFC3339Nano))
	case d.BootTime != nil:
		b.WriteString("boot+" + strconv.FormatFloat(*d.BootTime, 'f', -1, 64))
	default:
		b.WriteString("age " + d.Age)
	}
	if d.Victim != nil {
		fmt.Fprintf(&b, "\x00%d\x00%s", d.Victim.PID, d.Victim.Process)
	}
	return b.String()
}

// dedupDeaths keeps one death of each identity, the one with the most proof lines, in the
// order of first appearance; it returns how many copies it dropped.
func dedupDeaths(ds []report.Death) ([]report.Death, int) {
	at := make(map[string]int, len(ds))
	out := ds[:0]
	for _, d := range ds {
		id := deathIdentity(&d)
		if i, ok := at[id]; ok {
			if len(d.Evidence) > len(out[i].Evidence) {
				out[i] = d
			}
			continue
		}
		at[id] = len(out)
		out = append(out, d)
	}
	return out, len(ds) - len(out)
}

// dedupByContent keeps the first of each element whose JSON form is the same (pressure
// episodes, incomplete reports, inputs: a second copy can only come from the same evidence
// or the same input read twice), and says where each element went.
func dedupByContent[T any](xs []T) (kept []T, index []int) {
	at := map[string]int{}
	index = make([]int, len(xs))
	for i, x := range xs {
		b, err := json.Marshal(x)
		key := string(b)
		if err != nil { // cannot happen for report types; keep the element rather than lose it
			key = fmt.Sprintf("\x00unique %d", i)
		}
		if j, ok := at[key]; ok {
			index[i] = j
			continue
		}
		at[key] = len(kept)
		index[i] = len(kept)
		kept = append(kept, x)
	}
	return kept, index
}
