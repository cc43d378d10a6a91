package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

// The colours of util-linux include/colors.h and the dmesg scheme (sys-utils/dmesg.c).
const (
	colorReset = "\x1b[0m"
	colorTime  = "\x1b[32m"        // time
	colorBreak = "\x1b[32m\x1b[1m" // timebreak
	colorSub   = "\x1b[33m"        // subsys (brown)
	colorAlert = "\x1b[7m\x1b[31m" // alert
	colorCrit  = "\x1b[1m\x1b[31m" // crit
	colorErr   = "\x1b[31m"        // err
	colorWarn  = "\x1b[1m"         // warn
)

type kmsgRecord struct {
	level int
	usec  int64
	lines []string
}

// readKmsg reads raw /dev/kmsg records ("prio,seq,usec,flags;text", non-printable bytes as
// \xNN, dictionary lines indented), as the lab saved them.
func readKmsg(path string) ([]kmsgRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []kmsgRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == ' ' {
			continue
		}
		head, text, ok := strings.Cut(line, ";")
		f := strings.Split(head, ",")
		if !ok || len(f) < 4 {
			return nil, fmt.Errorf("%s: not a kmsg record: %q", path, line)
		}
		prio, err1 := strconv.Atoi(f[0])
		usec, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s: bad record head %q", path, head)
		}
		out = append(out, kmsgRecord{level: prio & 7, usec: usec, lines: strings.Split(unhex(text), "\n")})
	}
	return out, sc.Err()
}

func unhex(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			if n, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// renderReltime prints records as print_record does with DMESG_TIMEFTM_RELTIME: the local
// time "[%b%e %H:%M] " when the minute (or hour, or day) changes, else the delta since the
// previous record, "[  %+8.06f] " or "[ %+9.06f] "; the lines of a multi-line record are
// indented by the width of the stamp.
func renderReltime(w io.Writer, path string, boot float64, color bool) error {
	recs, err := readKmsg(path)
	if err != nil {
		return err
	}
	bootSec, bootFrac := math.Modf(boot)
	bootWall := time.Unix(int64(bootSec), int64(math.Round(bootFrac*1e6))*1000).UTC()
	var last time.Time
	var lastUsec int64
	for i, r := range recs {
		t := bootWall.Add(time.Duration(r.usec) * time.Microsecond)
		delta := 0.0
		if i > 0 {
			delta = float64(r.usec-lastUsec) / 1e6
		}
		lastUsec = r.usec
		var stamp string
		brk := i == 0 || t.Minute() != last.Minute() || t.Hour() != last.Hour() || t.YearDay() != last.YearDay()
		switch {
		case brk:
			stamp = fmt.Sprintf("[%s%2d %02d:%02d] ", t.Format("Jan"), t.Day(), t.Hour(), t.Minute())
		case delta < 10:
			stamp = fmt.Sprintf("[  %+8.06f] ", delta)
		default:
			stamp = fmt.Sprintf("[ %+9.06f] ", delta)
		}
		last = t
		fmt.Fprint(w, colored(color, map[bool]string{true: colorBreak, false: colorTime}[brk], stamp))
		msg := strings.Join(r.lines, "\n"+strings.Repeat(" ", len(stamp)))
		if color {
			msg = colorMessage(r.level, msg)
		}
		fmt.Fprintln(w, msg)
	}
	return nil
}

func colored(on bool, c, s string) string {
	if !on {
		return s
	}
	return c + s + colorReset
}

// colorMessage colours a subsystem prefix (up to the first ": ") and the rest by level.
func colorMessage(level int, msg string) string {
	out := ""
	if i := strings.Index(msg, ": "); i >= 0 && i+2 < len(msg) {
		out, msg = colored(true, colorSub, msg[:i+2]), msg[i+2:]
	}
	switch level {
	case 1:
		return out + colored(true, colorAlert, msg)
	case 2:
		return out + colored(true, colorCrit, msg)
	case 3:
		return out + colored(true, colorErr, msg)
	case 4:
		return out + colored(true, colorWarn, msg)
	}
	return out + msg
}
