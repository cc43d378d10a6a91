package sources

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"iter"
)

// MaxLineBytes bounds the memory one line may take. A kernel printk record is at most 1 KiB
// and syslog relays cut far earlier, so anything longer is not a line we can use whole: we keep
// its head (where every prefix and trigger word lives) and drop the rest.
const MaxLineBytes = 64 << 10

// Lines splits r into records at '\n' (a trailing '\r' is dropped too), holding at most
// MaxLineBytes of any line in memory.
func Lines(r io.Reader) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		br := bufio.NewReaderSize(r, MaxLineBytes)
		for n := 1; ; n++ {
			line, err := br.ReadSlice('\n')
			rec := Record{Line: n}
			if errors.Is(err, bufio.ErrBufferFull) {
				line = append([]byte(nil), line...) // the buffer is reused while we skip the rest
				rec.Cut, err = SkipToNewline(br)
			}
			if len(line) > 0 || err == nil {
				rec.Bytes = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
				if !yield(rec, nil) {
					return
				}
			}
			if err != nil {
				if err != io.EOF {
					yield(Record{Line: n}, err)
				}
				return
			}
		}
	}
}

// SkipToNewline discards the rest of an over-long line, up to and with its '\n', and reports
// how many bytes of the line it dropped: how Lines cuts a line, for readers that split lines
// themselves.
func SkipToNewline(br *bufio.Reader) (int, error) {
	dropped := 0
	for {
		chunk, err := br.ReadSlice('\n')
		dropped += len(chunk)
		if !errors.Is(err, bufio.ErrBufferFull) {
			if len(chunk) > 0 && chunk[len(chunk)-1] == '\n' {
				dropped--
			}
			return dropped, err
		}
	}
}
