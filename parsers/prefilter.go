package parsers

import (
	"bytes"
	"strings"
	"sync"
)

// prefilter answers "could any parser want this line?" before any framing or regex runs. It is
// the hot path over gigabytes of unrelated log, so it is a Wu-Manber multi-pattern scan over
// byte pairs: a window as long as the shortest trigger slides along the line, and the pair at
// its end says how far it may jump (a pair in no trigger's chosen window lets it jump almost
// the whole window). Each trigger is represented by the window of its own bytes whose last
// pair is least likely in log text, so the full comparison runs rarely. The cost per line
// barely grows with the number of triggers, which the earlier one-scan-per-anchor design did
// (ten anchors for 31 triggers doubled grep's time).
type prefilter struct {
	m     int            // length of the shortest trigger: the window
	shift [1 << 16]uint8 // how far the window may move for the pair at its end
	slot  [1 << 16]uint8 // 1 + index into cands of the triggers whose window ends with the pair
	cands [][]candidate
}

// candidate is a trigger whose chosen window starts off bytes into it.
type candidate struct {
	word []byte
	off  int
}

// prefilters are the tables built so far, by their triggers: a table is 128 KiB and read
// only once built, so every input of a run shares one instead of building its own (100 000
// small files would otherwise build, and keep, 100 000).
var prefilters sync.Map

// sharedPrefilter is the table for the triggers, built once.
func sharedPrefilter(triggers []string) *prefilter {
	key := strings.Join(triggers, "\x00")
	if p, ok := prefilters.Load(key); ok {
		return p.(*prefilter)
	}
	p, _ := prefilters.LoadOrStore(key, newPrefilter(triggers))
	return p.(*prefilter)
}

func newPrefilter(triggers []string) *prefilter {
	p := &prefilter{}
	for _, t := range triggers {
		if len(t) >= 2 && (p.m == 0 || len(t) < p.m) {
			p.m = len(t)
		}
	}
	p.m = min(p.m, 255)
	for i := range p.shift {
		p.shift[i] = uint8(max(p.m-1, 0))
	}
	for _, t := range triggers {
		if len(t) < 2 {
			continue // every trigger is longer; a pair is needed to index it
		}
		off := rarestWindow(t, p.m)
		w := t[off : off+p.m]
		for j := 0; j+1 < p.m; j++ {
			k := pairKey(w[j], w[j+1])
			p.shift[k] = min(p.shift[k], uint8(p.m-2-j))
		}
		k := pairKey(w[p.m-2], w[p.m-1])
		if p.slot[k] == 0 {
			p.cands = append(p.cands, nil)
			p.slot[k] = uint8(len(p.cands))
		}
		p.cands[p.slot[k]-1] = append(p.cands[p.slot[k]-1], candidate{[]byte(t), off})
	}
	return p
}

func pairKey(a, b byte) uint16 { return uint16(a)<<8 | uint16(b) }

// rarestWindow picks where in t the m-byte window starts whose last pair is rarest in log
// text, by a coarse class of each byte.
func rarestWindow(t string, m int) int {
	best, bestCost := 0, 1<<30
	for o := 0; o+m <= len(t); o++ {
		if c := byteCost(t[o+m-2]) + byteCost(t[o+m-1]); c < bestCost {
			best, bestCost = o, c
		}
	}
	return best
}

func byteCost(c byte) int {
	switch {
	case strings.IndexByte(" etaoinsr", c) >= 0:
		return 4
	case strings.IndexByte("lhdcumfpgwybv.:=\"_-/0123456789", c) >= 0:
		return 3
	case c >= 'a' && c <= 'z':
		return 2
	}
	return 1 // capitals, rare punctuation
}

// match reports whether line contains one of the triggers.
func (p *prefilter) match(line []byte) bool {
	if p.m < 2 {
		return false
	}
	for i := p.m - 1; i < len(line); {
		k := pairKey(line[i-1], line[i])
		if s := p.shift[k]; s > 0 {
			i += int(s)
			continue
		}
		if n := p.slot[k]; n > 0 {
			start := i - p.m + 1
			for _, c := range p.cands[n-1] {
				if s := start - c.off; s >= 0 && bytes.HasPrefix(line[s:], c.word) {
					return true
				}
			}
		}
		i++
	}
	return false
}
