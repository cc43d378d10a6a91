package parsers

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/k8s-coroner/coroner/sources"
)

// FuzzJournalExport reads journalctl -o export. An entry of arbitrary MESSAGE, time and
// monotonic stamp round-trips: its message is the MESSAGE (invalid UTF-8 repaired byte by
// byte, as the JSON decoding it goes through does), at the time given, and quoteJSON always
// writes a JSON string of it. An arbitrary stream after an export header goes through the
// whole pipeline without a panic, every event it yields placed on a line of the stream.
func FuzzJournalExport(f *testing.F) {
	f.Add("Memory cgroup out of memory: Killed process 42 (app)", int64(1795805940123456), "374309521", "_HOSTNAME=node1\n\nMESSAGE=second\n")
	f.Fuzz(func(t *testing.T, msg string, usec int64, mono string, rest string) {
		q := quoteJSON(msg)
		var back string
		if err := json.Unmarshal(q, &back); err != nil || back != string([]rune(msg)) {
			t.Fatalf("quoteJSON(%q) = %s reads back as %q (%v)", msg, q, back, err)
		}
		e := newExportEntry()
		lines := []string{"MESSAGE=" + msg, "__REALTIME_TIMESTAMP=" + strconv.FormatInt(usec, 10), "_SOURCE_MONOTONIC_TIMESTAMP=" + mono, "_TRANSPORT=kernel"}
		for i, l := range lines {
			if !strings.Contains(l, "\n") {
				e.add([]byte(l), i+1, func([]byte) bool { return true })
			}
		}
		var m Message
		if !strings.Contains(msg, "\n") {
			if !e.message(&m) {
				t.Fatalf("entry %q gave no message", lines)
			}
			if m.Text != string([]rune(msg)) || m.Wall.UnixMicro() != usec || m.Program != "kernel" || m.HasBoot && m.Boot < 0 {
				t.Fatalf("entry %q gave %+v", lines, m)
			}
		}

		text := "__CURSOR=s=1;i=1\n" + strings.Join(lines, "\n") + "\n\n" + rest
		n := strings.Count(text, "\n") + 1
		in := &sources.Input{Name: "export", Records: sources.Lines(strings.NewReader(text))}
		ParseInput(in, Options{}, func(ev Event) {
			if p := ev.First(); p.Line < 0 || p.Line > n {
				t.Fatalf("event at line %d of %d", p.Line, n)
			}
		})
	})
}
