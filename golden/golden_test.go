package golden

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/k8s-coroner/coroner/cmd/coroner/cli"
	"github.com/k8s-coroner/coroner/correlate/render"
	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/golden/internal/archive"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the expected outputs of the golden cases")

func TestMain(m *testing.M) {
	flag.Parse()
	// The expected outputs are written in UTC, as a run under TZ=UTC writes them.
	time.Local = time.UTC
	os.Exit(m.Run())
}

// inputMtime is the modification time every embedded input gets, so that year inference is
// reproducible; a case that tests year inference states the year it expects.
var inputMtime = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

// wanted names the expected outputs; everything else in an archive is an input.
var wanted = map[string]bool{"args": true, "want.json": true, "want.txt": true, "want.md": true, "want.html": true, "want.exit": true}

// always are the expected outputs of every case; want.md and want.html are compared only in
// the cases that hold them (a few per mechanism), since one wording change would otherwise
// rewrite every case twice more. Every case's HTML is still checked against its JSON.
var always = []string{"want.json", "want.txt", "want.exit"}

// fromReport are the formats rendered from a case's report, with the file each is expected in.
var fromReport = []struct{ format, file string }{{"text", "want.txt"}, {"markdown", "want.md"}, {"html", "want.html"}}

func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases found: %v", err)
	}
	for _, path := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			t.Parallel()
			runCase(t, path)
		})
	}
}

// runCase runs the command line once, for the JSON report, and renders the other formats
// from that report as coroner merge does: so the JSON is shown to carry everything the text,
// Markdown and HTML say. TestCommandLineText checks that the command line's own text is the
// same.
func runCase(t *testing.T, path string) {
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(bytes.TrimSpace(ar.Comment)) == 0 {
		t.Errorf("%s: the comment must say why the case exists and where its text came from", path)
	}
	dir := t.TempDir()
	args := prepare(t, ar, dir)
	stdout, stderr, code := runCoroner(t, dir, append([]string{"analyze", "--format", "json"}, args...))
	got := map[string]string{"want.json": stdout, "want.exit": fmt.Sprintf("exit %d\n%s", code, stderr)}
	if strings.TrimSpace(stdout) != "" {
		var rep report.Report
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatalf("%s: the JSON report does not decode: %v", path, err)
		}
		for _, r := range fromReport {
			got[r.file] = renderAs(t, &rep, r.format)
		}
		checkHTML(t, got["want.html"], stdout)
		checkSchema(t, stdout, renderAs(t, &rep, "jsonl"))
	}
	compared := slices.Clone(always)
	for _, name := range []string{"want.md", "want.html"} {
		if hasFile(ar, name) {
			compared = append(compared, name)
		}
	}
	if *update {
		rewrite(t, path, ar, got, compared)
		return
	}
	for _, name := range compared {
		want := fileOf(ar, name)
		if diff := cmp.Diff(want, got[name]); diff != "" {
			t.Errorf("%s: %s mismatch (-want +got):\n%s", path, name, diff)
		}
	}
}

// renderAs renders a report as the command line does on a pipe under COLUMNS=100 and NO_COLOR.
func renderAs(t *testing.T, rep *report.Report, format string) string {
	t.Helper()
	var b strings.Builder
	if err := render.Write(&b, format, rep, render.Options{Width: goldenWidth}); err != nil {
		t.Fatalf("rendering %s: %v", format, err)
	}
	return b.String()
}

// goldenWidth is the terminal width the text goldens are written for.
const goldenWidth = 100

// shared are folders of real text that cases name in their args instead of embedding it, so
// each capture is stored once, beside its origin note: an argument "real/x/dmesg.txt" is
// copied from testdata/real/x/dmesg.txt.
var shared = map[string]string{
	"real":     "testdata/real",             // the lab's captures from a real kernel (golden/lab)
	"excerpts": "../testdata/excerpts",      // kernel output pasted in public issue reports, with .origin files
	"locales":  "../testdata/dmesg-locales", // dmesg -T of a real OOM in several locales
	"rendered": "testdata/rendered",         // real captures printed as other output modes would (lab/render)
}

