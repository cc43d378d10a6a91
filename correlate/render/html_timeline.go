package render

import (
	"cmp"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// A chart is one SVG timeline: rows (one per node, or per boot) over one shared axis, so a
// mark's x means the same time in every row.
type chart struct {
	ID      string // the axis' id: time-axis for the dated chart, boot-axis-N for a boot's
	Kind    string // wall (dated, UTC) or boot (seconds after boot)
	Caption string // what the axis counts
	Unit    string // the axis' unit, written under the row labels
	Width   int
	Height  int
	Rows    []chartRow
	Ticks   []tick
	AxisY   int // top of the axis' labels
	Left    int // where the plot starts (row labels to its left)
	Right   int // where it ends
	GridTop int
}

type chartRow struct {
	Node  string
	Label string
	Y, H  int
	Marks []mark
}

type mark struct {
	Kind  string // pressure, eviction, cgroup-oom, kernel-oom, death
	X, Y  int
	W     int // width of a pressure bar; 0 for a point
	H     int // height of a pressure bar
	Href  string
	Title string
}

type tick struct {
	X      int
	Label  string // the time of day, or "+300 s"
	Date   string // the date of a dated tick
	Value  string // machine-readable: RFC 3339, or seconds after boot
	Anchor string // start, middle, end: the axis' ends keep their labels inside the picture
}

const (
	tlWidth = 960
	tlLeft  = 170
	tlRight = 30
	tlTop   = 8
	tlRowH  = 46
	tlAxisH = 44
)

// offsets of a mark in its row by kind, so an eviction and an OOM kill at the same second stay
// apart: evictions high, OOM kills in the middle, other deaths low.
func markY(row int, kind string) int {
	switch kind {
	case "eviction":
		return row + 12
	case "cgroup-oom", "kernel-oom":
		return row + tlRowH/2
	}
	return row + tlRowH - 12
}

func markKind(d *report.Death) string {
	switch {
	case d.Mechanism == report.KubeletEviction, d.Kill != nil && d.Kill.Reason == "eviction":
		return "eviction"
	case d.Mechanism == report.CgroupOOM, d.Mechanism == report.KernelOOM:
		return string(d.Mechanism)
	}
	return "death"
}

// event is one thing to draw, at a position on its chart's scale (seconds: since the Unix
// epoch on the dated chart, since boot on a boot's).
type event struct {
	row      string
	at, end  float64 // end > at for a pressure bar
	kind     string
	href     string
	title    string
	hasRange bool
}

// wallChart draws every death with a wall-clock time and every dated pressure episode on one
// dated axis, a row per node; nil when nothing has a wall-clock time.
func wallChart(deaths []htmlDeath, pressure []report.Pressure) *chart {
	var evs []event
	secs := func(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }
	for _, hd := range deaths {
		if d := hd.D; d.Time != nil {
			evs = append(evs, event{row: nodeName(d.Node), at: secs(*d.Time), kind: markKind(d), href: fmt.Sprintf("#death-%d", hd.N), title: hd.plainTitle()})
		}
	}
	for i, p := range pressure {
		if p.Start == nil {
			continue // known only from relative ages: no place on a time axis
		}
		end := *p.Start
		if p.End != nil {
			end = *p.End
		}
		evs = append(evs, event{row: nodeName(p.Node), at: secs(*p.Start), end: secs(end), hasRange: true, kind: "pressure", href: fmt.Sprintf("#pressure-%d", i+1), title: p.Summary})
	}
	if len(evs) == 0 {
		return nil
	}
	c := layout(evs, "time-axis", "wall", "UTC")
	c.Unit = "UTC"
	from, to := c.domain(evs, 60)
	step := niceDuration(to - from)
	for t := math.Ceil(from/step) * step; t <= to; t += step {
		at := time.Unix(0, int64(t*1e9)).UTC()
		label := at.Format("15:04")
		if step < 60 {
			label = at.Format("15:04:05")
		}
		c.Ticks = append(c.Ticks, tick{X: c.x(t, from, to), Label: label, Date: at.Format("2006-01-02"), Value: at.Format(time.RFC3339)})
	}
	c.place(evs, from, to)
	return c
}

// bootCharts draw the deaths known only in seconds after boot (plain dmesg, /dev/kmsg without a
// boot time): one chart per boot, since seconds of different boots do not compare. A boot is
// a node's input: the input whose lines date the death. Within one input a boot-relative time
// that falls while the line number grows starts the next boot.
func bootCharts(deaths []htmlDeath) []chart {
	type key struct{ node, input string }
	groups := map[key][]htmlDeath{}
	var keys []key
	for _, hd := range deaths {
		d := hd.D
		if d.Time != nil || d.BootTime == nil {
			continue
		}
		k := key{nodeName(d.Node), datingInput(d)}
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], hd)
	}
	var out []chart
	for _, k := range keys {
		ds := groups[k]
		sort.SliceStable(ds, func(i, j int) bool { return firstLine(ds[i].D) < firstLine(ds[j].D) })
		var boots [][]htmlDeath
		for i, hd := range ds {
			if i == 0 || *hd.D.BootTime < *ds[i-1].D.BootTime {
				boots = append(boots, nil)
			}
			boots[len(boots)-1] = append(boots[len(boots)-1], hd)
		}
		for b, boot := range boots {
			label := k.node
			if len(boots) > 1 {
				label = fmt.Sprintf("%s, boot %d", k.node, b+1)
			}
			var evs []event
			for _, hd := range boot {
				evs = append(evs, event{row: label, at: *hd.D.BootTime, kind: markKind(hd.D), href: fmt.Sprintf("#death-%d", hd.N), title: hd.plainTitle()})
			}
			c := layout(evs, fmt.Sprintf("boot-axis-%d", len(out)+1), "boot", "seconds after boot, as "+k.input+" counts them")
			c.Unit = "after boot"
			for i := range c.Rows {
				c.Rows[i].Node = k.node
			}
			from, to := c.domain(evs, 1)
			from = math.Max(from, 0)
			step := niceSeconds(to - from)
			for t := math.Ceil(from/step) * step; t <= to; t += step {
				c.Ticks = append(c.Ticks, tick{X: c.x(t, from, to), Label: "+" + seconds(t) + " s", Value: seconds(t)})
			}
			c.place(evs, from, to)
			out = append(out, *c)
		}
	}
	return out
}

