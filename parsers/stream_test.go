package parsers

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/k8s-coroner/coroner/parsers/synth"
	"github.com/k8s-coroner/coroner/sources"
)

// parseBoth parses text record by record and as a stream in blocks of the given size, and
// returns what each gave, as JSON: the events and the input's result.
func parseBoth(t testing.TB, text []byte, size int, readErr error) (records, stream string) {
	t.Helper()
	saved := blockSize
	blockSize = size
	defer func() { blockSize = saved }()
	open := func() io.Reader {
		var r io.Reader = bytes.NewReader(text)
		if readErr != nil {
			r = io.MultiReader(r, errReader{readErr})
		}
		return r
	}
	run := func(in *sources.Input) string {
		var events []Event
		res := ParseInput(in, Options{Clock: Clock{Year: 2025}}, func(e Event) { events = append(events, e) })
		b, err := json.MarshalIndent(struct {
			Events []Event
			Result *InputResult
		}{events, res}, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	records = run(&sources.Input{Name: "in", Records: sources.Lines(open())})
	stream = run(&sources.Input{Name: "in", Raw: func(read func(*bufio.Reader) error) error {
		return read(bufio.NewReaderSize(open(), sources.MaxLineBytes))
	}})
	return records, stream
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// TestStreamMatchesRecords: reading an input in blocks on every core gives exactly what
// reading it line by line gives, for every input of the golden suite (each repeated until
// it spans many blocks, so that reports, pastes, tables and wrapped lines are cut at block
// edges), and for inputs built to stress the edges.
func TestStreamMatchesRecords(t *testing.T) {
	const small = 4 << 10 // blocks of 4 KiB: every report of the suite crosses an edge somewhere
	cases, err := filepath.Glob("../golden/testdata/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	inputs := 0
	for _, path := range cases {
		ar, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if strings.HasPrefix(f.Name, "want.") || f.Name == "args" || len(f.Data) == 0 {
				continue
			}
			inputs++
			text := bytes.Repeat(f.Data, max(1, 32*small/len(f.Data)))
			name := filepath.Base(path) + ":" + f.Name
			t.Run(name, func(t *testing.T) {
				records, stream := parseBoth(t, text, small, nil)
				if diff := cmp.Diff(records, stream); diff != "" {
					t.Errorf("%s: the stream differs from the records (-records +stream):\n%s", name, diff)
				}
			})
		}
	}
	if inputs < 90 {
		t.Fatalf("only %d golden inputs found", inputs)
	}
}

func TestStreamEdges(t *testing.T) {
	report, err := synth.LabReport("..")
	if err != nil {
		t.Fatal(err)
	}
	var syslog bytes.Buffer
	if _, err := synth.Syslog(&syslog, 1<<20, 1500, report); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 3*sources.MaxLineBytes)
	// Inserted at 300 KiB of a stamped log, where nothing is open and only noted lines are
	// read: kubectl describe output, and a kill line coloured as dmesg --color=always prints
	// it to a terminal, whose colour codes split the trigger words until they are removed.
	describe := "Name:         web-0\nNamespace:    shop\nStatus:       Failed\nReason:       Evicted\n" +
		"Events:\n  Type     Reason   Age   From     Message\n  ----     ------   ----  ----     -------\n" +
		"  Warning  Evicted  5m    kubelet  The node was low on resource: memory. Threshold quantity: 100Mi, available: 91Mi.\n"
	coloured := "\x1b[32mNov 27 09:30:00 node-3 kernel: \x1b[0mMemory cgroup out of memory: Killed\x1b[1m process 4242 (java) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:8kB oom_score_adj:0\n"
	at := bytes.LastIndexByte(syslog.Bytes()[:300<<10], '\n') + 1
	insert := func(text string) []byte {
		return append(append(append([]byte(nil), syslog.Bytes()[:at]...), text...), syslog.Bytes()[at:]...)
	}
	tests := []struct {
		reason string
		text   []byte
		size   int
		err    error
	}{
		{"a 1 MiB syslog with a report every 1500 lines (15 s), in 64 KiB blocks", syslog.Bytes(), 64 << 10, nil},
		{"the same in 1 MiB blocks, as coroner reads it", syslog.Bytes(), 1 << 20, nil},
		{"CRLF line ends", bytes.ReplaceAll(syslog.Bytes(), []byte("\n"), []byte("\r\n")), 64 << 10, nil},
		{"a line three times the cap inside a report, in blocks smaller than it", append(append(syslog.Bytes()[:200<<10:200<<10], long+"\n"...), syslog.Bytes()[200<<10:]...), 16 << 10, nil},
		{"a line longer than the cap ending in CRLF", []byte(strings.Repeat("y", sources.MaxLineBytes) + "\r\nNov 27 09:30:00 n kernel: x\n"), 8 << 10, nil},
		{"a line exactly at the cap", []byte(strings.Repeat("z", sources.MaxLineBytes) + "\nmore\n"), 8 << 10, nil},
		{"no newline at the end", bytes.TrimSuffix(syslog.Bytes(), []byte("\n")), 64 << 10, nil},
		{"a read error after a partial line", syslog.Bytes()[:300<<10+17], 64 << 10, errors.New("unexpected EOF in gzip")},
		{"a read error at a line's end", syslog.Bytes()[:bytes.LastIndexByte(syslog.Bytes()[:300<<10], '\n')+1], 64 << 10, errors.New("corrupt input")},
		{"a read error before any line", nil, 64 << 10, errors.New("permission denied")},
		{"binary data among the lines", append(append(syslog.Bytes()[:100<<10:100<<10], bytes.Repeat([]byte{0, 1, 2, '\n'}, 5000)...), syslog.Bytes()[100<<10:]...), 32 << 10, nil},
		{"empty input", nil, 64 << 10, nil},
		{"kubectl describe output in the middle of a log", insert(describe), 64 << 10, nil},
		{"a coloured kill line in the middle of a log", insert(coloured), 64 << 10, nil},
		{"a kubectl get pods table in the middle of a log", insert("NAME    READY   STATUS      RESTARTS      AGE\nweb-0   0/1     OOMKilled   3 (5m ago)    1h\n"), 64 << 10, nil},
	}
	for _, tt := range tests {
		records, stream := parseBoth(t, tt.text, tt.size, tt.err)
		if diff := cmp.Diff(records, stream); diff != "" {
			t.Errorf("%s: the stream differs from the records (-records +stream):\n%s", tt.reason, diff)
		}
	}
}

// FuzzStream checks the same on arbitrary text, in blocks of a few hundred bytes.
func FuzzStream(f *testing.F) {
	for _, seed := range []string{
		"Nov 27 09:30:00 node kernel: app invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\nNov 27 09:30:00 node kernel: Memory cgroup out of memory: Killed process 42 (app) total-vm:1000kB, anon-rss:900kB, file-rss:0kB\n",
		"> pasted\n```\nName: x\nEvents:\n  Type    Reason  Age  From  Message\n  Warning Evicted 1m   kubelet  The node was low on resource: memory.\n```\n",
		"-- Boot 1 --\n\x00\x01\n[  1.0] x\r\n",
	} {
		f.Add(seed, 300)
	}
	f.Fuzz(func(t *testing.T, text string, size int) {
		size = 64 + abs(size)%4096
		records, stream := parseBoth(t, []byte(strings.Repeat(text, max(1, 2*size/max(len(text), 1)))), size, nil)
		if records != stream {
			t.Fatalf("the stream differs from the records:\n%s", cmp.Diff(records, stream))
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Inputs share one prefilter table: 100 000 small files must not build, and keep, 100 000
// tables of 128 KiB (a merge once lost this and 3000 files took 450 MB).
func TestInputsShareThePrefilter(t *testing.T) {
	a := newRun(&sources.Input{Name: "a"}, Options{})
	b := newRun(&sources.Input{Name: "b"}, Options{})
	if a.filter != b.filter {
		t.Error("two inputs built two prefilter tables")
	}
}
