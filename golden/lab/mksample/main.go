// Command mksample builds the sample incident that `make demo` analyses from a golden case:
// every top-level directory of the case becomes a sosreport tarball in the sos layout (or
// stays a directory, like a must-gather), with shared captures (@real/…, @excerpts/…) copied
// in. The sample is thus the golden case sos-two-nodes-must-gather, real lab text inside.
//
// Usage: go run ./golden/lab/mksample golden/testdata/sos-two-nodes-must-gather.txtar testdata/sample
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/golden/internal/archive"
	"golang.org/x/tools/txtar"
)

var shared = map[string]string{
	"real":     "golden/testdata/real",
	"excerpts": "testdata/excerpts",
	"locales":  "testdata/dmesg-locales",
}

// mtime is the members' modification time: the incident's day, so year-less stamps get 2026.
var mtime = time.Date(2026, 11, 27, 19, 12, 0, 0, time.UTC)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: mksample CASE.txtar OUTDIR")
		os.Exit(2)
	}
	if err := build(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "mksample:", err)
		os.Exit(1)
	}
}

func build(casePath, out string) error {
	ar, err := txtar.ParseFile(casePath)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "mksample")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	tops := map[string]bool{}
	for _, f := range ar.Files {
		top, _, ok := strings.Cut(f.Name, "/")
		if !ok {
			continue // args and expected outputs
		}
		tops[top] = true
		data := f.Data
		if ref, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "@"); ok && !strings.HasSuffix(f.Name, archive.SymlinkSuffix) {
			dir0, rest, _ := strings.Cut(ref, "/")
			if data, err = os.ReadFile(filepath.Join(shared[dir0], rest)); err != nil {
				return err
			}
		}
		p := filepath.Join(work, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for top := range tops {
		if archive.IsArchiveDir(top) {
			if err := archive.Pack(filepath.Join(work, top), filepath.Join(out, top)); err != nil {
				return err
			}
			continue
		}
		if err := os.RemoveAll(filepath.Join(out, top)); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(work, top), filepath.Join(out, top)); err != nil {
			return err
		}
	}
	return nil
}
