package render

import (
	"io"
	"os"
	"strconv"

	"golang.org/x/term"
)

// Fit says how to render for w: how wide the text may be, and whether to colour it, for
// the colour mode auto, always or never. getenv reads the run's environment.
//
// The width is the terminal's, else $COLUMNS (what shells export and what a pager or CI log
// honours), else 0 for no limit: a file or pipe without COLUMNS gets whole lines, which grep
// and diff want. Colour is on only on a terminal, never when NO_COLOR is set (no-color.org)
// or the terminal is dumb, unless the mode says always or never.
func Fit(w io.Writer, getenv func(string) (string, bool), color string) (width int, colour bool) {
	if f, ok := fileOf(w); ok && term.IsTerminal(int(f.Fd())) {
		if tw, _, err := term.GetSize(int(f.Fd())); err == nil && tw > 0 {
			width = tw
		}
	}
	if width == 0 {
		columns, _ := getenv("COLUMNS")
		if n, err := strconv.Atoi(columns); err == nil && n > 0 {
			width = n
		}
	}
	switch color {
	case "always":
		return width, true
	case "never":
		return width, false
	}
	terminal, _ := getenv("TERM")
	if _, set := getenv("NO_COLOR"); set || terminal == "dumb" {
		return width, false
	}
	return width, IsTerminal(w)
}

// IsTerminal says whether w is a terminal (for colour and progress lines). x/term asks the
// terminal itself on every platform (an ioctl on Unix, the console mode on Windows); being
// a character device is not enough, /dev/null is one too.
func IsTerminal(w io.Writer) bool {
	f, ok := fileOf(w)
	return ok && term.IsTerminal(int(f.Fd()))
}

// fileOf is the file under w, looking through writers that only filter what passes (the
// secret scrubber says so by its Unwrap), so that a terminal stays one.
func fileOf(w io.Writer) (*os.File, bool) {
	for {
		switch v := w.(type) {
		case *os.File:
			return v, true
		case interface{ Unwrap() io.Writer }:
			w = v.Unwrap()
		default:
			return nil, false
		}
	}
}
