package sources

import (
	"bytes"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// bzLog is a kernel log of about 1.3 MB, which bzip2 -1 (100 kB blocks) packs in 13 or so
// blocks: enough that the damaged one has good ones on both sides.
func bzLog() []byte {
	var b bytes.Buffer
	for i := range 30000 {
		fmt.Fprintf(&b, "Nov 27 19:05:%02d node1 kernel: Memory cgroup out of memory: Killed process %d (app-%d)\n", i%60, 1000+i, i%97)
	}
	return b.Bytes()
}

func bzip2Of(t *testing.T, level string, b []byte) []byte {
	t.Helper()
	if _, err := exec.LookPath("bzip2"); err != nil {
		t.Skip("bzip2 not installed: it writes the test's files (Go has no bzip2 encoder)")
	}
	cmd := exec.Command("bzip2", "-c", level)
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// bzBlocks is where the splitter finds each block of b, in compressed bytes.
func bzBlocks(b []byte) (at []int64) {
	splitBzip2(bytes.NewReader(b), func(p *bzPiece) bool {
		if p.kind == bzBlock {
			at = append(at, p.at)
		}
		return true
	})
	return at
}

// missingOne says whether got is want with one run of bytes taken out, and the run's start
// and length.
func missingOne(want, got []byte) (start, n int, ok bool) {
	for start < len(got) && got[start] == want[start] {
		start++
	}
	if !bytes.Equal(got[start:], want[len(want)-(len(got)-start):]) {
		return 0, 0, false
	}
	return start, len(want) - len(got), true
}

// A bit flipped inside one block costs that block only: the rest, before and after, is
// delivered, and the error names the block, its compressed offset and the decoded byte and
// line where its text is missing. bzip2 -dc stops at the bad block and loses the rest.
func TestBzip2SkipsADamagedBlock(t *testing.T) {
	plain := bzLog()
	packed := bzip2Of(t, "-1", plain)
	at := bzBlocks(packed)
	if len(at) < 5 {
		t.Fatalf("want at least 5 blocks, got %d", len(at))
	}
	damaged := bytes.Clone(packed)
	damaged[(at[2]+at[3])/2] ^= 0x10 // the middle of block 3
	got, err := readAll(damaged)
	if err == nil {
		t.Fatal("a damaged block read without error")
	}
	start, n, ok := missingOne(plain, got)
	if !ok || n == 0 || n > 110000 {
		t.Fatalf("delivered %d of %d bytes: not the log with one block's text taken out (%v)", len(got), len(plain), err)
	}
	want := fmt.Sprintf("block 3 (compressed byte %d) is damaged (", at[2])
	where := fmt.Sprintf("and skipped, at decoded byte %d (line %d)", start, bytes.Count(plain[:start], []byte{'\n'})+1)
	tally := fmt.Sprintf("the other %d of %d blocks are read", len(at)-1, len(at))
	if msg := err.Error(); !strings.Contains(msg, want) || !strings.Contains(msg, where) || !strings.Contains(msg, tally) {
		t.Errorf("error %q: want %q, %q and %q", msg, want, where, tally)
	}
}

// A block whose start marker is damaged cannot be found; the block before it decodes with
// the damaged one's bits behind it, and is kept because its CRC holds. For the first block
// the lost bits are those between the stream's header and the second block.
func TestBzip2DamagedBlockStart(t *testing.T) {
	plain := bzLog()
	packed := bzip2Of(t, "-1", plain)
	at := bzBlocks(packed)
	for _, c := range []struct {
		name  string
		block int
		says  string
	}{
		{"first", 0, "hold no block start and are skipped"},
		{"middle", 3, "the bits after block 3 hold no block start and are skipped"},
	} {
		t.Run(c.name, func(t *testing.T) {
			damaged := bytes.Clone(packed)
			damaged[at[c.block]+2] ^= 0x01 // inside the marker, whatever its bit shift
			got, err := readAll(damaged)
			if err == nil || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("error %v: want it to say %q", err, c.says)
			}
			if _, n, ok := missingOne(plain, got); !ok || n == 0 || n > 110000 {
				t.Fatalf("delivered %d of %d bytes: not the log with one block's text taken out", len(got), len(plain))
			}
		})
	}
}

// What is whole reads back exactly and without error: several streams one after the other
// (pbzip2, cat a.bz2 b.bz2), an empty stream, zero padding after the end.
func TestBzip2WholeStreams(t *testing.T) {
	plain := bzLog()
	one := bzip2Of(t, "-1", plain[:400000])
	two := bzip2Of(t, "-9", plain[400000:])
	empty := bzip2Of(t, "-9", nil)
	for _, c := range []struct {
		name   string
		packed []byte
		plain  []byte
	}{
		{"two streams", append(bytes.Clone(one), two...), plain},
		{"empty stream", empty, nil},
		{"empty between", append(append(bytes.Clone(one), empty...), two...), plain},
		{"zero padding", append(bytes.Clone(two), make([]byte, 4096)...), plain[400000:]},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := readAll(c.packed)
			if err != nil || !bytes.Equal(got, c.plain) {
				t.Fatalf("err %v, %d of %d bytes", err, len(got), len(c.plain))
			}
		})
	}
}

