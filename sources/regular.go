package sources

import (
	"fmt"
	"io/fs"
	"os"
)

// Only regular files are read (and standard input, and /dev/kmsg by coroner node): opening a
// FIFO for reading blocks until a writer comes, and a device such as /dev/zero never ends, so
// either would hold a run forever. The mode is checked before opening, and again on the open
// file, so that a FIFO put in a regular file's place between the two is not waited on.

// notRegular says what a file that is neither a regular file nor a directory is, "" for those.
func notRegular(mode fs.FileMode) string {
	switch {
	case mode.IsRegular(), mode.IsDir():
		return ""
	case mode&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeCharDevice != 0:
		return "a character device"
	case mode&fs.ModeDevice != 0:
		return "a block device"
	case mode&fs.ModeSymlink != 0:
		return "a symlink"
	}
	return "not a regular file"
}

// errNotRegular is the refusal of a file that is not regular, naming it as the user did.
func errNotRegular(path, what string) error {
	return fmt.Errorf("%s: %s, not a regular file: only regular files, directories and standard input (-) are read, "+
		"since reading it could block or never end; to read it anyway, give it on standard input (coroner analyze - < %s)", path, what, path)
}

// openRegular opens a file for reading only if it is a regular file. The open does not block
// on a FIFO (openFlags), and the open file's own mode is checked.
func openRegular(at, shown string) (*os.File, error) {
	f, err := os.OpenFile(at, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, named(err, shown)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, named(err, shown)
	}
	if what := notRegular(st.Mode()); what != "" || st.IsDir() {
		f.Close()
		if what == "" {
			what = "a directory"
		}
		return nil, errNotRegular(shown, what)
	}
	return f, nil
}
