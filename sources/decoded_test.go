package sources

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// readRaw reads the one input of a file named p whole, as the parsers do.
func readRaw(t *testing.T, p string) ([]byte, error) {
	t.Helper()
	var data []byte
	var rerr error
	hangGuard(t, "reading "+p, func() {
		for in, err := range (&Files{Paths: []string{p}}).Inputs() {
			if err != nil {
				rerr = err
				return
			}
			rerr = in.Raw(func(br *bufio.Reader) error {
				var err error
				data, err = io.ReadAll(br)
				return err
			})
		}
	})
	return data, rerr
}

// A compressed log cut in its header or in its middle, by every decoder: the error names the
// input, says what the decoder said and the decoded byte and line the fault came at, and
// every byte decoded before it is delivered. It used to say "read |0: file already closed"
// (a decoder process read again after its end), or nothing at all (a cut zstd header, a cut
// at an xz block's edge, whose error a peek swallowed), or a bare "unexpected EOF".
func TestTruncatedStreamsSaidPlainly(t *testing.T) {
	var plain bytes.Buffer
	for i := range 60000 { // 2.5 MB: bzip2's 900 KB blocks, so that a cut in the middle leaves whole ones
		fmt.Fprintf(&plain, "Nov 27 19:05:%02d node1 kernel: line %d\n", i%60, i)
	}
	formats := []struct {
		name, tool string
		compress   func(*testing.T, []byte) []byte
		header     int // a cut inside the header or just after it
	}{
		{"gzip", "", gzipBytes, 8},
		{"zstd", "", zstdBytes, 8},
		{"xz", "xz", xzBytes, 12},
		{"bzip2", "bzip2", toolBytes("bzip2"), 8},
	}
	for _, fm := range formats {
		packed := fm.compress(t, plain.Bytes())
		for _, pure := range []bool{false, true} {
			if pure && fm.tool == "" {
				continue
			}
			for _, cut := range []int{fm.header, len(packed) / 2} {
				name := fmt.Sprintf("%s/pure-%v/cut-%d", fm.name, pure, cut)
				t.Run(name, func(t *testing.T) {
					if pure {
						defer hideTools()()
					}
					p := writeTemp(t, "kern.log."+fm.name, packed[:cut])
					got, err := readRaw(t, p)
					if err == nil {
						t.Fatalf("a cut stream read without error (%d bytes)", len(got))
					}
					msg := err.Error()
					want := fmt.Sprintf("%s: %s: ", p, fm.name)
					at := fmt.Sprintf("at decoded byte %d (line %d)", len(got), bytes.Count(got, []byte{'\n'})+1)
					if !strings.HasPrefix(msg, want) || !strings.Contains(msg, at) || strings.Contains(msg, "already closed") {
						t.Errorf("error %q: want it to start %q and say %q", msg, want, at)
					}
					if !bytes.HasPrefix(plain.Bytes(), got) {
						t.Errorf("the %d bytes delivered are not the log's start", len(got))
					}
					// ulikunitz/xz (used only where no xz is installed) gives nothing of a block
					// cut short: a known limit (docs/design.md), not the delivery's.
					if cut > fm.header && len(got) == 0 && !(pure && fm.name == "xz") {
						t.Errorf("nothing delivered of a stream cut in its middle")
					}
					if fm.tool != "" && !pure { // what the decoder itself gives of the cut stream
						cmd := exec.Command(fm.tool, "-dc")
						cmd.Stdin = bytes.NewReader(packed[:cut])
						out, _ := cmd.Output()
						// bzip2 is decoded in process, and bzip2 -dc drops the last 5000-byte
						// write of the block before a cut; the xz tool is what decodes xz.
						if len(out) != len(got) && !(fm.name == "bzip2" && len(got) > len(out)) {
							t.Errorf("%d bytes delivered, %s -dc decodes %d", len(got), fm.tool, len(out))
						}
					}
				})
			}
		}
	}
}

// A decoder process's complaint is its first line, without the program's name.
func TestToolComplaint(t *testing.T) {
	for in, want := range map[string]string{
		"/usr/bin/xz: (stdin): Unexpected end of input\n":                                                     "Unexpected end of input",
		"bzip2: Compressed file ends unexpectedly;\n\tperhaps it is corrupted?  *Possible* reason follows.\n": "Compressed file ends unexpectedly",
		"": "exit status 1",
	} {
		if got := toolComplaint(in, errors.New("exit status 1")); got != want {
			t.Errorf("toolComplaint(%q) = %q, want %q", in, got, want)
		}
	}
}
