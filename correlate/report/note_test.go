package report

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAddNote(t *testing.T) {
	var d Death
	d.AddNote(NoteOneProcess, "the kernel killed one process")
	d.AddNote(NoteOneProcess, "the kernel killed one process")  // the same kill read from two inputs
	d.AddNote(NoteKubectlText, "the kernel killed one process") // the same words under another code stay
	d.AddNotes(Note{NoteEvictedToo, "evicted too"})
	want := []Note{
		{NoteOneProcess, "the kernel killed one process"},
		{NoteKubectlText, "the kernel killed one process"},
		{NoteEvictedToo, "evicted too"},
	}
	if diff := cmp.Diff(want, d.NoteList()); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	if len(d.Notes) != len(d.NoteCodes) {
		t.Errorf("%d notes but %d codes", len(d.Notes), len(d.NoteCodes))
	}
	if !d.HasNote(NoteEvictedToo) || d.HasNote(NoteSidecarTrap) {
		t.Errorf("HasNote: evicted-too %v, sidecar-trap %v", d.HasNote(NoteEvictedToo), d.HasNote(NoteSidecarTrap))
	}
}

// TestNoteListOfOldReport reads a report written before notes had codes: its notes keep
// their text with an empty code.
func TestNoteListOfOldReport(t *testing.T) {
	var d Death
	if err := json.Unmarshal([]byte(`{"notes":["an old caveat"]}`), &d); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Note{{"", "an old caveat"}}, d.NoteList()); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

// TestNoteCodesDeclaredOnce checks that the schema's enum is exactly the codes declared in
// note.go, that codes are unique kebab-case, and that the correlator writes every one of
// them: a code nobody writes is a promise to consumers that never comes true.
func TestNoteCodesDeclaredOnce(t *testing.T) {
	declared := declaredNoteCodes(t)
	var values []string
	for _, v := range declared {
		values = append(values, v)
	}
	slices.Sort(values)
	if dup := len(values) - len(slices.Compact(slices.Clone(values))); dup > 0 {
		t.Errorf("%d note codes are declared twice: %q", dup, values)
	}
	for _, v := range values {
		if v == "" || strings.Trim(v, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			t.Errorf("note code %q is not kebab-case", v)
		}
	}

	schema := schemaNoteCodes(t)
	slices.Sort(schema)
	if diff := cmp.Diff(values, schema); diff != "" {
		t.Errorf("docs/schema/report.v1.json noteCodes enum differs from note.go (-note.go +schema):\n%s", diff)
	}

	written := identifiersIn(t, filepath.Join("..", "*.go"))
	for name := range declared {
		if !written["report."+name] {
			t.Errorf("%s is declared but no correlator phase writes it", name)
		}
	}
}

// declaredNoteCodes maps each NoteCode constant of note.go to its value.
func declaredNoteCodes(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "note.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || vs.Type == nil || len(vs.Values) != 1 {
			return true
		}
		if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "NoteCode" {
			return true
		}
		if lit, ok := vs.Values[0].(*ast.BasicLit); ok {
			v, _ := strconv.Unquote(lit.Value)
			out[vs.Names[0].Name] = v
		}
		return true
	})
	if len(out) == 0 {
		t.Fatal("no NoteCode constants found in note.go")
	}
	return out
}

func schemaNoteCodes(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "schema", "report.v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Defs map[string]struct {
			Properties map[string]struct {
				Items struct {
					Enum []string `json:"enum"`
				} `json:"items"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	enum := s.Defs["deathFields"].Properties["noteCodes"].Items.Enum
	if len(enum) == 0 {
		t.Fatal(`the schema's $defs.deathFields.properties.noteCodes.items has no enum`)
	}
	return enum
}

// identifiersIn collects the package-qualified names (report.X) used in the non-test files
// matching the glob.
func identifiersIn(t *testing.T, glob string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(glob)
	if err != nil || len(files) == 0 {
		t.Fatalf("no files match %s: %v", glob, err)
	}
	out := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok {
					out[x.Name+"."+sel.Sel.Name] = true
				}
			}
			return true
		})
	}
	return out
}