// Bytes after the last stream that are not padding, and a stream checksum that does not
// match its blocks, are said; every block is still delivered.
func TestBzip2StreamDamageSaid(t *testing.T) {
	plain := bzLog()
	packed := bzip2Of(t, "-1", plain)
	bad := regexp.MustCompile(`checksum that does not match its blocks \(a block is missing\), at decoded byte \d+`)
	for _, c := range []struct {
		name   string
		packed []byte
		says   *regexp.Regexp
	}{
		{"trailing junk", append(bytes.Clone(packed), []byte("not bzip2 at all")...), regexp.MustCompile(`16 bytes after the end of the last stream \(compressed byte \d+\) are not bzip2`)},
		{"stream checksum", flipLastCRCBit(packed), bad},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := readAll(c.packed)
			if !bytes.Equal(got, plain) {
				t.Fatalf("%d of %d bytes delivered", len(got), len(plain))
			}
			if err == nil || !c.says.MatchString(err.Error()) {
				t.Fatalf("error %v: want %s", err, c.says)
			}
		})
	}
}

// flipLastCRCBit flips the last bit of the last stream's combined CRC, the 32 bits after
// its end marker.
func flipLastCRCBit(packed []byte) []byte {
	var end int64
	splitBzip2(bytes.NewReader(packed), func(p *bzPiece) bool {
		if p.kind == bzEnd {
			end = p.mark
		}
		return true
	})
	out := bytes.Clone(packed)
	bit := end + 48 + 31
	out[bit/8] ^= 1 << (7 - bit%8)
	return out
}

// Frames rebuilt from blocks at every bit shift decode: the bits are copied exactly.
func TestBzFrameCopiesBits(t *testing.T) {
	src := []byte{0b10110011, 0b01011100, 0b11110000, 0b00001111, 0b10101010}
	for at := int64(0); at < 8; at++ {
		for n := int64(1); at+n <= int64(len(src))*8; n++ {
			f := bzFrame(src, at, n, 0xdeadbeef)
			for i := range n {
				if readBits(f, 32+i, 1) != readBits(src, at+i, 1) {
					t.Fatalf("at %d n %d: bit %d differs", at, n, i)
				}
			}
			if got := readBits(f, 32+n, 32)<<16 | readBits(f, 32+n+32, 16); got != bzEndMagic {
				t.Fatalf("at %d n %d: end marker %x", at, n, got)
			}
			if got := readBits(f, 32+n+48, 32); got != 0xdeadbeef {
				t.Fatalf("at %d n %d: crc %x", at, n, got)
			}
		}
	}
}
