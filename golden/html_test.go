package golden

import (
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// checkHTML validates a report page: it parses as HTML5 without stray text outside the body,
// ids are unique, every in-page link has a target, nothing refers to an external resource, and
// each timeline has one mark per death with a wall-clock time and per pressure episode of its
// node.
func checkHTML(t *testing.T, page, report string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("html does not parse: %v", err)
	}
	ids := map[string]int{}
	var hrefs []string
	marks := map[string]int{} // per node
	var walk func(n *html.Node, svgNode string)
	walk = func(n *html.Node, svgNode string) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				switch a.Key {
				case "id":
					ids[a.Val]++
				case "href":
					hrefs = append(hrefs, a.Val)
				case "src":
					t.Errorf("external resource %q: the page must be self-contained", a.Val)
				case "data-node":
					svgNode = a.Val
				case "class":
					if strings.HasPrefix(a.Val, "mark ") {
						marks[svgNode]++
					}
				}
			}
			if n.Data == "script" || n.Data == "link" {
				t.Errorf("<%s> in the page: it must work without scripts or fetched assets", n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, svgNode)
		}
	}
	walk(doc, "")
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
			Node string
			Time *string
		} `json:"deaths"`
		HostKills []struct {
			Node string
			Time *string
		} `json:"hostKills"`
		Pressure []struct {
			Node  string
			Start *string
		} `json:"pressure"`
	}
	if err := json.Unmarshal([]byte(report), &rep); err != nil {
		return // a run that failed before rendering has no report to compare with
	}
	want := map[string]int{}
	for _, d := range append(rep.Deaths, rep.HostKills...) {
		if d.Time != nil {
			want[orUnknown(d.Node)]++
		}
	}
	for _, p := range rep.Pressure {
		if p.Start != nil { // an episode known only from relative ages has no place on a time axis
			want[orUnknown(p.Node)]++
		}
	}
	for node, n := range want {
		if marks[node] != n {
			t.Errorf("timeline of %s has %d marks, want %d (one per death and episode)", node, marks[node], n)
		}
	}
}

func orUnknown(n string) string {
	if n == "" {
		return "(unknown node)"
	}
	return n
}
