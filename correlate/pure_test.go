package correlate_test

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/k8s-coroner/coroner/correlate"
	"github.com/k8s-coroner/coroner/parsers"
	"github.com/k8s-coroner/coroner/sources"
	"golang.org/x/tools/txtar"
)

// shared are the folders of real text golden cases name in their args.
var shared = map[string]string{"real": "../golden/testdata/real", "excerpts": "../testdata/excerpts",
	"locales": "../testdata/dmesg-locales", "rendered": "../golden/testdata/rendered"}

// The correlator never changes the events it is given: every golden case's inputs are parsed
// twice, one copy is correlated, and both copies must still be equal. (Clock alignment,
// duplicate merging and adoption work on copies of their own.)
func TestAnalyzeLeavesEventsAlone(t *testing.T) {
	cases, err := filepath.Glob("../golden/testdata/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	everything := cmp.Exporter(func(reflect.Type) bool { return true })
	for _, path := range cases {
		ar, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{}
		for _, f := range ar.Files {
			if f.Name == "args" {
				for _, a := range strings.Fields(string(f.Data)) {
					if dir, rest, ok := strings.Cut(a, "/"); ok && shared[dir] != "" {
						b, err := os.ReadFile(filepath.Join(shared[dir], rest))
						if err != nil {
							t.Fatal(err)
						}
						files[a] = b
					}
				}
			} else if !strings.HasPrefix(f.Name, "want.") {
				files[f.Name] = f.Data
			}
		}
		parse := func() ([]*parsers.InputResult, []parsers.Event) {
			var results []*parsers.InputResult
			var events []parsers.Event
			for _, name := range slices.Sorted(maps.Keys(files)) {
				in := &sources.Input{Name: name, ModTime: time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC),
					Records: sources.Lines(bytes.NewReader(files[name]))}
				results = append(results, parsers.ParseInput(in, parsers.Options{}, func(e parsers.Event) { events = append(events, e) }))
			}
			return results, events
		}
		inputs, events := parse()
		_, pristine := parse()
		correlate.Analyze(inputs, events, correlate.Options{})
		if d := cmp.Diff(pristine, events, everything); d != "" {
			t.Errorf("%s: correlating changed its events (-before +after):\n%s", filepath.Base(path), d)
		}
	}
}
