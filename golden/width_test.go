package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTextFitsNarrowTerminals renders every real excerpt (pastes from public threads, with
// their long cgroup paths and log lines) for a 40-column terminal: no line of the text
// report may be wider, whatever the input.
func TestTextFitsNarrowTerminals(t *testing.T) {
	var inputs []string
	filepath.WalkDir("../testdata/excerpts", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(path, ".origin") {
			inputs = append(inputs, path)
		}
		return nil
	})
	if len(inputs) == 0 {
		t.Fatal("no excerpts found")
	}
	const width = 40
	for _, in := range inputs {
		out, _, _ := runCoronerWidth(t, ".", []string{"analyze", in}, width) // exit 2 for an input nothing of which is understood is fine here
		for _, l := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(l); n > width {
				t.Errorf("%s: a line of %d columns at COLUMNS=%d: %q", in, n, width, l)
				break
			}
		}
	}
}
