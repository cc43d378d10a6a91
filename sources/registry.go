package sources

// Registry lists every source kind coroner can read, sorted by name. Adding a source means one
// entry here plus its own file.
var Registry = []struct {
	Name string // what users call it
	Help string // one line for --help and the README
}{
	{"command", "the standard output of a program, streamed (journalctl -o json on the node)"},
	{"file", "plain, gzip or bzip2 log files named on the command line; \"-\" reads standard input"},
	{"kmsg", "the kernel ring buffer from /dev/kmsg, read without blocking, with exact wall-clock times"},
}
