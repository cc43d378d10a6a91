package sources

import (
	"bufio"
	"bytes"
	"io"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// maxFuzzOut bounds what is read of one decompressed stream: the mutator can stumble on a
// small stream that inflates a lot, and a test must stay quick; the bytes that count are
// checked below the bound.
const maxFuzzOut = 16 << 20

// FuzzDecompress reads arbitrary bytes behind each magic the decompress path recognises
// (none, gzip, bzip2, xz, zstd): it must not panic or hang, must let go of a decoder process
// on Close, and gives either bytes and an error or end of data. Bytes with no magic pass
// through unchanged, and the data compressed by gzip, xz and zstd reads back exactly.
func FuzzDecompress(f *testing.F) {
	f.Add([]byte("Memory cgroup out of memory: Killed process 42 (app)\n"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, magic uint8) {
		prefixes := [][]byte{nil, gzipMagic, []byte("BZh9"), xzMagic, zstdMagic}
		in := append(bytes.Clone(prefixes[int(magic)%len(prefixes)]), data...)
		out, err := fuzzRead(in)
		plain := !bytes.HasPrefix(in, gzipMagic) && !bytes.HasPrefix(in, xzMagic) && !bytes.HasPrefix(in, zstdMagic) &&
			!(bytes.HasPrefix(in, bzip2Magic) && len(in) >= 4 && in[3] >= '1' && in[3] <= '9')
		if plain && (err != nil || !bytes.Equal(out, in)) {
			t.Fatalf("plain bytes came back changed (%v)", err)
		}
		for name, compress := range map[string]func([]byte) []byte{"gzip": gzipOf, "xz": xzOf, "zstd": zstdOf} {
			back, err := fuzzRead(compress(data))
			if err != nil || !bytes.Equal(back, data) {
				t.Fatalf("%s round trip: %d bytes back of %d (%v)", name, len(back), len(data), err)
			}
		}
	})
}

// fuzzRead decompresses b through Decompress, reading at most maxFuzzOut bytes, and closes
// the reader whatever happened.
func fuzzRead(b []byte) ([]byte, error) {
	rc, err := Decompress(bufio.NewReader(bytes.NewReader(b)))
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, maxFuzzOut))
}

func gzipOf(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func xzOf(b []byte) []byte {
	var buf bytes.Buffer
	// A small dictionary: the default 8 MiB one is allocated for every input.
	w, _ := xz.WriterConfig{DictCap: 1 << 16}.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// zstdEnc is shared by every input: EncodeAll may be called concurrently, and a new encoder
// allocates its windows each time.
var zstdEnc, _ = zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))

func zstdOf(b []byte) []byte { return zstdEnc.EncodeAll(b, nil) }
