package sources

import (
	"bytes"
	"fmt"
	"iter"
	"math"
	"strconv"
	"time"
)

// Kmsg reads the kernel ring buffer from /dev/kmsg without blocking: every record still in
// the buffer, then it ends. Each record carries its printk time since boot; with the boot's
// wall-clock time (realtime minus CLOCK_MONOTONIC, the clock printk stamps use) that gives the
// record's exact wall-clock time, which Kmsg puts in Record.Time.
type Kmsg struct {
	Path     string    // usually /dev/kmsg, or <root>/dev/kmsg
	BootTime time.Time // wall-clock time of boot; zero leaves records boot-relative
	Since    time.Time // records before this are skipped; zero keeps all
}

var _ Source = (*Kmsg)(nil)

// Inputs yields the one input; an error when the device cannot be opened (no permission,
// not Linux).
func (k *Kmsg) Inputs() iter.Seq2[*Input, error] {
	return func(yield func(*Input, error) bool) {
		read, closeFn, err := openNonBlocking(k.Path)
		if err != nil {
			yield(&Input{Name: k.Path}, err)
			return
		}
		yield(&Input{Name: k.Path, Kind: KindKmsg, Records: k.records(read, closeFn)}, nil)
	}
}

// records splits what each read returns (one record with its continuation lines on the
// device, arbitrary chunks on a regular file) into lines.
func (k *Kmsg) records(read func([]byte) (int, error), closeFn func()) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		defer closeFn()
		buf := make([]byte, 64<<10)
		var pending []byte
		n := 0
		for {
			got, err := read(buf)
			if got > 0 {
				pending = append(pending, buf[:got]...)
				for {
					i := bytes.IndexByte(pending, '\n')
					if i < 0 {
						break
					}
					n++
					if !k.emit(pending[:i], n, yield) {
						return
					}
					pending = pending[i+1:]
				}
			}
			if err != nil {
				yield(Record{Line: n}, fmt.Errorf("reading %s: %w", k.Path, err))
				return
			}
			if got == 0 { // end of buffer (EAGAIN) or of a regular file
				if len(pending) > 0 {
					n++
					k.emit(pending, n, yield)
				}
				return
			}
		}
	}
}

func (k *Kmsg) emit(line []byte, n int, yield func(Record, error) bool) bool {
	rec := Record{Line: n, Bytes: line}
	if usec, ok := kmsgUsec(line); ok && !k.BootTime.IsZero() {
		rec.Time = k.BootTime.Add(time.Duration(usec) * time.Microsecond)
		if !k.Since.IsZero() && rec.Time.Before(k.Since) {
			return true
		}
	}
	return yield(rec, nil)
}

// kmsgUsec reads the timestamp field of "prio,seq,usec,flags;text".
func kmsgUsec(line []byte) (int64, bool) {
	semi := bytes.IndexByte(line, ';')
	if semi < 0 {
		return 0, false
	}
	f := bytes.SplitN(line[:semi], []byte{','}, 4)
	if len(f) < 4 {
		return 0, false
	}
	// The kernel prints the stamp unsigned ("%llu"): a sign is no stamp, and one too large
	// for a Duration in microseconds would wrap to a time before the boot.
	if len(f[2]) == 0 || f[2][0] < '0' || f[2][0] > '9' {
		return 0, false
	}
	usec, err := strconv.ParseInt(string(f[2]), 10, 64)
	return usec, err == nil && usec <= math.MaxInt64/int64(time.Microsecond)
}
