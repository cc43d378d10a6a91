package golden

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/k8s-coroner/coroner/golden/internal/archive"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the expected outputs of the golden cases")

// binary is the coroner built once for all cases: the cases run the real CLI, flags and exit
// codes included.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "coroner-golden")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "coroner")
	build := exec.Command("go", "build", "-o", binary, "../cmd/coroner")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building coroner:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// inputMtime is the modification time every embedded input gets, so that year inference is
// reproducible; a case that tests year inference states the year it expects.
var inputMtime = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

// wanted names the expected outputs; everything else in an archive is an input.
var wanted = map[string]bool{"args": true, "want.json": true, "want.txt": true, "want.md": true, "want.html": true, "want.exit": true}

// outputs are the formats every case is rendered in, with the file each is expected in.
var outputs = []struct{ format, file string }{
	{"json", "want.json"}, {"text", "want.txt"}, {"markdown", "want.md"}, {"html", "want.html"},
}

func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases found: %v", err)
	}
	for _, path := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			runCase(t, path)
		})
	}
}

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
	got := map[string]string{}
	for _, o := range outputs {
		stdout, stderr, code := runCoroner(t, dir, append([]string{"analyze", "--format", o.format}, args...))
		got[o.file] = stdout
		if o.format == "json" {
			got["want.exit"] = fmt.Sprintf("exit %d\n%s", code, stderr)
		}
	}
	checkHTML(t, got["want.html"], got["want.json"])
	checkSchema(t, dir, args, got["want.json"])
	if *update {
		rewrite(t, path, ar, got)
		return
	}
	for _, name := range []string{"want.json", "want.txt", "want.md", "want.html", "want.exit"} {
		want := fileOf(ar, name)
		if diff := cmp.Diff(want, got[name]); diff != "" {
			t.Errorf("%s: %s mismatch (-want +got):\n%s", path, name, diff)
		}
	}
}

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
func runCoroner(t *testing.T, dir string, args []string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "TZ=UTC", "COLUMNS=100") // text goldens at a fixed width
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

func fileOf(ar *txtar.Archive, name string) string {
	for _, f := range ar.Files {
		if f.Name == name {
			return string(f.Data)
		}
	}
	return ""
}

// rewrite replaces the expected outputs in the archive, keeping its comment and inputs.
func rewrite(t *testing.T, path string, ar *txtar.Archive, got map[string]string) {
	t.Helper()
	var files []txtar.File
	for _, f := range ar.Files {
		if !wanted[f.Name] || f.Name == "args" {
			files = append(files, f)
		}
	}
	for _, name := range []string{"want.json", "want.txt", "want.md", "want.html", "want.exit"} {
		files = append(files, txtar.File{Name: name, Data: []byte(got[name])})
	}
	ar.Files = files
	if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}
