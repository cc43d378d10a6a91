package correlate

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/k8s-coroner/coroner/parsers"
	"github.com/k8s-coroner/coroner/parsers/synth"
	"github.com/k8s-coroner/coroner/sources"
)

// BenchmarkAnalyzeDeaths parses and correlates a node's syslog of many real OOM kills
// (synth.Deaths: a crash-looping pod, many distinct pods, two victims in some containers):
// the time per kill must stay flat as the kills grow.
func BenchmarkAnalyzeDeaths(b *testing.B) {
	lab, err := synth.LabReport("..")
	if err != nil {
		b.Fatal(err)
	}
	for _, kills := range []int{1000, 10000, 50000} {
		b.Run(fmt.Sprintf("kills=%dk", kills/1000), func(b *testing.B) {
			var buf bytes.Buffer
			want, err := synth.Deaths(&buf, kills, lab)
			if err != nil {
				b.Fatal(err)
			}
			data := buf.Bytes()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var events []parsers.Event
				var inputs []*parsers.InputResult
				in := &sources.Input{Name: "messages", Records: sources.Lines(bytes.NewReader(data))}
				inputs = append(inputs, parsers.ParseInput(in, parsers.Options{Clock: parsers.Clock{Year: 2025}}, func(e parsers.Event) { events = append(events, e) }))
				rep := Analyze(inputs, events, Options{})
				if len(rep.Deaths) != want {
					b.Fatalf("%d deaths, want %d", len(rep.Deaths), want)
				}
			}
			b.ReportMetric(float64(kills)*float64(b.N)/b.Elapsed().Seconds(), "kills/s")
		})
	}
}
