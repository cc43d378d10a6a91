package render

import (
	"cmp"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// deathTable is the report's first screen: one row per death, so the answer is read before
// any proof. The last column wraps; the others are cut only when the width leaves no room.
func (t *textWriter) deathTable(ds []report.Death) {
	if len(ds) == 0 {
		return
	}
	day := oneDay(ds)
	timeHeader := "TIME (UTC)"
	if day != "" {
		timeHeader = day
	}
	header := []string{"NODE", "NAMESPACE/POD CONTAINER", "MECHANISM", "CONF.", timeHeader, "WHY"}
	rows := [][]string{header}
	for i := range ds {
		d := &ds[i]
		at := tableWhen(d)
		if day != "" {
			at = d.Time.UTC().Format(time.TimeOnly)
		}
		rows = append(rows, []string{cmp.Or(d.Node, "?"), who(d), string(d.Mechanism), d.Confidence, at, why(d)})
	}
	widths := make([]int, len(header))
	for _, r := range rows {
		for c, cell := range r {
			widths[c] = max(widths[c], utf8.RuneCountInString(cell))
		}
	}
	last := len(header) - 1
	t.printf("\n")
	if !t.fitColumns(widths) || t.verbose && t.width > 0 && tableWidth(widths) > t.width {
		// Too narrow for columns (or -v, which cuts nothing): one wrapped line per death.
		for _, r := range rows[1:] {
			t.para("  ", "      ", strings.Join(r, "  "))
		}
		return
	}
	for _, r := range rows {
		var b strings.Builder
		b.WriteString("  ")
		for c, cell := range r[:last] {
			cell, cut := cutText(cell, widths[c])
			if cut {
				t.cut++
			}
			b.WriteString(padRight(cell, widths[c]) + "  ")
		}
		indent := strings.Repeat(" ", utf8.RuneCountInString(b.String()))
		for i, l := range wrapText(r[last], widths[last]) {
			if i == 0 {
				t.printf("%s%s\n", b.String(), l)
			} else {
				t.printf("%s%s\n", indent, l)
			}
		}
	}
}

// fitColumns narrows the columns that can bear it (why, then pod, then node) until a row
// fits the width; false when even the narrowest columns do not fit.
func (t *textWriter) fitColumns(widths []int) bool {
	if t.width <= 0 {
		return true
	}
	for _, c := range []struct{ col, min int }{{5, 16}, {1, 20}, {0, 8}} {
		if over := tableWidth(widths) - t.width; over > 0 && widths[c.col] > c.min {
			widths[c.col] -= min(over, widths[c.col]-c.min)
		}
	}
	return tableWidth(widths) <= t.width
}

// tableWidth is a row's width: the indent, the columns and the gaps between them.
func tableWidth(widths []int) int {
	total := 2
	for _, w := range widths {
		total += w + 2
	}
	return total - 2
}

// who names the dead container as a person looks for it: namespace/pod container, else what
// the kernel log knows of it.
func who(d *report.Death) string {
	switch {
	case d.Pod != "":
		s := d.Pod
		if d.Namespace != "" {
			s = d.Namespace + "/" + s
		}
		if d.Container != "" {
			s += " " + d.Container
		}
		return s
	case d.ContainerID != "":
		return "container " + short(d.ContainerID)
	case d.ContainerIDPrefix != "":
		return "container " + d.ContainerIDPrefix + "…"
	case d.Victim != nil:
		return "process " + d.Victim.Name()
	case d.Cgroup != "":
		return "cgroup " + d.Cgroup
	}
	return "(unnamed)"
}

// oneDay is the UTC date all deaths share, if they do and all have wall-clock times: the
// table's time column then says the date once, in its header.
func oneDay(ds []report.Death) string {
	day := ""
	for i := range ds {
		if ds[i].Time == nil {
			return ""
		}
		d := ds[i].Time.UTC().Format(time.DateOnly)
		if day != "" && d != day {
			return ""
		}
		day = d
	}
	return day + " UTC"
}

// tableWhen is shortWhen without the zone, which the table's header gives.
func tableWhen(d *report.Death) string {
	if d.Time != nil {
		return d.Time.UTC().Format(time.DateTime)
	}
	return shortWhen(d)
}

// shortWhen is a death's time in one column: the wall clock to the second, else the seconds
// after boot, else kubectl's age.
func shortWhen(d *report.Death) string {
	switch {
	case d.Time != nil:
		return d.Time.UTC().Format("2006-01-02 15:04:05 UTC")
	case d.BootTime != nil:
		return fmt.Sprintf("%.1fs after boot", *d.BootTime)
	case d.Age != "":
		return d.Age + " ago"
	}
	return "unknown"
}

// why says in a few words what settled the verdict.
func why(d *report.Death) string {
	switch d.Mechanism {
	case report.CgroupOOM:
		scope := cmp.Or(d.LimitScope, "own")
		if m := d.Memory; m != nil {
			if limit, ok := m.LimitKiB.KiB(); ok {
				return fmt.Sprintf("%s limit %s hit", scope, report.Quantity(limit))
			}
		}
		return scope + " memory limit hit"
	case report.KernelOOM:
		s := "node out of memory"
		if d.Victim != nil {
			s += "; killed " + cmp.Or(d.Victim.Process, fmt.Sprintf("pid %d", d.Victim.PID))
		}
		return s
	case report.KubeletEviction:
		if e := d.Eviction; e != nil && e.Observed != "" && e.Threshold != "" {
			return fmt.Sprintf("%s %s < %s", cmp.Or(e.Signal, "available"), e.Observed, e.Threshold)
		}
		return "evicted under node memory pressure"
	case report.NotMemory:
		if k := d.Kill; k != nil && k.Reason != "" {
			return strings.ReplaceAll(k.Reason, "-", " ") + " kill"
		}
		return "killed, not for memory"
	}
	if d.ExitCode != nil {
		return fmt.Sprintf("exit %d; no memory evidence", *d.ExitCode)
	}
	return "the evidence does not say"
}

// leadUpLines drops repeats of one step at one second (two witnesses of one eviction).
func leadUpLines(ls []report.LeadUp) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range ls {
		at := "--:--:--"
		if l.Time != nil {
			at = l.Time.UTC().Format(time.TimeOnly)
		}
		s := at + "  " + l.What
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
