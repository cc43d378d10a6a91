package sources

// Registry lists every source kind coroner can read, sorted by name. Adding a source means one
// entry here plus its own file.
var Registry = []struct {
	Name string // what users call it
	Help string // one line for --help and the README
}{
	{"file", "plain, gzip or bzip2 log files named on the command line; \"-\" reads standard input"},
}
