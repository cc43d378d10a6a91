package parsers

import (
	"bufio"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/sources"
)

// TestKubeletRepeatsFold: of a run of eviction-manager lines that repeat each other, the
// first five are events and the rest are counted in the fifth, with the last one's time; a
// pause of over a minute, another ranking or another node starts a run of its own. A
// million such lines took 2.1 GB as a million events.
func TestKubeletRepeatsFold(t *testing.T) {
	at := time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)
	var b strings.Builder
	line := func(t time.Time, node, msg string) {
		fmt.Fprintf(&b, "%s %s kubelet[1187]: I%s    1187 eviction_manager.go:366] %s\n", t.Format("Jan 02 15:04:05"), node, t.Format("0102 15:04:05.000000"), msg)
	}
	reclaim := `"Eviction manager: attempting to reclaim" resourceName="memory"`
	for i := range 1000 { // a run of 1000, ten seconds apart
		line(at.Add(time.Duration(i)*10*time.Second), "node-3", reclaim)
	}
	resumed := at.Add(999*10*time.Second + 2*time.Minute) // after a pause: a run of its own
	for i := range 3 {
		line(resumed.Add(time.Duration(i)*10*time.Second), "node-3", reclaim)
	}
	line(resumed, "node-4", reclaim) // another node
	in := &sources.Input{Name: "kubelet.log", Raw: func(read func(*bufio.Reader) error) error {
		return read(bufio.NewReader(strings.NewReader(b.String())))
	}}
	var lines []*KubeletLine
	ParseInput(in, Options{Clock: Clock{Year: 2026, Loc: time.UTC}}, func(e Event) {
		if l, ok := e.(*KubeletLine); ok {
			lines = append(lines, l)
		}
	})
	type got struct {
		host    string
		at      string
		repeats int
		until   string
	}
	var have []got
	total := 0
	for _, l := range lines {
		u := ""
		if !l.Until.IsZero() {
			u = l.Until.Format("15:04:05")
		}
		have = append(have, got{l.Host, l.Evidence.Wall.Format("15:04:05"), l.Repeats, u})
		total += 1 + l.Repeats
	}
	want := []got{
		{"node-3", "14:00:00", 0, ""}, {"node-3", "14:00:10", 0, ""}, {"node-3", "14:00:20", 0, ""},
		{"node-3", "14:00:30", 0, ""}, {"node-3", "14:00:40", 995, "16:46:30"},
		{"node-3", "16:48:30", 0, ""}, {"node-3", "16:48:40", 0, ""}, {"node-3", "16:48:50", 0, ""},
		{"node-4", "16:48:30", 0, ""},
	}
	if fmt.Sprint(have) != fmt.Sprint(want) {
		t.Errorf("events:\n got %v\nwant %v", have, want)
	}
	if total != 1004 {
		t.Errorf("the events count %d lines, want all 1004", total)
	}
}
