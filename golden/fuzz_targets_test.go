package golden

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every fuzz target is in the Makefile's FUZZ_TARGETS, so make fuzz and make fuzz-long run
// it: Go fuzzes only the one target it is named, and a target nobody runs finds nothing.
func TestMakefileListsEveryFuzzTarget(t *testing.T) {
	mk, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	if m := regexp.MustCompile(`(?s)FUZZ_TARGETS := (.*?)\n\n`).FindSubmatch(mk); m != nil {
		for _, f := range strings.Fields(strings.ReplaceAll(string(m[1]), `\`, " ")) {
			listed[f] = true
		}
	}
	fuzz := regexp.MustCompile(`(?m)^func (Fuzz\w+)\(f \*testing\.F\)`)
	found := 0
	err = filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, "_test.go") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(strings.TrimPrefix(p, "../")))
		for _, m := range fuzz.FindAllSubmatch(b, -1) {
			found++
			if !listed[dir+":"+string(m[1])] {
				t.Errorf("%s:%s is not in the Makefile's FUZZ_TARGETS", dir, m[1])
			}
		}
		return nil
	})
	if err != nil || found == 0 {
		t.Fatalf("no fuzz targets found (%v)", err)
	}
	if found != len(listed) {
		t.Errorf("%d fuzz targets, %d listed", found, len(listed))
	}
}
