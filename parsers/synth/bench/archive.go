//go:build unix

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/k8s-coroner/coroner/parsers/synth"
)

// runArchive measures the support engineer's case: one sosreport whose /var/log/messages is
// large, compressed as sos does (xz, default level 6) and as gzip. Decompression alone is the
// floor; coroner's whole analysis of the same file is compared with it in the same run, and
// its peak memory at 1x and 4x the size shows whether memory stays flat.
func runArchive(mb int64, every int, coroner, root string, runs int) error {
	report, err := synth.LabReport(root)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "coroner-bench-sos")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for _, scale := range []int64{1, 4} {
		size := mb * scale
		name := fmt.Sprintf("sosreport-bench%d-2025-03-29-abcdefg", scale)
		top := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Join(top, "var/log"), 0o755); err != nil {
			return err
		}
		f, err := os.Create(filepath.Join(top, "var/log/messages"))
		if err != nil {
			return err
		}
		n, err := synth.Syslog(f, size<<20, every, report)
		f.Close()
		if err != nil {
			return err
		}
		os.WriteFile(filepath.Join(top, "version.txt"), []byte("sos report: 4.8.2\n"), 0o644)
		os.MkdirAll(filepath.Join(top, "sos_commands/host"), 0o755)
		os.WriteFile(filepath.Join(top, "sos_commands/host/hostname"), []byte("bench\n"), 0o644)
		fmt.Printf("sosreport with a %d MiB /var/log/messages (%d real OOM reports)\n", size, n)
		for _, c := range []struct{ ext, tool, level string }{{".tar.xz", "xz", "-6"}, {".tar.gz", "gzip", "-6"}} {
			archive := filepath.Join(dir, name+c.ext)
			pack := exec.Command("sh", "-c", fmt.Sprintf("tar -C %q -cf - %q | %s %s -T0 > %q 2>/dev/null || tar -C %q -cf - %q | %s %s > %q",
				dir, name, c.tool, c.level, archive, dir, name, c.tool, c.level, archive))
			if out, err := pack.CombinedOutput(); err != nil {
				return fmt.Errorf("packing: %v %s", err, out)
			}
			st, _ := os.Stat(archive)
			dec, _, err := bestRSS(runs, c.tool, "-dc", archive)
			if err != nil {
				return err
			}
			cor, rss, err := bestRSS(runs, coroner, "analyze", "--format", "json", archive)
			if err != nil {
				return err
			}
			fmt.Printf("  %-7s %6.1f MiB compressed: %s -dc %6.2fs, coroner analyze %6.2fs = %.2fx decompression, peak RSS %d MiB\n",
				c.ext, float64(st.Size())/(1<<20), c.tool, dec.Seconds(), cor.Seconds(), cor.Seconds()/dec.Seconds(), rss>>10)
			os.Remove(archive)
		}
		os.RemoveAll(top)
	}
	return nil
}
