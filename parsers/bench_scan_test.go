package parsers

import (
	"bufio"
	"bytes"
	"os"
	"testing"

	"github.com/k8s-coroner/coroner/sources"
)

// benchBytes is the benchmark syslog in memory, so that the scans below measure the CPU,
// not the page cache.
func benchBytes(b *testing.B) []byte {
	b.Helper()
	path, err := benchFile()
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	return data
}

// BenchmarkPrefilter is the prefilter alone over every line of the syslog, on one core: the
// floor of the work per unrelated line.
func BenchmarkPrefilter(b *testing.B) {
	data := benchBytes(b)
	f := sharedPrefilter(registryTriggers())
	for i := 0; i < b.N; i++ {
		hits := 0
		for line := range bytes.Lines(data) {
			if f.match(line) {
				hits++
			}
		}
		if hits == 0 {
			b.Fatal("no hit")
		}
	}
}

// BenchmarkBlockScan is the whole pipeline over the syslog read in blocks, prefiltered on
// every core (the path of files, archive members and stdin).
func BenchmarkBlockScan(b *testing.B) {
	data := benchBytes(b)
	for i := 0; i < b.N; i++ {
		in := &sources.Input{Name: "bench", Raw: func(read func(*bufio.Reader) error) error {
			return read(bufio.NewReaderSize(bytes.NewReader(data), sources.MaxLineBytes))
		}}
		benchParse(b, in)
	}
}

// BenchmarkRecordScan is the same pipeline record by record on one core (the path of log
// stores' entries), the yardstick of the block scan.
func BenchmarkRecordScan(b *testing.B) {
	data := benchBytes(b)
	for i := 0; i < b.N; i++ {
		benchParse(b, &sources.Input{Name: "bench", Records: sources.Lines(bytes.NewReader(data))})
	}
}

func benchParse(b *testing.B, in *sources.Input) {
	events := 0
	ParseInput(in, Options{Clock: Clock{Year: 2025}}, func(Event) { events++ })
	if events == 0 {
		b.Fatal("no event found")
	}
}

func registryTriggers() []string {
	var out []string
	for _, s := range Registry {
		out = append(out, s.Triggers...)
	}
	return out
}
