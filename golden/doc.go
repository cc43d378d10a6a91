// Package golden holds end-to-end cases: real log text in, the report coroner gives out.
//
// Each case is a txtar archive under testdata/: its comment says why the case exists and
// where its text came from; "args" holds the command line after "coroner analyze"; the
// other files are inputs, except the expected outputs want.json (--format json), want.txt
// (--format text) and want.exit (exit code and standard error). Run
//
//	go test ./golden -update
//
// to rewrite the expected outputs after a deliberate change, and review the diff.
package golden
