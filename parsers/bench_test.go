package parsers

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/k8s-coroner/coroner/parsers/synth"
	"github.com/k8s-coroner/coroner/sources"
)

// benchFile generates the syslog the benchmarks read, once per run.
var benchFile = sync.OnceValues(func() (string, error) {
	report, err := synth.LabReport("..")
	if err != nil {
		return "", err
	}
	path := filepath.Join(os.TempDir(), "coroner-bench-syslog.log")
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	_, err = synth.Syslog(f, 64<<20, 20000, report)
	return path, err
})

// BenchmarkKernelParser reads, prefilters, frames and parses a 64 MiB syslog with real OOM
// reports sprinkled in: the whole pipeline of one input.
func BenchmarkKernelParser(b *testing.B) {
	benchPipeline(b, startBenchFile(b, benchFile))
}

// benchPipeline runs every parser over the file, as coroner analyze does for one input.
func benchPipeline(b *testing.B, path string) {
	for i := 0; i < b.N; i++ {
		src := &sources.Files{Paths: []string{path}}
		events := 0
		for in, err := range src.Inputs() {
			if err != nil {
				b.Fatal(err)
			}
			ParseInput(in, Options{Clock: Clock{Year: 2025}}, func(Event) { events++ })
		}
		if events == 0 {
			b.Fatal("no event found")
		}
	}
}

// benchGrep is the yardstick: grep -cE with every parser's trigger words over the same file.
func benchGrep(b *testing.B, file func() (string, error)) {
	grep, err := exec.LookPath("grep")
	if err != nil {
		b.Skip("no grep")
	}
	path := startBenchFile(b, file)
	for i := 0; i < b.N; i++ {
		out, err := exec.Command(grep, "-cE", TriggerPattern(), path).Output()
		if err != nil || strings.TrimSpace(string(out)) == "0" {
			b.Fatalf("grep: %v %s", err, out)
		}
	}
}

// BenchmarkGrepBaseline is grep -cE over the same syslog, in the same run.
func BenchmarkGrepBaseline(b *testing.B) { benchGrep(b, benchFile) }

// kubeletFile is a 64 MiB kubelet journal with the real eviction lines of
// testdata/excerpts/kubelet/eviction-structured-ephemeral-ranked-evicted-journal-k8s-132001.log
// every 20000 lines.
var kubeletFile = sync.OnceValues(func() (string, error) {
	raw, err := os.ReadFile("../testdata/excerpts/kubelet/eviction-structured-ephemeral-ranked-evicted-journal-k8s-132001.log")
	if err != nil {
		return "", err
	}
	path := filepath.Join(os.TempDir(), "coroner-bench-kubelet.log")
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	_, err = synth.KubeletJournal(f, 64<<20, 20000, strings.Split(strings.TrimSpace(string(raw)), "\n"))
	return path, err
})

// BenchmarkKubeletJournal runs the whole pipeline (all parsers) over a kubelet journal.
func BenchmarkKubeletJournal(b *testing.B) {
	benchPipeline(b, startBenchFile(b, kubeletFile))
}

// BenchmarkKubeletGrepBaseline is grep -cE with every parser's trigger words over the same
// kubelet journal.
func BenchmarkKubeletGrepBaseline(b *testing.B) { benchGrep(b, kubeletFile) }

// startBenchFile returns the generated file and makes the benchmark report MB/s over it.
func startBenchFile(b *testing.B, file func() (string, error)) string {
	b.Helper()
	path, err := file()
	if err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ResetTimer()
	return path
}

// BenchmarkEventsList decodes a kubectl get events -o json List of 50000 Events (built with
// the k8s.io/api types) and reports objects per second.
func BenchmarkEventsList(b *testing.B) {
	path := startBenchFile(b, eventsFile)
	for i := 0; i < b.N; i++ {
		src := &sources.Files{Paths: []string{path}}
		n := 0
		for in, err := range src.Inputs() {
			if err != nil {
				b.Fatal(err)
			}
			ParseInput(in, Options{}, func(e Event) {
				if _, ok := e.(*KubeEvent); ok {
					n++
				}
			})
		}
		if n != benchEvents {
			b.Fatalf("decoded %d events, want %d", n, benchEvents)
		}
	}
	b.ReportMetric(float64(benchEvents)*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
}
