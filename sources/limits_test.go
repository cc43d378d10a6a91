package sources

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ulikunitz/xz"
)

const killLine = "[  374.309999] Memory cgroup out of memory: Killed process 14068 (memhog) total-vm:1259964kB, anon-rss:32384kB, file-rss:944kB, shmem-rss:0kB\n"

// nestedArchives is depth archives, each the only member of the next, the innermost holding
// a kernel log: what an attacker (or a loop in a collector) makes.
func nestedArchives(t *testing.T, depth int, compress func(*testing.T, []byte) []byte, ext string) []byte {
	t.Helper()
	data := compress(t, tarOf(t, []member{{name: "var/log/dmesg", body: killLine}}))
	for i := 1; i < depth; i++ {
		data = compress(t, tarOf(t, []member{{name: fmt.Sprintf("layer%d%s", i, ext), body: string(data)}}))
	}
	return data
}

// smallXZ compresses with a 1 MiB dictionary: 300 layers of the default 8 MiB one take
// gigabytes to write (and ulikunitz/xz writes streams no decoder reads back with a 4 KiB one).
func smallXZ(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	w, err := xz.WriterConfig{DictCap: 1 << 20}.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// readAllInputs reads every input's records and returns the names of the inputs read and
// every archive warning.
func readAllInputs(t *testing.T, f *Files) (names, warnings []string) {
	hangGuard(t, "reading the inputs", func() {
		for in, err := range f.Inputs() {
			if err != nil {
				warnings = append(warnings, err.Error())
				continue
			}
			for _, err := range in.Records {
				if err != nil {
					warnings = append(warnings, err.Error())
				}
			}
			names = append(names, in.Name)
		}
	})
	for _, a := range f.Archives {
		warnings = append(warnings, a.Warnings...)
	}
	return names, warnings
}

func anyContains(list []string, s string) bool {
	for _, l := range list {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

func writeTemp(t *testing.T, name string, data []byte) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// 40 .tar.xz inside each other, read to the innermost log with the depth cap raised: the
// decoders run inside each other, and at most one of them is an xz process (the rest decode
// in process), where each layer used to start its own (300 started ~260 xz at once).
func TestNestedXZOneDecoderProcess(t *testing.T) {
	if _, err := exec.LookPath("xz"); err != nil || xzTool() == "" {
		t.Skip("xz not installed: every layer decodes in process anyway")
	}
	p := writeTemp(t, "bomb.tar.xz", nestedArchives(t, 40, smallXZ, ".tar.xz"))
	procs.most.Store(procs.running.Load())
	before := procs.running.Load()
	f := &Files{Paths: []string{p}, Limits: Limits{Depth: 1000}}
	names, warnings := readAllInputs(t, f)
	if len(names) != 1 || !strings.HasSuffix(names[0], "var/log/dmesg") {
		t.Errorf("inputs %q, warnings %q: want the innermost log", names, warnings)
	}
	if most := procs.most.Load() - before; most > 1 {
		t.Errorf("%d xz processes ran at once, want at most 1", most)
	}
}

// Past the depth cap a nested archive is not opened: it is named in a warning and the path
// is said to be incomplete. 200 nested .tar.gz used to be opened to the last, each layer's
// decoder and buffers alive at once (5,000 took 1.7 GB).
func TestNestingDepthCap(t *testing.T) {
	p := writeTemp(t, "bomb.tar.gz", nestedArchives(t, 200, gzipBytes, ".tar.gz"))
	f := &Files{Paths: []string{p}}
	names, warnings := readAllInputs(t, f)
	if len(names) != 0 {
		t.Errorf("inputs %q read past the depth cap", names)
	}
	want := fmt.Sprintf("layer195.tar.gz: not read: an archive %d archives deep, over the cap (--max-depth %d)", DefaultLimits.Depth+1, DefaultLimits.Depth)
	if !anyContains(warnings, want) || !anyContains(f.Incomplete(), want) {
		t.Errorf("warnings %q, incomplete %q: want %q in both", warnings, f.Incomplete(), want)
	}
}

// Past the member cap the walk stops, with a warning naming the first member not read.
func TestMemberCap(t *testing.T) {
	var ms []member
	for i := range 50 {
		ms = append(ms, member{name: fmt.Sprintf("logs/kern%02d.log", i), body: killLine})
	}
	p := writeTemp(t, "many.tar", tarOf(t, ms))
	f := &Files{Paths: []string{p}, Limits: Limits{Members: 10}}
	names, warnings := readAllInputs(t, f)
	if len(names) != 10 {
		t.Errorf("%d inputs read, want the 10 the cap allows", len(names))
	}
	want := "not read from member logs/kern10.log on: over the cap of 10 members (--max-members)"
	if !anyContains(warnings, want) || !anyContains(f.Incomplete(), want) {
		t.Errorf("warnings %q, incomplete %q: want %q in both", warnings, f.Incomplete(), want)
	}
}

// The decoded bytes of a path are capped: what came before the cap is read, the input is
// said to be cut there and the path incomplete.
func TestDecodedBytesCap(t *testing.T) {
	log := bytes.Repeat([]byte(killLine), 2000) // 270 KB
	p := writeTemp(t, "kern.log.gz", gzipBytes(t, log))
	f := &Files{Paths: []string{p}, Limits: Limits{Bytes: 100 << 10}}
	names, warnings := readAllInputs(t, f)
	want := "kern.log.gz: not read past decoded byte"
	if len(names) != 1 || !anyContains(warnings, want) || !anyContains(warnings, "(--max-bytes 102400)") || !anyContains(f.Incomplete(), want) {
		t.Errorf("inputs %q, warnings %q, incomplete %q", names, warnings, f.Incomplete())
	}
}

// A decoder that produces far more than its input could hold of logs (zeros, a bomb) is
// stopped at the ratio cap.
func TestDecompressionRatioCap(t *testing.T) {
	p := writeTemp(t, "zeros.gz", gzipBytes(t, make([]byte, 4<<20)))
	f := &Files{Paths: []string{p}, Limits: Limits{Ratio: 50, ratioFloor: 1 << 20}}
	_, warnings := readAllInputs(t, f)
	want := "zeros.gz: not read past decoded byte"
	if !anyContains(warnings, want) || !anyContains(warnings, "more than 50 times its compressed size (--max-ratio)") || !anyContains(f.Incomplete(), want) {
		t.Errorf("warnings %q, incomplete %q", warnings, f.Incomplete())
	}
}
