package golden

import (
	"os"
	"path/filepath"
	"strings"
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

// TestReadmeExample keeps the README's first screen of the text report true: the block under
// "How to read the report" is what `make demo` prints at 100 columns, line for line.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "## How to read the report")
	_, block, ok2 := strings.Cut(after, "```\n")
	block, _, ok3 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("README.md has no example block under \"How to read the report\"")
	}
	sample, _ := filepath.Glob("../testdata/sample/*")
	got, stderr, code := runCoroner(t, ".", append([]string{"analyze"}, sample...))
	if code != 0 {
		t.Fatalf("coroner exited %d: %s", code, stderr)
	}
	if !strings.HasPrefix(got, block) {
		t.Errorf("README.md's example is not what make demo prints at 100 columns (-want +got):\n%s",
			cmp.Diff(block, got[:min(len(got), len(block))]))
	}
}
