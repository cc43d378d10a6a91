package parsers

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/k8s-coroner/coroner/sources"
)

func TestDumpExcerpts(t *testing.T) {
	files, _ := filepath.Glob(os.Getenv("DUMP_GLOB"))
	for _, f := range files {
		var src sources.Files
		fs := &sources.Files{Paths: []string{f}}
		for in, err := range fs.Inputs() {
			_ = src
			if err != nil { t.Fatal(err) }
			res := ParseInput(in, Options{}, func(e Event) {
				b, _ := json.Marshal(e)
				fmt.Printf("  %T %s\n", e, b)
			})
			fmt.Printf("== %s kind=%s lines=%d warn=%v\n", filepath.Base(f), res.Kind, res.Lines, res.Warnings)
		}
	}
}
