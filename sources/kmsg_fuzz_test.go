package sources

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzKmsgRecords reads arbitrary bytes as /dev/kmsg would give them, in reads of an
// arbitrary size. Splitting loses and adds nothing (the records are the lines of the data,
// numbered from 1, whatever the read size); a record is skipped only when its stamp puts it
// before Since; a kept record's time is the boot time plus its stamp, never before the boot.
func FuzzKmsgRecords(f *testing.F) {
	f.Add([]byte("6,339,5140900,-;NET: Registered protocol family 10\n SUBSYSTEM=net\n4,340,5141000,c;partial"), uint16(7), int64(5141))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint16, sinceMs int64) {
		read := func(size int) []Record {
			rest := data
			k := &Kmsg{Path: "kmsg"}
			var out []Record
			for rec, err := range k.records(func(p []byte) (int, error) {
				n := copy(p[:min(len(p), size)], rest)
				rest = rest[n:]
				return n, nil
			}, func() {}) {
				if err != nil {
					t.Fatal(err)
				}
				rec.Bytes = bytes.Clone(rec.Bytes)
				out = append(out, rec)
			}
			return out
		}
		all := read(int(chunk)%4096 + 1)
		var want []string
		if len(data) > 0 {
			want = strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		}
		if len(all) != len(want) {
			t.Fatalf("%d records of %d lines", len(all), len(want))
		}
		for i, rec := range all {
			if rec.Line != i+1 || string(rec.Bytes) != want[i] || !rec.Time.IsZero() {
				t.Fatalf("record %d is %+v, want line %d %q", i, rec, i+1, want[i])
			}
		}
		if whole := read(1 << 16); !slices.EqualFunc(all, whole, func(a, b Record) bool { return a.Line == b.Line && bytes.Equal(a.Bytes, b.Bytes) }) {
			t.Fatal("the records depend on the size of the reads")
		}

		boot := time.Date(2026, 11, 27, 18, 0, 0, 0, time.UTC)
		since := boot.Add(time.Duration(sinceMs) * time.Millisecond)
		k := &Kmsg{Path: "kmsg", BootTime: boot, Since: since}
		rest := data
		var kept []Record
		for rec, err := range k.records(func(p []byte) (int, error) { n := copy(p, rest); rest = rest[n:]; return n, nil }, func() {}) {
			if err != nil {
				t.Fatal(err)
			}
			kept = append(kept, rec)
		}
		j := 0
		for _, rec := range all {
			usec, ok := kmsgUsec(rec.Bytes)
			if ok && usec < 0 {
				t.Fatalf("record %q stamped %d µs, before the boot", rec.Bytes, usec)
			}
			at := boot.Add(time.Duration(usec) * time.Microsecond)
			if ok && at.Before(boot) {
				t.Fatalf("record %q stamped %d µs lands at %v, before the boot", rec.Bytes, usec, at)
			}
			if ok && at.Before(since) {
				continue
			}
			if j >= len(kept) || kept[j].Line != rec.Line || ok && !kept[j].Time.Equal(at) || !ok && !kept[j].Time.IsZero() {
				t.Fatalf("record %d %q: kept %+v", rec.Line, rec.Bytes, kept[j:])
			}
			j++
		}
		if j != len(kept) {
			t.Fatalf("%d records kept, %d expected", len(kept), j)
		}
	})
}
