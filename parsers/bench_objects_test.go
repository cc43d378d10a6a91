package parsers

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/k8s-coroner/coroner/parsers/synth"
	"github.com/k8s-coroner/coroner/sources"
)

// benchListPods is how many Pods BenchmarkListDecoder's List holds: about 80 MB as kubectl
// prints it, enough for the decoder's own costs to dominate.
const benchListPods = 10000

// benchObjects runs the pipeline over an in-memory input as a file source would give it and
// reports the bytes per second and allocations; want is how many events it must yield.
func benchObjects(b *testing.B, data []byte, want int) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		events := 0
		res := ParseInput(bytesInput("bench", data), Options{Clock: Clock{Year: 2025}}, func(Event) { events++ })
		if events != want {
			b.Fatalf("%d events, want %d; warnings %v", events, want, res.Warnings)
		}
	}
}

// BenchmarkListDecoder decodes a kubectl get pods -A -o json List of benchListPods Pods
// (synth.Pod: about 8 KB each, every 50th OOMKilled) into PodStatus events.
func BenchmarkListDecoder(b *testing.B) {
	var buf bytes.Buffer
	pods, _, err := synth.PodList(&buf, benchListPods*8<<10, 50, false)
	if err != nil {
		b.Fatal(err)
	}
	benchObjects(b, buf.Bytes(), pods)
}

// BenchmarkListDecoderOneLine is the same List on one line, as jq -c and the API print it.
func BenchmarkListDecoderOneLine(b *testing.B) {
	var buf bytes.Buffer
	pods, _, err := synth.PodList(&buf, benchListPods*3<<10, 50, true)
	if err != nil {
		b.Fatal(err)
	}
	benchObjects(b, buf.Bytes(), pods)
}

// BenchmarkEventsYAML decodes a 16 MiB events List in YAML, as kubectl get events -o yaml and
// a must-gather's events.yaml print it.
func BenchmarkEventsYAML(b *testing.B) {
	var buf bytes.Buffer
	n, err := synth.EventsYAML(&buf, 16<<20, 100)
	if err != nil {
		b.Fatal(err)
	}
	benchObjects(b, buf.Bytes(), memoryEvents(n, 100))
}

// bytesInput is an input of data as sources.Files gives a file's: lines, and the raw stream.
func bytesInput(name string, data []byte) *sources.Input {
	raw := func(read func(*bufio.Reader) error) error {
		return read(bufio.NewReaderSize(bytes.NewReader(data), sources.MaxLineBytes))
	}
	return &sources.Input{Name: name, Records: sources.RawLines(raw), Raw: raw}
}

// memoryEvents is how many of the first n of synth's Events the decoder emits: those whose
// reason says something of memory, and the first.
func memoryEvents(n, evictEvery int) int {
	want := 0
	for i := range n {
		if i == 0 || MemoryEventReasons[synth.Event(i, evictEvery).Reason] {
			want++
		}
	}
	return want
}
