package sources

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/k8s-coroner/coroner/parsers/synth"
)

// BenchmarkArchiveWalk walks a gzip sosreport whose /var/log/messages is a 64 MiB syslog and
// reads every line of every member: decompression, the tar walk and the line split, without
// the parsers.
func BenchmarkArchiveWalk(b *testing.B) {
	report, err := synth.LabReport("..")
	if err != nil {
		b.Fatal(err)
	}
	var messages bytes.Buffer
	if _, err := synth.Syslog(&messages, 64<<20, 20000, report); err != nil {
		b.Fatal(err)
	}
	var archive bytes.Buffer
	zw := gzip.NewWriter(&archive)
	tw := tar.NewWriter(zw)
	top := "sosreport-bench-2025-03-29-abcdefg/"
	for name, data := range map[string][]byte{"version.txt": []byte("sos report: 4.8.2\n"), "sos_commands/host/hostname": []byte("bench\n"), "var/log/messages": messages.Bytes()} {
		tw.WriteHeader(&tar.Header{Name: top + name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg})
		tw.Write(data)
	}
	tw.Close()
	zw.Close()
	path := filepath.Join(b.TempDir(), "sosreport.tar.gz")
	if err := os.WriteFile(path, archive.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(messages.Len()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		lines := 0
		for in, err := range (&Files{Paths: []string{path}}).Inputs() {
			if err != nil {
				b.Fatal(err)
			}
			for _, err := range in.Records {
				if err != nil {
					b.Fatal(err)
				}
				lines++
			}
		}
		if lines == 0 {
			b.Fatal("no line read")
		}
	}
}
