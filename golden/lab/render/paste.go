package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// The ways a log reaches a ticket: mail quoting ("> " before each line, nested once more
// for a reply to a reply), a Markdown fence after the shell prompt and command that printed
// it, a blank line after every line (some chat and web editors), and hard wrapping: a
// terminal cuts a line at its width, an editor or format=flowed mail at the last space
// before it, dropping the space.

func readLines(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n"), nil
}

func paste(w io.Writer, path, style, prompt string, columns int) error {
	lines, err := readLines(path)
	if err != nil {
		return err
	}
	switch style {
	case "quote":
		for _, l := range lines {
			fmt.Fprintln(w, "> "+l)
		}
	case "requote":
		for _, l := range lines {
			fmt.Fprintln(w, "> > "+l)
		}
	case "fence":
		fmt.Fprintln(w, prompt)
		fmt.Fprintln(w, "```")
		for _, l := range lines {
			fmt.Fprintln(w, l)
		}
		fmt.Fprintln(w, "```")
	case "double":
		for _, l := range lines {
			fmt.Fprintf(w, "%s\n\n", l)
		}
	case "terminal", "editor":
		for _, l := range lines {
			for _, piece := range wrapLine(l, columns, style == "editor") {
				fmt.Fprintln(w, piece)
			}
		}
	default:
		return fmt.Errorf("unknown paste style %q", style)
	}
	return nil
}

func wrapLine(l string, columns int, atSpace bool) []string {
	var out []string
	for len(l) > columns {
		cut := columns
		if atSpace {
			if i := strings.LastIndexByte(l[:columns], ' '); i > 0 {
				cut = i
			}
		}
		out = append(out, l[:cut])
		l = l[cut:]
		if atSpace {
			l = strings.TrimPrefix(l, " ")
		}
	}
	return append(out, l)
}
