package sources

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// A real kernel report (lab capture) compressed by every format sos and log rotation use,
// read back whole, and cut in the middle: the lines before the cut survive and the error says
// why the rest is missing.
func TestDecompressFormats(t *testing.T) {
	plain, err := os.ReadFile("../golden/testdata/real/cgroupfs-burstable/dmesg.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		compress func(t *testing.T, b []byte) []byte
		pureGo   bool // run again with the external tool hidden
	}{
		{"gzip", gzipBytes, false},
		{"zstd", zstdBytes, false},
		{"xz", xzBytes, true},
		{"bzip2", toolBytes("bzip2"), true},
	} {
		packed := c.compress(t, plain)
		modes := []bool{false}
		if c.pureGo {
			modes = append(modes, true)
		}
		for _, pure := range modes {
			name, restore := c.name, func() {}
			if pure {
				name += "/pure-go"
				restore = hideTools()
			}
			t.Run(name, func(t *testing.T) {
				got, err := readAll(packed)
				if err != nil || !bytes.Equal(got, plain) {
					t.Fatalf("whole stream: err %v, %d of %d bytes", err, len(got), len(plain))
				}
				got, err = readAll(packed[:len(packed)*2/3])
				if err == nil {
					t.Fatalf("truncated stream read without error (%d bytes)", len(got))
				}
				if !bytes.HasPrefix(plain, got) {
					t.Fatalf("truncated stream yielded bytes that are not the input's start")
				}
			})
			restore()
		}
	}
}

func readAll(b []byte) ([]byte, error) {
	r, err := Decompress(bufio.NewReader(bytes.NewReader(b)))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// hideTools makes Decompress use the pure-Go decoders; the returned func restores the tools.
func hideTools() func() {
	xzOld := xzTool
	xzTool = func() string { return "" }
	return func() { xzTool = xzOld }
}

func gzipBytes(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func zstdBytes(t *testing.T, b []byte) []byte {
	enc, _ := zstd.NewWriter(nil)
	return enc.EncodeAll(b, nil)
}

func xzBytes(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	w, err := xz.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func toolBytes(tool string) func(t *testing.T, b []byte) []byte {
	return func(t *testing.T, b []byte) []byte {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
		cmd := exec.Command(tool, "-c")
		cmd.Stdin = strings.NewReader(string(b))
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
}
