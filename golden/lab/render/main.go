// Command render prints real captures of golden/testdata/real the way other tools would
// have printed the same records, for golden cases of output modes the lab did not capture:
//
//	render dmesg-reltime -boot SECONDS [-color] kmsg.txt    dmesg -e, or dmesg -H --color=always
//	render journal -mode verbose|cat|short-full|with-unit [-reverse] export.txt
//	render reverse FILE                                      journalctl -r of a short-mode capture
//	render ellipsize -columns N FILE                          journalctl in a pager N columns wide
//	render paste -style quote|requote|fence|double|terminal|editor [-prompt CMD] [-columns N] FILE
//
// The paste styles are how mail, Markdown, chat and editors pass a log on. Each tool mode
// follows the printing code of its tool (util-linux sys-utils/dmesg.c print_record,
// systemd src/shared/logs-show.c and src/basic/time-util.c format_timestamp_style), in UTC,
// the lab's zone. Only the layout changes; every record's text and clock are the capture's.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "dmesg-reltime":
		fs := flag.NewFlagSet("dmesg-reltime", flag.ExitOnError)
		boot := fs.Float64("boot", 0, "wall-clock boot time, seconds since the epoch (truth.json boot_wall_from_clocks)")
		color := fs.Bool("color", false, "colour codes as dmesg -H --color=always prints them")
		_ = fs.Parse(os.Args[2:])
		err = renderReltime(os.Stdout, fs.Arg(0), *boot, *color)
	case "journal":
		fs := flag.NewFlagSet("journal", flag.ExitOnError)
		mode := fs.String("mode", "verbose", "verbose, cat, short-full or with-unit")
		reverse := fs.Bool("reverse", false, "newest entry first (journalctl -r)")
		_ = fs.Parse(os.Args[2:])
		err = renderJournal(os.Stdout, fs.Arg(0), *mode, *reverse)
	case "reverse":
		err = reverseRecords(os.Stdout, os.Args[2])
	case "ellipsize":
		fs := flag.NewFlagSet("ellipsize", flag.ExitOnError)
		cols := fs.Int("columns", 160, "terminal width")
		_ = fs.Parse(os.Args[2:])
		err = ellipsize(os.Stdout, fs.Arg(0), *cols)
	case "paste":
		fs := flag.NewFlagSet("paste", flag.ExitOnError)
		style := fs.String("style", "quote", "quote, requote, fence, double, terminal or editor")
		prompt := fs.String("prompt", "$ dmesg", "the prompt and command line before a fence")
		cols := fs.Int("columns", 80, "where terminal and editor wrap lines")
		_ = fs.Parse(os.Args[2:])
		err = paste(os.Stdout, fs.Arg(0), *style, *prompt, *cols)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "render:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: render dmesg-reltime -boot SECONDS [-color] kmsg.txt | journal -mode MODE [-reverse] export.txt | reverse FILE | ellipsize -columns N FILE | paste -style STYLE FILE")
	os.Exit(2)
}
