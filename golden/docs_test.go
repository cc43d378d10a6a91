package golden

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDocsExample keeps docs/example-report.md, the README's example, the Markdown report of
// the shipped sample incident as the current coroner writes it (go test ./golden -update).
func TestDocsExample(t *testing.T) {
	sample, _ := filepath.Glob("../testdata/sample/*")
	for i := range sample {
		sample[i], _ = filepath.Rel("..", sample[i])
	}
	got, stderr, code := runCoroner(t, "..", append([]string{"analyze", "--format", "markdown"}, sample...))
	if code != 0 {
		t.Fatalf("coroner exited %d: %s", code, stderr)
	}
	const doc = "../docs/example-report.md"
	if *update {
		if err := os.WriteFile(doc, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s is stale (go test ./golden -update):\n%s", doc, diff)
	}
}
