package correlate

import (
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/parsers"
)

// TestReceiptTimes: journald imported an old report in a backlog at its start (received 30
// minutes after the kernel wrote it) and received a later one at once. The later one gives the
// boot time, which puts the old report back at its real time.
func TestReceiptTimes(t *testing.T) {
	boot := time.Date(2026, 11, 27, 18, 27, 30, 0, time.UTC)
	line := func(stamp, delay time.Duration) parsers.Evidence {
		return parsers.Evidence{Pos: parsers.Pos{Input: "journal", Line: 1}, Role: "kill", Received: true,
			HasBoot: true, Boot: stamp, Wall: boot.Add(stamp + delay)}
	}
	old := &parsers.KernelOOM{Lines: []parsers.Evidence{line(45*time.Second, 30*time.Minute)}}
	late := &parsers.KernelOOM{Lines: []parsers.Evidence{line(1873*time.Second, 2*time.Millisecond)}}
	correctReceiptTimes([]*parsers.KernelOOM{old, late})
	if got, want := old.Lines[0].Wall, boot.Add(45*time.Second+2*time.Millisecond); !got.Equal(want) {
		t.Errorf("backlog entry at %v, want %v", got, want)
	}
	if got, want := late.Lines[0].Wall, boot.Add(1873*time.Second+2*time.Millisecond); !got.Equal(want) {
		t.Errorf("prompt entry at %v, want %v", got, want)
	}
}
