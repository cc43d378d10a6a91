package parsers

import (
	"bytes"
	"sort"
	"strings"
)

// prefilter answers "could any parser want this line?" before any framing or regex runs. It is
// the hot path over gigabytes of unrelated log, so it scans each line for a few short anchors
// shared by several triggers (chosen by a greedy set cover over the triggers' 3-byte windows)
// and checks the full trigger words only where an anchor occurs.
type prefilter struct {
	anchors []anchor
}

type anchor struct {
	gram     []byte
	triggers [][]byte
}

func newPrefilter(triggers []string) *prefilter {
	uncovered := map[string]bool{}
	for _, t := range triggers {
		uncovered[t] = true
	}
	p := &prefilter{}
	for len(uncovered) > 0 {
		best, covers := bestGram(uncovered)
		a := anchor{gram: []byte(best)}
		for _, t := range covers {
			a.triggers = append(a.triggers, []byte(t))
			delete(uncovered, t)
		}
		p.anchors = append(p.anchors, a)
	}
	return p
}

// bestGram returns the 3-byte window found in the most uncovered triggers (ties broken by
// the window's text, for a stable choice), and those triggers. A trigger shorter than three
// bytes is its own anchor.
func bestGram(uncovered map[string]bool) (string, []string) {
	count := map[string][]string{}
	for t := range uncovered {
		if len(t) < 3 {
			count[t] = append(count[t], t)
			continue
		}
		seen := map[string]bool{}
		for i := 0; i+3 <= len(t); i++ {
			g := t[i : i+3]
			if !seen[g] {
				seen[g] = true
				count[g] = append(count[g], t)
			}
		}
	}
	// bytes.Index finds a gram by jumping to each occurrence of its first byte, so a gram that
	// starts with a byte frequent in log text (space, common lower-case letters) costs many
	// false starts per line: such grams are used only when nothing else covers a trigger.
	best := ""
	better := func(g string, ts []string) bool {
		if best == "" {
			return true
		}
		if cg, cb := commonStart(g), commonStart(best); cg != cb {
			return !cg
		}
		return len(ts) > len(count[best]) || (len(ts) == len(count[best]) && g < best)
	}
	for g, ts := range count {
		if better(g, ts) {
			best = g
		}
	}
	covers := count[best]
	sort.Strings(covers)
	return best, covers
}

// match reports whether line contains one of the triggers.
func (p *prefilter) match(line []byte) bool {
	for _, a := range p.anchors {
		if !bytes.Contains(line, a.gram) {
			continue
		}
		for _, t := range a.triggers {
			if bytes.Contains(line, t) {
				return true
			}
		}
	}
	return false
}

// commonStart reports a gram whose first byte is frequent in log text.
func commonStart(g string) bool {
	return len(g) > 0 && strings.IndexByte(" etaoinsrlcdu.:=\"_-/0123456789", g[0]) >= 0
}
