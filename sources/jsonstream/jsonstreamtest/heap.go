// Package jsonstreamtest builds large JSON answers without holding them and measures what a
// decoder holds while it reads one: the tests of the stores' streaming decoders.
package jsonstreamtest

import (
	"io"
	"runtime"
	"strconv"
	"strings"
)

// Items is prefix, item(0), ",", item(1), … item(n-1), suffix, produced as it is read: an
// answer of any size that costs the test no memory.
func Items(prefix string, n int, item func(i int) string, suffix string) io.Reader {
	return &items{pending: prefix, n: n, item: item, suffix: suffix}
}

type items struct {
	pending string
	next, n int
	item    func(int) string
	suffix  string
	done    bool
}

func (it *items) Read(p []byte) (int, error) {
	written := 0
	for written < len(p) {
		if it.pending == "" {
			switch {
			case it.next < it.n:
				it.pending = it.item(it.next)
				if it.next > 0 {
					it.pending = "," + it.pending
				}
				it.next++
			case !it.done:
				it.pending, it.done = it.suffix, true
			default:
				if written == 0 {
					return 0, io.EOF
				}
				return written, nil
			}
		}
		c := copy(p[written:], it.pending)
		written += c
		it.pending = it.pending[c:]
	}
	return written, nil
}

// Live is the heap held now: the bytes of live objects after a collection.
func Live() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// A PeakReader reads r and, every Step bytes, measures the live heap: Peak is the most the
// reader's consumer held at any of those moments, over Base, the heap before the read began.
type PeakReader struct {
	r          io.Reader
	Step       int64
	Base, Peak uint64
	since      int64
	Total      int64 // bytes read in all
}

// NewPeakReader measures every step bytes of r.
func NewPeakReader(r io.Reader, step int64) *PeakReader {
	return &PeakReader{r: r, Step: step, Base: Live()}
}

func (p *PeakReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.since += int64(n)
	p.Total += int64(n)
	if p.since >= p.Step || err != nil {
		p.since = 0
		p.Sample()
	}
	return n, err
}

// Sample measures the live heap now.
func (p *PeakReader) Sample() {
	if live := Live(); live > p.Base && live-p.Base > p.Peak {
		p.Peak = live - p.Base
	}
}

// Line is a log line of n bytes, JSON-safe, different for each i.
func Line(i, n int) string {
	head := "kernel: Memory cgroup out of memory: Killed process " + strconv.Itoa(i) + " (app) "
	if len(head) >= n {
		return head[:n]
	}
	return head + strings.Repeat("x", n-len(head))
}
