package gctune

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	tests := []struct {
		reason string
		live   uint64
		want   int
	}{
		{"nothing measured yet: Go's default", 0, 100},
		{"a small heap keeps the default", 16 << 20, 100},
		{"at Headroom live, doubling is Headroom of growth", Headroom, 100},
		{"twice Headroom: half the default", 2 * Headroom, 50},
		{"200 MB live (50k deaths): Headroom of growth", 200 << 20, 32},
		{"a huge heap grows by a quarter at least", 4 << 30, minPercent},
	}
	for _, tt := range tests {
		if got := Percent(tt.live); got != tt.want {
			t.Errorf("%s: Percent(%d MiB) = %d, want %d", tt.reason, tt.live>>20, got, tt.want)
		}
	}
}

// TestRetunesAfterCollections: with a large live heap, the collector's percentage comes
// down after the next collections, unless the user set GOGC.
func TestRetunesAfterCollections(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	live := make([][]byte, 0, 64)
	for range 48 {
		live = append(live, make([]byte, 8<<20)) // 384 MiB live
	}
	percentAfterCollections := func() int {
		got := 100
		for range 50 {
			runtime.GC()
			time.Sleep(time.Millisecond) // the finalizer runs on its own goroutine
			if got = debug.SetGCPercent(100); got != 100 {
				break
			}
		}
		return got
	}
	t.Setenv("GOGC", "100")
	defer Start()()
	if got := percentAfterCollections(); got != 100 {
		t.Errorf("with GOGC set, the percentage became %d", got)
	}
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	stop := Start()
	got := percentAfterCollections()
	stop()
	runtime.KeepAlive(live)
	if got >= 100 || got < minPercent {
		t.Errorf("GOGC with 384 MiB live is %d, want between %d and 100", got, minPercent)
	}
}
