package correlate

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDecodingStaysInParsers keeps the layering docs/design.md describes: the correlator
// judges the parsers' typed facts, so it imports no Kubernetes API package and asks the
// parsers to parse nothing (they fill the facts when they build an event).
func TestDecodingStaysInParsers(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if p := strings.Trim(imp.Path.Value, `"`); strings.HasPrefix(p, "k8s.io/") {
				t.Errorf("%s imports %s: decode Kubernetes objects in parsers", name, p)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "parsers" && strings.HasPrefix(strings.ToLower(sel.Sel.Name), "parse") {
					t.Errorf("%s: calls parsers.%s: have the parser fill the fact into its event", fset.Position(sel.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
	}
}
