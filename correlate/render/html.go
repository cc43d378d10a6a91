package render

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate"
)

//go:embed report.html.tmpl
var htmlTemplate string

var htmlPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"title":   func(d *correlate.Death) string { return strings.ReplaceAll(deathTitle(d, ""), "`", "") },
	"when":    when,
	"kib":     kibH,
	"limit":   limitH,
	"victim":  victim,
	"parts":   reportParts,
	"history": history,
	"counts":  counts,
	"cap":     capitalizeFirst,
	"deref": func(p *int) string {
		if p == nil {
			return "?"
		}
		return fmt.Sprint(*p)
	},
	"utc": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04:05")
	},
	"join":    strings.Join,
	"inc":     func(i int) int { return i + 1 },
	"nodemem": nodeMemory,
}).Parse(htmlTemplate))

// htmlView is what the template shows.
type htmlView struct {
	Rep       *correlate.Report
	Deaths    []htmlDeath
	Timelines []timeline
}

type htmlDeath struct {
	N     int
	Label string
	D     *correlate.Death
}

// HTML writes one self-contained page: no script, no external asset, nothing fetched when it
// is viewed. A per-node timeline (SVG drawn here) shows pressure episodes, evictions, OOM kills
// (memcg and node-wide apart) and other deaths on one time axis, each mark linking to its
// report; a summary table and the reports follow.
func HTML(w io.Writer, rep *correlate.Report) error {
	v := htmlView{Rep: rep}
	for i := range rep.Deaths {
		v.Deaths = append(v.Deaths, htmlDeath{N: i + 1, D: &rep.Deaths[i]})
	}
	for i := range rep.HostKills {
		v.Deaths = append(v.Deaths, htmlDeath{N: len(rep.Deaths) + i + 1, Label: killLabel(&rep.HostKills[i]), D: &rep.HostKills[i]})
	}
	v.Timelines = timelines(v.Deaths, rep.Pressure)
	return htmlPage.Execute(w, v)
}

// A timeline is one node's SVG.
type timeline struct {
	Node   string
	Width  int
	Height int
	Lanes  []lane
	Marks  []mark
	Ticks  []tick
	From   string
	To     string
	Hidden int // deaths without a wall-clock time, which no axis can place
}

type lane struct {
	Name string
	Y    int
}

type mark struct {
	Kind  string // pressure, eviction, cgroup-oom, kernel-oom, death
	X, Y  int
	W     int // width of a pressure bar; 0 for a point
	Href  string
	Title string
}

type tick struct {
	X      int
	Label  string
	Anchor string // start, middle, end: the axis' ends keep their labels inside the picture
}

const (
	tlWidth  = 960
	tlLeft   = 130
	tlRight  = 20
	tlLaneH  = 34
	tlTop    = 20
	tlBottom = 30
)

var laneNames = []string{"pressure", "evictions", "OOM kills", "other deaths"}

func laneOf(d *correlate.Death) int {
	switch d.Mechanism {
	case correlate.KubeletEviction:
		return 1
	case correlate.CgroupOOM, correlate.KernelOOM:
		return 2
	}
	if d.Kill != nil && d.Kill.Reason == "eviction" {
		return 1
	}
	return 3
}

// timelines draws one timeline per node that has a death or an episode.
func timelines(deaths []htmlDeath, pressure []correlate.Pressure) []timeline {
	byNode := map[string]*timeline{}
	var nodes []string
	get := func(n string) *timeline {
		if byNode[n] == nil {
			byNode[n] = &timeline{Node: or(n, "(unknown node)")}
			nodes = append(nodes, n)
		}
		return byNode[n]
	}
	type point struct {
		t, end time.Time
		m      mark
		lane   int
	}
	points := map[string][]point{}
	for _, hd := range deaths {
		d := hd.D
		tl := get(d.Node)
		if d.Time == nil {
			tl.Hidden++
			continue
		}
		kind := d.Mechanism
		if laneOf(d) == 1 {
			kind = "eviction"
		} else if laneOf(d) == 3 {
			kind = "death"
		}
		points[d.Node] = append(points[d.Node], point{t: *d.Time, lane: laneOf(d),
			m: mark{Kind: kind, Href: fmt.Sprintf("#death-%d", hd.N), Title: strings.ReplaceAll(deathTitle(d, hd.Label), "`", "")}})
	}
	for i, p := range pressure {
		if p.Start == nil {
			continue
		}
		get(p.Node)
		points[p.Node] = append(points[p.Node], point{t: *p.Start, end: *p.End, lane: 0,
			m: mark{Kind: "pressure", Href: fmt.Sprintf("#pressure-%d", i+1), Title: p.Summary}})
	}
	sort.Strings(nodes)
	var out []timeline
	for _, n := range nodes {
		tl := byNode[n]
		ps := points[n]
		tl.Width, tl.Height = tlWidth, tlTop+len(laneNames)*tlLaneH+tlBottom
		for i, name := range laneNames {
			tl.Lanes = append(tl.Lanes, lane{Name: name, Y: tlTop + i*tlLaneH + tlLaneH/2})
		}
		if len(ps) > 0 {
			from, to := ps[0].t, ps[0].t
			for _, p := range ps {
				if p.t.Before(from) {
					from = p.t
				}
				if e := maxTime(p.t, p.end); e.After(to) {
					to = e
				}
			}
			span := to.Sub(from)
			if span < time.Minute {
				span = time.Minute
			}
			from, to = from.Add(-span/20), from.Add(span+span/20)
			x := func(t time.Time) int {
				return tlLeft + int(float64(tlWidth-tlLeft-tlRight)*float64(t.Sub(from))/float64(to.Sub(from)))
			}
			for _, p := range ps {
				m := p.m
				m.X, m.Y = x(p.t), tl.Lanes[p.lane].Y
				if !p.end.IsZero() {
					m.W = max(x(p.end)-m.X, 4)
				}
				tl.Marks = append(tl.Marks, m)
			}
			for i := 0; i <= 4; i++ {
				t := from.Add(time.Duration(i) * to.Sub(from) / 4)
				anchor := "middle"
				if i == 4 {
					anchor = "end"
				}
				tl.Ticks = append(tl.Ticks, tick{X: x(t), Label: t.UTC().Format("15:04:05"), Anchor: anchor})
			}
			tl.From, tl.To = from.UTC().Format("2006-01-02 15:04:05"), to.UTC().Format("2006-01-02 15:04:05")
		}
		out = append(out, *tl)
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
