package parsers

import (
	"bufio"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/sources"
)

// TestResultLetsTheRunGo: an input's result must not hold its run. The run holds the parsers'
// state and the emit function, and so every event of the input: when the result pointed
// into it, a report naming 50k kills kept each of them twice (130 MB more at the end).
func TestResultLetsTheRunGo(t *testing.T) {
	text := "Mar 29 00:37:00 node1 kernel: Memory cgroup out of memory: Killed process 10111 (memhog) total-vm:1259964kB, anon-rss:32384kB, file-rss:944kB, shmem-rss:0kB, UID:0 pgtables:148kB oom_score_adj:0\n"
	in := &sources.Input{Name: "syslog", Raw: func(read func(*bufio.Reader) error) error {
		return read(bufio.NewReader(strings.NewReader(text)))
	}}
	// The probe is what an emit function holds (analysis keeps the input's events there);
	// the run holds the function. A finalizer on the run itself would never run: the run
	// reaches itself through its own closures.
	released := make(chan struct{})
	events := 0
	res := func() *InputResult {
		held := &[]Event{}
		runtime.SetFinalizer(held, func(*[]Event) { close(released) })
		return ParseInput(in, Options{Clock: Clock{Year: 2025}}, func(e Event) {
			*held = append(*held, e)
			events++
		})
	}()
	for range 20 {
		runtime.GC()
		select {
		case <-released:
			if events != 1 || res.Lines != 1 {
				t.Errorf("%d events from %d lines, want 1 from 1", events, res.Lines)
			}
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Errorf("the run of %s is still reachable from its result", res.Name)
}

// TestManySmallInputsShareOneTable: the results of thousands of tiny inputs, kept as a
// report keeps them, hold a few hundred bytes each, not the 128 KiB prefilter table each
// input once built for itself (100k tiny files took 14.4 GB).
func TestManySmallInputsShareOneTable(t *testing.T) {
	const n = 2000
	text := "Mar 29 00:37:00 node1 systemd[1]: Started Session 3 of user core.\n"
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	results := make([]*InputResult, 0, n)
	for i := range n {
		in := &sources.Input{Name: "f" + strings.Repeat("x", i%7), Raw: func(read func(*bufio.Reader) error) error {
			return read(bufio.NewReader(strings.NewReader(text)))
		}}
		results = append(results, ParseInput(in, Options{Clock: Clock{Year: 2025}}, func(Event) {}))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > n*8<<10 {
		t.Errorf("%d small inputs' results hold %d KiB, %d bytes each: per-input state outlives the input", n, grown>>10, grown/n)
	}
	runtime.KeepAlive(results)
}
