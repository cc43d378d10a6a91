package golden

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// checkHTML validates a report page: it parses as HTML5 without stray text outside the body,
// ids are unique, every in-page link has a target, nothing refers to an external resource,
// the index at the top has one row per death linking to its report, one dated axis is shared
// by the rows of every node with a wall-clock event, deaths known only in seconds after boot
// get a boot-relative axis, and the timelines hold one mark per placed death and per dated
// pressure episode of each node.
func checkHTML(t *testing.T, page, report string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("html does not parse: %v", err)
	}
	ids := map[string]int{}
	var hrefs []string
	marks := map[string]int{} // per node
	var index []string        // the first link of each index row
	type axis struct {
		kind  string
		nodes map[string]bool
		ticks []string // label text, date included
		dates []string // data-value
	}
	var axes []*axis
	var svg *axis // the timeline being walked
	var walk func(n *html.Node, node string, inIndex bool)
	walk = func(n *html.Node, node string, inIndex bool) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "link":
				t.Errorf("<%s> in the page: it must work without scripts or fetched assets", n.Data)
			case "svg":
				if strings.HasPrefix(attr(n, "class"), "timeline") {
					svg = &axis{nodes: map[string]bool{}}
					axes = append(axes, svg)
				}
			case "tr":
				if inIndex {
					if a := firstLink(n); a != "" {
						index = append(index, a)
					}
				}
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "id":
					ids[a.Val]++
					if a.Val == "deaths-index" {
						inIndex = true
					}
				case "href":
					hrefs = append(hrefs, a.Val)
				case "src":
					t.Errorf("external resource %q: the page must be self-contained", a.Val)
				case "data-node":
					node = a.Val
					if svg != nil {
						svg.nodes[node] = true
					}
				case "data-axis":
					if svg != nil {
						svg.kind = a.Val
					}
				case "class":
					if strings.HasPrefix(a.Val, "mark ") {
						marks[node]++
					}
					if a.Val == "tick" && svg != nil {
						svg.ticks = append(svg.ticks, textOf(n))
						svg.dates = append(svg.dates, attr(n, "data-value"))
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, node, inIndex)
		}
	}
	walk(doc, "", false)
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q used %d times", id, n)
		}
	}
	for _, h := range hrefs {
		if !strings.HasPrefix(h, "#") {
			t.Errorf("link %q leaves the page", h)
		} else if ids[h[1:]] == 0 {
			t.Errorf("link %q has no target", h)
		}
	}
	var rep struct {
		Deaths []struct {
			Node     string
			Time     *string
			BootTime *float64 `json:"bootTime"`
		} `json:"deaths"`
		HostKills []struct {
			Node     string
			Time     *string
			BootTime *float64 `json:"bootTime"`
		} `json:"hostKills"`
		Pressure []struct {
			Node  string
			Start *string
		} `json:"pressure"`
	}
	if err := json.Unmarshal([]byte(report), &rep); err != nil {
		return // a run that failed before rendering has no report to compare with
	}
	all := append(rep.Deaths, rep.HostKills...)
	if len(index) != len(all) {
		t.Errorf("the index of deaths has %d rows, want %d (one per death and host kill)", len(index), len(all))
	}
	for i, h := range index {
		if want := fmt.Sprintf("#death-%d", i+1); h != want {
			t.Errorf("index row %d links to %q, want %q", i+1, h, want)
		}
	}
	want := map[string]int{}
	dated, bootOnly := map[string]bool{}, 0
	for _, d := range all {
		switch {
		case d.Time != nil:
			want[orUnknown(d.Node)]++
			dated[orUnknown(d.Node)] = true
		case d.BootTime != nil:
			want[orUnknown(d.Node)]++
			bootOnly++
		}
	}
	for _, p := range rep.Pressure {
		if p.Start != nil { // an episode known only from relative ages has no place on a time axis
			want[orUnknown(p.Node)]++
			dated[orUnknown(p.Node)] = true
		}
	}
	for node, n := range want {
		if marks[node] != n {
			t.Errorf("timeline of %s has %d marks, want %d (one per placed death and episode)", node, marks[node], n)
		}
	}
	var wall, boot []*axis
	for _, a := range axes {
		switch a.kind {
		case "wall":
			wall = append(wall, a)
		case "boot":
			boot = append(boot, a)
		default:
			t.Errorf("a timeline without an axis (data-axis %q)", a.kind)
		}
	}
	if want := min(len(dated), 1); len(wall) != want {
		t.Errorf("%d dated timelines, want %d: one axis shared by every node", len(wall), want)
	}
	for _, a := range wall {
		if len(a.nodes) != len(dated) {
			t.Errorf("the dated timeline has rows for %v, want one for each of %v", a.nodes, dated)
		}
		if len(a.ticks) < 2 {
			t.Errorf("the dated axis has %d ticks", len(a.ticks))
		}
		for i, l := range a.ticks {
			if !datedTick.MatchString(l) {
				t.Errorf("dated tick %q has no date and time", l)
			}
			if _, err := time.Parse(time.RFC3339, a.dates[i]); err != nil {
				t.Errorf("dated tick %q: data-value %q is not RFC 3339", l, a.dates[i])
			}
		}
	}
	if bootOnly > 0 && len(boot) == 0 {
		t.Errorf("%d deaths known only in seconds after boot, and no boot-relative axis", bootOnly)
	}
	if bootOnly == 0 && len(boot) > 0 {
		t.Errorf("a boot-relative axis without a death that needs it")
	}
	for _, a := range boot {
		if len(a.ticks) < 2 {
			t.Errorf("a boot-relative axis has %d ticks", len(a.ticks))
		}
		for _, l := range a.ticks {
			if !bootTick.MatchString(l) {
				t.Errorf("boot-relative tick %q is not \"+N s\"", l)
			}
		}
	}
}

var (
	datedTick = regexp.MustCompile(`^\d\d:\d\d(:\d\d)?\s*\d{4}-\d\d-\d\d$`)
	bootTick  = regexp.MustCompile(`^\+\d+(\.\d+)? s$`)
)

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textOf is the text inside an element, its parts joined by a space.
func textOf(n *html.Node) string {
	var parts []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode && strings.TrimSpace(n.Data) != "" {
			parts = append(parts, strings.TrimSpace(n.Data))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(parts, " ")
}

// firstLink is the href of the first link below n.
func firstLink(n *html.Node) string {
	if n.Type == html.ElementNode && n.Data == "a" {
		return attr(n, "href")
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if h := firstLink(c); h != "" {
			return h
		}
	}
	return ""
}

func orUnknown(n string) string {
	if n == "" {
		return "(unknown node)"
	}
	return n
}
