package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

type field struct{ key, value string }

// readExport reads journalctl -o export text: "KEY=value" lines, an empty line after each
// entry (the lab's capture has no binary fields).
func readExport(path string) ([][]field, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var entries [][]field
	var cur []field
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			if cur != nil {
				entries = append(entries, cur)
			}
			cur = nil
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("%s: not KEY=value: %q", path, line)
		}
		cur = append(cur, field{k, v})
	}
	if cur != nil {
		entries = append(entries, cur)
	}
	return entries, sc.Err()
}

func get(e []field, key string) string {
	for _, f := range e {
		if f.key == key {
			return f.value
		}
	}
	return ""
}

// fullStamp is format_timestamp_style: English weekday, " %Y-%m-%d %H:%M:%S", ".%06u" with
// microseconds, then the zone (" UTC" here).
func fullStamp(realtime string, us bool) (string, error) {
	usec, err := strconv.ParseInt(realtime, 10, 64)
	if err != nil {
		return "", err
	}
	t := time.UnixMicro(usec).UTC()
	s := t.Format("Mon 2006-01-02 15:04:05")
	if us {
		s += fmt.Sprintf(".%06d", usec%1_000_000)
	}
	return s + " UTC", nil
}

// renderJournal prints export entries in one of journalctl's output modes (logs-show.c):
// verbose (output_verbose: the header, then every field but the "__" ones indented by four
// spaces; export prints _BOOT_ID first, so it comes first here too), cat (the message alone),
// short-full and with-unit (output_short: stamp, host, identifier or unit, [pid], ": ").
func renderJournal(w io.Writer, path, mode string, reverse bool) error {
	entries, err := readExport(path)
	if err != nil {
		return err
	}
	if reverse {
		slices.Reverse(entries)
	}
	for _, e := range entries {
		msg := get(e, "MESSAGE")
		switch mode {
		case "verbose":
			stamp, err := fullStamp(get(e, "__REALTIME_TIMESTAMP"), true)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "%s [%s]\n", stamp, get(e, "__CURSOR"))
			for _, f := range e {
				if !strings.HasPrefix(f.key, "__") {
					fmt.Fprintf(w, "    %s=%s\n", f.key, strings.ReplaceAll(f.value, "\n", "\n"+strings.Repeat(" ", 5+len(f.key))))
				}
			}
		case "cat":
			fmt.Fprintln(w, msg)
		case "short-full", "with-unit":
			stamp, err := fullStamp(get(e, "__REALTIME_TIMESTAMP"), false)
			if err != nil {
				return err
			}
			ident := get(e, "SYSLOG_IDENTIFIER")
			if unit := get(e, "_SYSTEMD_UNIT"); mode == "with-unit" && unit != "" {
				ident = unit
			}
			if pid := get(e, "_PID"); pid != "" {
				ident += "[" + pid + "]"
			}
			fmt.Fprintf(w, "%s %s %s: %s\n", stamp, get(e, "_HOSTNAME"), ident, msg)
		default:
			return fmt.Errorf("unknown mode %q", mode)
		}
	}
	return nil
}

// reverseRecords prints a capture newest record first, as journalctl -r does: a record's
// indented continuation lines stay after it.
func reverseRecords(w io.Writer, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var recs [][]string
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if len(recs) > 0 && (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) {
			recs[len(recs)-1] = append(recs[len(recs)-1], line)
			continue
		}
		recs = append(recs, []string{line})
	}
	slices.Reverse(recs)
	for _, r := range recs {
		for _, line := range r {
			fmt.Fprintln(w, line)
		}
	}
	return nil
}

// ellipsize prints a short-mode capture as journalctl does in a pager (print_multiline in
// logs-show.c, ellipsize_mem in src/basic/string-util.c, UTF-8 locale): a message longer
// than the columns left after its prefix keeps 90 % of them at its start, then "…", then
// its last bytes.
func ellipsize(w io.Writer, path string, columns int) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		i := strings.Index(line, ": ")
		if i < 0 || i+2+len(line[i+2:])+1 < columns {
			fmt.Fprintln(w, line)
			continue
		}
		prefix, msg := line[:i+2], line[i+2:]
		room := columns - len(prefix)
		x := ((room-1)*90 + 50) / 100
		fmt.Fprintf(w, "%s%s…%s\n", prefix, msg[:x], msg[len(msg)-(room-x-1):])
	}
	return nil
}