// prepare writes the inputs into dir, copies the shared captures it names and returns the
// command line.
func prepare(t *testing.T, ar *txtar.Archive, dir string) []string {
	t.Helper()
	for _, f := range ar.Files {
		if wanted[f.Name] {
			continue
		}
		p := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, inputMtime, inputMtime); err != nil {
			t.Fatal(err)
		}
	}
	args := strings.Fields(fileOf(ar, "args"))
	if len(args) == 0 {
		t.Fatal("the case has no args file")
	}
	for _, a := range args {
		if dir0, rest, ok := strings.Cut(a, "/"); ok && shared[dir0] != "" {
			copyShared(t, filepath.Join(shared[dir0], rest), filepath.Join(dir, a))
		}
	}
	packArchives(t, dir)
	return args
}

// packArchives turns every top-level directory named like an archive (sosreport-x.tar.xz/…)
// into that archive, in the exact sos layout. A member whose whole content is "@real/…" is
// the shared capture of that name, so captures stay stored once.
func packArchives(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		tree := filepath.Join(dir, e.Name())
		_ = filepath.WalkDir(tree, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, _ := os.ReadFile(p)
			if ref, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "@"); ok && !strings.HasSuffix(p, archive.SymlinkSuffix) {
				if dir0, rest, ok := strings.Cut(ref, "/"); ok && shared[dir0] != "" {
					copyShared(t, filepath.Join(shared[dir0], rest), p)
				}
			}
			return os.Chtimes(p, inputMtime, inputMtime)
		})
		if !archive.IsArchiveDir(e.Name()) {
			continue // an extracted report stays a directory
		}
		members := tree + ".members"
		if err := os.Rename(tree, members); err != nil {
			t.Fatal(err)
		}
		if err := archive.Pack(members, tree); err != nil {
			t.Fatal(err)
		}
		if err := os.RemoveAll(members); err != nil {
			t.Fatal(err)
		}
	}
}

// copyShared copies a shared capture into the case's directory with the fixed mtime (a
// link would carry the checkout's mtime into year inference).
func copyShared(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(to, inputMtime, inputMtime); err != nil {
		t.Fatal(err)
	}
}

// runCoroner runs the command line in-process in dir, as a pipe under NO_COLOR=1 and
// COLUMNS=100 sees it.
func runCoroner(t *testing.T, dir string, args []string) (stdout, stderr string, code int) {
	t.Helper()
	return runCoronerWidth(t, dir, args, goldenWidth)
}

func runCoronerWidth(t *testing.T, dir string, args []string, width int) (stdout, stderr string, code int) {
	t.Helper()
	vars := map[string]string{"NO_COLOR": "1", "COLUMNS": strconv.Itoa(width)}
	var out, errb bytes.Buffer
	code = cli.Run(args, &cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Dir: dir,
		LookupEnv: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }})
	return out.String(), errb.String(), code
}

func hasFile(ar *txtar.Archive, name string) bool {
	for _, f := range ar.Files {
		if f.Name == name {
			return true
		}
	}
	return false
}

func fileOf(ar *txtar.Archive, name string) string {
	for _, f := range ar.Files {
		if f.Name == name {
			return string(f.Data)
		}
	}
	return ""
}

// rewrite replaces the compared outputs in the archive, keeping its comment and inputs.
func rewrite(t *testing.T, path string, ar *txtar.Archive, got map[string]string, compared []string) {
	t.Helper()
	var files []txtar.File
	for _, f := range ar.Files {
		if !wanted[f.Name] || f.Name == "args" {
			files = append(files, f)
		}
	}
	for _, name := range []string{"want.json", "want.txt", "want.md", "want.html", "want.exit"} {
		if slices.Contains(compared, name) {
			files = append(files, txtar.File{Name: name, Data: []byte(got[name])})
		}
	}
	ar.Files = files
	if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCommandLineText runs the command line's own text output over every case: it must be
// what TestGolden renders from the case's JSON report, so that the JSON carries all the text
// says and the two paths never drift apart.
func TestCommandLineText(t *testing.T) {
	cases, _ := filepath.Glob("testdata/*.txtar")
	for _, path := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			t.Parallel()
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			args := prepare(t, ar, dir)
			got, _, _ := runCoroner(t, dir, append([]string{"analyze"}, args...))
			if diff := cmp.Diff(fileOf(ar, "want.txt"), got); diff != "" {
				t.Errorf("%s: coroner analyze's text is not want.txt (-want +got):\n%s", path, diff)
			}
		})
	}
}
