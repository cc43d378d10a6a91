package sources

import (
	"archive/tar"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ustarBlock is one hand-made ustar header block: archive/tar no longer writes sparse
// members, so the test writes the PAX records that make one itself.
func ustarBlock(name string, typ byte, size int) []byte {
	b := make([]byte, 512)
	copy(b[0:], name)
	copy(b[100:], "0000644\x00")
	copy(b[108:], "0000000\x00")
	copy(b[116:], "0000000\x00")
	copy(b[124:], fmt.Sprintf("%011o\x00", size))
	copy(b[136:], fmt.Sprintf("%011o\x00", collected.Unix()))
	b[156] = typ
	copy(b[257:], "ustar\x0000")
	copy(b[148:], "        ")
	sum := 0
	for _, c := range b {
		sum += int(c)
	}
	copy(b[148:], fmt.Sprintf("%06o\x00 ", sum))
	return b
}

func padded(b []byte) []byte {
	return append(b, make([]byte, (512-len(b)%512)%512)...)
}

// paxRecord is one "len key=value\n" record, its length counting itself.
func paxRecord(k, v string) string {
	rest := " " + k + "=" + v + "\n"
	n := len(rest) + 1
	for len(fmt.Sprint(n))+len(rest) != n {
		n++
	}
	return fmt.Sprint(n) + rest
}

// sparseTar is a tar of a few KB whose first member is a GNU PAX (0.1) sparse file claiming
// a terabyte, with 5 bytes stored, followed by a good kernel log.
func sparseTar(t *testing.T) []byte {
	top := "sosreport-node1-2026-11-27-abcdefg/"
	pax := paxRecord("GNU.sparse.name", top+"var/log/messages") + paxRecord("GNU.sparse.size", "1099511627776") +
		paxRecord("GNU.sparse.numblocks", "1") + paxRecord("GNU.sparse.map", "0,5")
	var buf bytes.Buffer
	buf.Write(ustarBlock("PaxHeaders/messages", tar.TypeXHeader, len(pax)))
	buf.Write(padded([]byte(pax)))
	buf.Write(ustarBlock("GNUSparseFile.0/messages", tar.TypeReg, 5))
	buf.Write(padded([]byte("zero\n")))
	buf.Write(tarOf(t, []member{{name: top + "sos_commands/kernel/dmesg",
		body: "[  374.309999] Memory cgroup out of memory: Killed process 14068 (memhog) total-vm:1259964kB, anon-rss:32384kB, file-rss:944kB, shmem-rss:0kB\n"}}))
	return buf.Bytes()
}

// A sparse member claiming a terabyte is not expanded: the tar is read to its end at once,
// the member is named in a warning, and the member after it is read.
func TestSparseMemberNotExpanded(t *testing.T) {
	raw := sparseTar(t)
	if len(raw) > 10<<10 {
		t.Fatalf("the reproducer is %d bytes, meant to be a few KB", len(raw))
	}
	p := filepath.Join(t.TempDir(), "sosreport-node1-2026-11-27-abcdefg.tar")
	os.WriteFile(p, raw, 0o644)
	f := &Files{Paths: []string{p}}
	var names []string
	hangGuard(t, "reading a tar with a sparse member", func() {
		for in, err := range f.Inputs() {
			if err != nil {
				t.Errorf("%s: %v", in.Name, err)
				continue
			}
			names = append(names, in.Name)
			for range in.Records {
			}
		}
	})
	if len(names) != 1 || !strings.HasSuffix(names[0], "sos_commands/kernel/dmesg") {
		t.Errorf("inputs %q, want only the kernel log after the sparse member", names)
	}
	var warned bool
	for _, a := range f.Archives {
		for _, w := range a.Warnings {
			warned = warned || strings.Contains(w, "var/log/messages: a sparse member claiming 1099511627776 bytes")
		}
	}
	if !warned {
		t.Errorf("no warning names the sparse member: %+v", f.Archives)
	}
}

// A regular member claiming more bytes than the archive holds is read as far as the bytes
// stored go, and the archive is said to be damaged there. (This held before; it guards the
// bound that the member's stored size gives.)
func TestOversizedMemberBoundedByStream(t *testing.T) {
	var buf bytes.Buffer
	buf.Write(ustarBlock("sosreport-node1-2026-11-27-abcdefg/sos_commands/kernel/dmesg", tar.TypeReg, 1<<33-1))
	buf.Write(padded([]byte(killLine)))
	p := filepath.Join(t.TempDir(), "sosreport-node1-2026-11-27-abcdefg.tar")
	os.WriteFile(p, buf.Bytes(), 0o644)
	f := &Files{Paths: []string{p}}
	_, warnings := readAllInputs(t, f)
	if !anyContains(warnings, "unexpected EOF") {
		t.Errorf("warnings %q: want the cut said", warnings)
	}
}
