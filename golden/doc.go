// Package golden holds end-to-end cases: real log text in, the report coroner gives out.
//
// Each case is a txtar archive under testdata/: its comment says why the case exists and
// where its text came from; "args" holds the command line after "coroner analyze"; the
// other files are inputs, except the expected outputs want.json (--format json), want.txt
// (--format text), want.exit (exit code and standard error) and, in a few cases per
// mechanism, want.md and want.html. The command line runs in-process (cmd/coroner/cli),
// once per case and all cases in parallel; the text, Markdown and HTML are rendered from
// the case's JSON report, and TestCommandLineText checks that the command line's own text
// is the same. Run
//
//	go test ./golden -update
//
// to rewrite the expected outputs after a deliberate change, and review the diff. A case
// gains Markdown and HTML goldens by holding (empty) want.md and want.html files.
package golden
