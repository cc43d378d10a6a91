package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/correlate"
	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
	"github.com/k8s-coroner/coroner/sources"
)

// FuzzRender renders arbitrary reports in every format: a JSON report as coroner merge
// reads one (any fields, any values), else the report Analyze makes of the text as a log.
// No renderer may panic or fail on a buffer; each output is bounded by the report's size;
// the JSON report reads back and renders to the same bytes (idempotence, the contract merge
// relies on); every JSON-lines line is JSON of its own.
func FuzzRender(f *testing.F) {
	f.Add(`{"schema":"coroner/v1","deaths":[{"node":"n1","pod":"web","mechanism":"cgroup-oom","time":"2026-11-27T19:05:40Z","evidence":[{"input":"dmesg","line":3,"text":"<b>\u001b[2J"}]}],"warnings":["w"]}`, 80)
	f.Add("[  100.000001] app invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n[  100.000400] Memory cgroup out of memory: Killed process 42 (app) total-vm:1000kB, anon-rss:900kB, file-rss:0kB\n", 0)
	f.Fuzz(func(t *testing.T, in string, width int) {
		var rep report.Report
		if json.Unmarshal([]byte(in), &rep) != nil {
			src := &sources.Input{Name: "fuzz", ModTime: time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), Records: sources.Lines(strings.NewReader(in))}
			var events []parsers.Event
			res := parsers.ParseInput(src, parsers.Options{}, func(e parsers.Event) { events = append(events, e) })
			rep = *correlate.Analyze([]*parsers.InputResult{res}, events, correlate.Options{})
		}
		var js bytes.Buffer
		if err := JSON(&js, &rep); err != nil {
			t.Fatalf("JSON: %v", err)
		}
		// Every renderer writes at most a bounded multiple of what the report holds: the
		// JSON, plus the fixed furniture of a page.
		limit := 64*js.Len() + 1<<16
		for _, format := range Formats {
			for _, opts := range []Options{{Width: width % 400}, {Verbose: true, Color: true}} {
				var out bytes.Buffer
				if err := Write(&out, format, &rep, opts); err != nil {
					t.Fatalf("%s: %v", format, err)
				}
				if out.Len() > limit {
					t.Fatalf("%s wrote %d bytes for a %d-byte report", format, out.Len(), js.Len())
				}
			}
		}
		var back report.Report
		if err := json.Unmarshal(js.Bytes(), &back); err != nil {
			t.Fatalf("the JSON report does not read back: %v\n%s", err, js.Bytes())
		}
		var again bytes.Buffer
		if err := JSON(&again, &back); err != nil || !bytes.Equal(js.Bytes(), again.Bytes()) {
			t.Fatalf("JSON → report → JSON changed it (%v):\n%s\n%s", err, js.Bytes(), again.Bytes())
		}
		var jl bytes.Buffer
		if err := JSONLines(&jl, &rep); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(&jl)
		sc.Buffer(nil, jl.Len()+1)
		for sc.Scan() {
			if !json.Valid(sc.Bytes()) {
				t.Fatalf("JSON line %q", sc.Bytes())
			}
		}
	})
}
