package sources

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// Magic numbers of the compression formats we recognise.
var (
	gzipMagic  = []byte{0x1f, 0x8b}
	bzip2Magic = []byte("BZh")
	xzMagic    = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}
	zstdMagic  = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// Decoder choice, by measurement on this project's CI machine (README, Performance): an
// installed xz decodes about 3x faster than the pure-Go github.com/ulikunitz/xz and runs in its
// own process, on the second core, while coroner parses; for zstd and gzip the
// github.com/klauspost/compress decoders are as fast as the tools or faster, in process. bzip2
// (sos 3.x's second choice) is decoded in process, block by block (bzip2reader.go), so that a
// bad block loses only itself.
var xzTool = lookTool("xz")

// xzThreads asks xz to decode with every core: sos and xz -T0 write multi-block archives,
// whose blocks xz decodes in parallel. On this project's 2-core machine a 256 MiB
// sosreport took 1.34 s with -T0 against 1.97 s without it (the xz 5.4 default). xz before
// 5.2 has no --threads, so it is asked only of an xz whose help lists the option.
var xzThreads = sync.OnceValue(func() []string {
	out, err := exec.Command(xzTool(), "--help").Output()
	if err != nil || !bytes.Contains(out, []byte("--threads")) {
		return nil
	}
	return []string{"-T0"}
})

func lookTool(name string) func() string {
	return sync.OnceValue(func() string {
		p, err := exec.LookPath(name)
		if err != nil {
			return ""
		}
		return p
	})
}

// Decompress returns a reader of the uncompressed bytes of br, or br itself when it does not
// start with a compression magic number we know. Close releases a decoder process.
func Decompress(br *bufio.Reader) (io.ReadCloser, error) {
	rc, _, _, err := decompress(br, true)
	return rc, err
}

// decompress is Decompress that says which format it found ("" for none) and whether it
// started a decoder process; tools false decodes in process whatever is installed.
func decompress(br *bufio.Reader, tools bool) (rc io.ReadCloser, format string, process bool, err error) {
	head, _ := br.Peek(6)
	switch {
	case bytes.HasPrefix(head, gzipMagic):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, "gzip", false, fmt.Errorf("failed to read gzip header: %w", err)
		}
		return zr, "gzip", false, nil
	case bytes.HasPrefix(head, bzip2Magic) && len(head) >= 4 && head[3] >= '1' && head[3] <= '9':
		return newBzip2Reader(br), "bzip2", false, nil
	case bytes.HasPrefix(head, xzMagic):
		if tool := xzTool(); tool != "" && tools {
			rc, err := runDecoder(tool, br, xzThreads()...)
			return rc, "xz", true, err
		}
		zr, err := xz.NewReader(br)
		if err != nil {
			return nil, "xz", false, fmt.Errorf("failed to read xz header: %w", err)
		}
		return io.NopCloser(zr), "xz", false, nil
	case bytes.HasPrefix(head, zstdMagic):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(1<<29))
		if err != nil {
			return nil, "zstd", false, fmt.Errorf("failed to read zstd header: %w", err)
		}
		return zr.IOReadCloser(), "zstd", false, nil
	}
	return io.NopCloser(br), "", false, nil
}

// toolReader reads the output of a decoder process; the process's complaint (a truncated or
// corrupt stream) becomes the read error at the end, in its own words. The error stays: a
// second read after it would otherwise read the closed pipe ("read |0: file already
// closed"), and bufio.Reader's Peek hands an error out only once.
type toolReader struct {
	out    io.ReadCloser
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	done   bool
	err    error
}

func runDecoder(tool string, in io.Reader, args ...string) (io.ReadCloser, error) {
	cmd := exec.Command(tool, append([]string{"-dc"}, args...)...)
	cmd.Stdin = in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	widenPipe(out)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("failed to start %s: %w", tool, err)
	}
	procs.started()
	return &toolReader{out: out, cmd: cmd, stderr: &stderr}, nil
}

func (t *toolReader) Read(p []byte) (int, error) {
	if t.done {
		return 0, t.err
	}
	n, err := t.out.Read(p)
	if err != nil {
		t.done, t.err = true, err
		werr := t.cmd.Wait()
		procs.ended()
		if werr != nil {
			t.err = errors.New(toolComplaint(t.stderr.String(), werr))
		}
		return n, t.err
	}
	return n, nil
}

func (t *toolReader) Close() error {
	if !t.done {
		t.done, t.err = true, errors.New("closed")
		_ = t.cmd.Process.Kill()
		_ = t.cmd.Wait()
		procs.ended()
	}
	return nil
}

// procs counts the decoder processes running, and the most that ran at once: what the
// chains' slots bound, which a test checks.
var procs procCount

type procCount struct{ running, most atomic.Int64 }

func (c *procCount) started() {
	n := c.running.Add(1)
	for m := c.most.Load(); n > m && !c.most.CompareAndSwap(m, n); m = c.most.Load() {
	}
}

func (c *procCount) ended() { c.running.Add(-1) }

// toolComplaint is the first line of what a decoder process said, without its own name and
// "(stdin)" ("/usr/bin/xz: (stdin): Unexpected end of input", "bzip2: Compressed file ends
// unexpectedly;" and a page of advice): the reader that knows the input's name and the
// format says them.
func toolComplaint(stderr string, werr error) string {
	first, _, _ := strings.Cut(strings.TrimSpace(stderr), "\n")
	if prog, rest, ok := strings.Cut(first, ": "); ok && !strings.Contains(prog, " ") { // the program's name
		first = rest
	}
	first = strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(first, "(stdin): ")), ";")
	if first == "" {
		return werr.Error()
	}
	return first
}
