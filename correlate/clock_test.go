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
	parsed := []*parsers.KernelOOM{old, late}
	oldWall := old.Lines[0].Wall
	clocks := alignClocks(parsed, time.Time{}, nil)
	got := clocks.aligned(parsed)
	if got, want := got[0].Lines[0].Wall, boot.Add(45*time.Second+2*time.Millisecond); !got.Equal(want) {
		t.Errorf("backlog entry at %v, want %v", got, want)
	}
	if got, want := got[1].Lines[0].Wall, boot.Add(1873*time.Second+2*time.Millisecond); !got.Equal(want) {
		t.Errorf("prompt entry at %v, want %v", got, want)
	}
	if !old.Lines[0].Wall.Equal(oldWall) {
		t.Errorf("the parsed event was changed: %v, was %v", old.Lines[0].Wall, oldWall)
	}
	if parsed[0] != nil || parsed[1] != nil {
		t.Error("the collect phase's list still holds the parsed reports: they would stay alive beside their copies")
	}
}

// TestAlignedCopies: a dmesg report without wall-clock stamps is aligned with the same kill in
// a syslog file. Every line of the copy gets its time, the oom_reaper line included, and the
// node the syslog names; the parser's event keeps its boot-relative stamps.
func TestAlignedCopies(t *testing.T) {
	boot := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	at := func(input string, stamp time.Duration, wall bool, role parsers.Role, body string) parsers.Evidence {
		e := parsers.Evidence{Pos: parsers.Pos{Input: input, Line: 1}, Role: role, Body: body, HasBoot: true, Boot: stamp}
		if wall {
			e.Wall, e.Host = boot.Add(stamp), "node-7"
		}
		return e
	}
	kill := "Killed process 42 (java) total-vm:100kB, anon-rss:90kB, file-rss:0kB, shmem-rss:0kB"
	dmesg := &parsers.KernelOOM{Lines: []parsers.Evidence{at("dmesg", 100*time.Second, false, "kill", kill)},
		Kills:  []parsers.Kill{{Evidence: at("dmesg", 100*time.Second, false, "kill", kill), PID: 42}},
		Reaped: []parsers.Reaped{{PID: 42, Evidence: at("dmesg", 101*time.Second, false, "reaper", "oom_reaper: reaped process 42")}}}
	syslog := &parsers.KernelOOM{Host: "node-7", Lines: []parsers.Evidence{at("messages", 100*time.Second, true, "kill", kill)}}
	parsed := []*parsers.KernelOOM{dmesg, syslog}
	got := alignClocks(parsed, time.Time{}, nil).aligned(parsed)[0]
	if got.Host != "node-7" || !got.Lines[0].Wall.Equal(boot.Add(100*time.Second)) || !got.Kills[0].Evidence.Wall.Equal(boot.Add(100*time.Second)) {
		t.Errorf("aligned copy: host %q, line at %v, kill at %v", got.Host, got.Lines[0].Wall, got.Kills[0].Evidence.Wall)
	}
	if !got.Reaped[0].Evidence.Wall.Equal(boot.Add(101 * time.Second)) {
		t.Errorf("the reaper line is at %v, want %v", got.Reaped[0].Evidence.Wall, boot.Add(101*time.Second))
	}
	if dmesg.Host != "" || !dmesg.Lines[0].Wall.IsZero() || !dmesg.Kills[0].Evidence.Wall.IsZero() || !dmesg.Reaped[0].Evidence.Wall.IsZero() {
		t.Errorf("the parsed event was changed: %+v", dmesg)
	}
}