// layout sizes a chart with a row per distinct row name of evs, rows sorted.
func layout(evs []event, id, kind, caption string) *chart {
	var names []string
	seen := map[string]bool{}
	for _, e := range evs {
		if !seen[e.row] {
			seen[e.row] = true
			names = append(names, e.row)
		}
	}
	sort.Strings(names)
	c := &chart{ID: id, Kind: kind, Caption: caption, Width: tlWidth, Left: tlLeft, Right: tlWidth - tlRight, GridTop: tlTop}
	for i, n := range names {
		c.Rows = append(c.Rows, chartRow{Node: n, Label: n, Y: tlTop + i*tlRowH, H: tlRowH})
	}
	c.AxisY = tlTop + len(names)*tlRowH
	c.Height = c.AxisY + tlAxisH
	return c
}

// domain is the span the axis shows: every event, a twentieth of the span either side, at
// least minSpan wide.
func (c *chart) domain(evs []event, minSpan float64) (from, to float64) {
	from, to = evs[0].at, evs[0].at
	for _, e := range evs {
		from = math.Min(from, e.at)
		to = math.Max(to, math.Max(e.at, e.end))
	}
	span := math.Max(to-from, minSpan)
	mid := (from + to) / 2
	return mid - span*0.55, mid + span*0.55
}

func (c *chart) x(t, from, to float64) int {
	return c.Left + int(math.Round(float64(c.Right-c.Left)*(t-from)/(to-from)))
}

// place puts each event's mark in its row and keeps the end ticks' labels inside the picture.
func (c *chart) place(evs []event, from, to float64) {
	rows := map[string]*chartRow{}
	for i := range c.Rows {
		rows[c.Rows[i].Label] = &c.Rows[i]
	}
	for _, e := range evs {
		r := rows[e.row]
		m := mark{Kind: e.kind, X: c.x(e.at, from, to), Href: e.href, Title: e.title}
		if e.hasRange {
			m.Y, m.H = r.Y+4, r.H-8
			m.W = max(c.x(e.end, from, to)-m.X, 4)
		} else {
			m.Y = markY(r.Y, e.kind)
		}
		r.Marks = append(r.Marks, m)
	}
	for i := range c.Ticks {
		c.Ticks[i].Anchor = "middle"
	}
	if n := len(c.Ticks); n > 0 {
		if c.Ticks[n-1].X > c.Right-40 {
			c.Ticks[n-1].Anchor = "end"
		}
		if c.Ticks[0].X < c.Left+40 {
			c.Ticks[0].Anchor = "start"
		}
	}
}

// niceDuration is the round step (1 s … 30 days) that gives at most six ticks over span
// seconds.
func niceDuration(span float64) float64 {
	for _, s := range []float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 2592000} {
		if span/s <= 6 {
			return s
		}
	}
	return math.Ceil(span/6/2592000) * 2592000
}

// niceSeconds is a 1, 2 or 5 times a power of ten step giving at most six ticks.
func niceSeconds(span float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(span/6)))
	for _, m := range []float64{1, 2, 5, 10} {
		if span/(m*p) <= 6 {
			return m * p
		}
	}
	return 10 * p
}

// seconds writes a tick's seconds with no more digits than they need.
func seconds(t float64) string {
	s := fmt.Sprintf("%.3f", t)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// datingLine is the boot-relative line that dates the death: its decisive line, else its
// first with seconds after boot.
func datingLine(d *report.Death) *report.Evidence {
	for i, e := range d.Evidence {
		if e.Decisive && e.Boot != nil {
			return &d.Evidence[i]
		}
	}
	for i, e := range d.Evidence {
		if e.Boot != nil {
			return &d.Evidence[i]
		}
	}
	return nil
}

func datingInput(d *report.Death) string {
	if e := datingLine(d); e != nil {
		return e.Input
	}
	return "the log"
}

func firstLine(d *report.Death) int {
	if e := datingLine(d); e != nil {
		return e.Line
	}
	return 0
}

func nodeName(n string) string { return cmp.Or(n, "(unknown node)") }
