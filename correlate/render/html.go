package render

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

//go:embed report.html.tmpl
var htmlTemplate string

var htmlPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"title":   func(d *report.Death) string { return strings.ReplaceAll(deathTitle(d, ""), "`", "") },
	"when":    when,
	"kib":     report.Quantity,
	"limit":   limitH,
	"victim":  victim,
	"parts":   reportParts,
	"history": history,
	"counts":  counts,
	"plural":  plural,
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
	"sub":     func(a, b int) int { return a - b },
	"half":    func(y, h int) int { return y + h/2 },
	"nodemem": nodeMemory,
}).Parse(htmlTemplate))

// htmlView is what the template shows.
type htmlView struct {
	Rep     *report.Report
	Deaths  []htmlDeath
	Wall    *chart  // the dated timeline of every node; nil when nothing has a wall-clock time
	Boots   []chart // one per boot whose deaths are known only in seconds after boot
	Undated int     // deaths no axis can place (no time at all, or only kubectl's ages)
}

type htmlDeath struct {
	N     int
	Label string
	D     *report.Death
}

// Who names the dead container (or killed process) for the index.
func (hd htmlDeath) Who() string {
	d := hd.D
	switch {
	case d.Pod != "":
		who := d.Namespace + "/" + d.Pod
		if d.Container != "" {
			who += "/" + d.Container
		}
		return who
	case d.ContainerID != "":
		return "container " + short(d.ContainerID)
	case d.Victim != nil:
		return d.Victim.Name()
	case d.Cgroup != "":
		return d.Cgroup
	}
	return "unknown container"
}

// When is the death's time for the index: UTC, seconds after boot, or kubectl's age.
func (hd htmlDeath) When() string {
	d := hd.D
	switch {
	case d.Time != nil:
		return d.Time.UTC().Format("2006-01-02 15:04:05")
	case d.BootTime != nil:
		return "+" + seconds(math.Round(*d.BootTime*10)/10) + " s after boot"
	case d.Age != "":
		return d.Age + " before kubectl printed it"
	}
	return "time unknown"
}

func (hd htmlDeath) plainTitle() string {
	return strings.ReplaceAll(deathTitle(hd.D, hd.Label), "`", "")
}

// HTML writes one self-contained page: no script, no external asset, nothing fetched when it
// is viewed. An index of the deaths leads; then one timeline (SVG drawn here) with a row per
// node on one dated axis shows pressure episodes, evictions, OOM kills (memcg and node-wide
// apart) and other deaths, each mark linking to its report; deaths known only in seconds
// after boot get a boot-relative axis per boot. The reports follow.
func HTML(w io.Writer, rep *report.Report) error {
	rep = escaped(rep)
	v := htmlView{Rep: rep}
	for i := range rep.Deaths {
		v.Deaths = append(v.Deaths, htmlDeath{N: i + 1, D: &rep.Deaths[i]})
	}
	for i := range rep.HostKills {
		v.Deaths = append(v.Deaths, htmlDeath{N: len(rep.Deaths) + i + 1, Label: killLabel(&rep.HostKills[i]), D: &rep.HostKills[i]})
	}
	v.Wall = wallChart(v.Deaths, rep.Pressure)
	v.Boots = bootCharts(v.Deaths)
	for _, hd := range v.Deaths {
		if hd.D.Time == nil && hd.D.BootTime == nil {
			v.Undated++
		}
	}
	return htmlPage.Execute(w, v)
}
