package golden

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestHTMLInBrowser loads HTML reports in a real headless Chromium, on the DOM the browser
// builds (not the bytes coroner wrote):
//   - the sample incident: the index of deaths with working anchors, one dated axis shared by
//     the rows of both nodes, one mark per death and episode (checkHTML);
//   - a plain dmesg, which has only seconds after boot: a boot-relative axis;
//   - the sample at a phone's width: proof lines wrap (computed white-space, each proof block
//     as wide as its box, some lines rendered on more than one line) and the page does not
//     scroll sideways. A copy of the page gets a small script that writes those measurements
//     into the DOM; the report itself has no script.
//
// No page may log a console error. Screenshots are kept as artifacts (CORONER_ARTIFACTS,
// default golden/artifacts). Skipped where Chromium is not installed; .ci/run installs
// Debian's chromium.
func TestHTMLInBrowser(t *testing.T) {
	b := findBrowser(t)
	dir := t.TempDir()
	sample, _ := filepath.Glob("../testdata/sample/*")

	page, report := renderPage(t, dir, "sample", sample)
	dom := b.dumpDOM(t, page, 1100)
	checkHTML(t, dom, report)
	if !strings.Contains(dom, `class="mark `) {
		t.Fatal("the browser's DOM holds no timeline mark")
	}
	if !strings.Contains(dom, `id="deaths-index"`) || !strings.Contains(dom, `data-axis="wall"`) {
		t.Error("the sample's page has no index of deaths or no dated axis")
	}
	b.screenshot(t, page, "report-sample.png", 1100)

	dmesg, report := renderPage(t, dir, "dmesg", []string{"testdata/real/cgroupfs-burstable/dmesg.txt"})
	dom = b.dumpDOM(t, dmesg, 1100)
	checkHTML(t, dom, report)
	if !strings.Contains(dom, `data-axis="boot"`) || strings.Contains(dom, `data-axis="wall"`) {
		t.Error("a plain dmesg's page must draw a boot-relative axis, and no dated one")
	}
	b.screenshot(t, dmesg, "report-dmesg.png", 1100)

	checkWrapping(t, b, page)
	b.screenshot(t, page, "report-sample-narrow.png", 480)
}

// checkWrapping measures the sample's page at a narrow width in the browser.
func checkWrapping(t *testing.T, b browser, page string) {
	t.Helper()
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	measuring := strings.TrimSuffix(page, ".html") + "-measured.html"
	withScript := strings.Replace(string(html), "</body>", measureScript+"</body>", 1)
	if err := os.WriteFile(measuring, []byte(withScript), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := b.dumpDOM(t, measuring, 480)
	sm := measuredRe.FindStringSubmatch(dom)
	if sm == nil {
		t.Fatal("the measuring script wrote nothing into the DOM")
	}
	var m struct {
		InnerWidth, ScrollWidth int
		Pres                    []struct {
			WhiteSpace, OverflowWrap string
			ScrollWidth, ClientWidth int
			Lines, Rendered          int
		}
	}
	if err := json.Unmarshal([]byte(htmlUnescape(sm[1])), &m); err != nil {
		t.Fatalf("measurements %q: %v", sm[1], err)
	}
	t.Logf("at %d px: page %d px wide, %d proof blocks", m.InnerWidth, m.ScrollWidth, len(m.Pres))
	if m.InnerWidth == 0 || m.InnerWidth > 600 {
		t.Fatalf("the window is %d px wide, not a narrow one", m.InnerWidth)
	}
	if m.ScrollWidth > m.InnerWidth {
		t.Errorf("the page is %d px wide in a %d px window: it scrolls sideways", m.ScrollWidth, m.InnerWidth)
	}
	if len(m.Pres) == 0 {
		t.Fatal("no proof block measured")
	}
	wrapped := 0
	for i, p := range m.Pres {
		if p.WhiteSpace != "pre-wrap" || p.OverflowWrap != "anywhere" {
			t.Errorf("proof block %d: white-space %s, overflow-wrap %s; want pre-wrap, anywhere", i+1, p.WhiteSpace, p.OverflowWrap)
		}
		if p.ScrollWidth > p.ClientWidth {
			t.Errorf("proof block %d is %d px wide in a %d px box: it scrolls sideways", i+1, p.ScrollWidth, p.ClientWidth)
		}
		if p.Rendered > p.Lines {
			wrapped++
		}
	}
	if wrapped == 0 {
		t.Error("no proof line wrapped at a narrow width: the measurement cannot tell wrapping from scrolling")
	}
}

// measureScript writes the page's width and each proof block's computed style and size into
// a <pre id="measured"> as JSON, so --dump-dom carries them out of the browser.
const measureScript = `<script>
(function () {
  var r = {innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth, pres: []};
  document.querySelectorAll("pre.proof").forEach(function (p) {
    var cs = getComputedStyle(p);
    var inner = p.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
    r.pres.push({whiteSpace: cs.whiteSpace, overflowWrap: cs.overflowWrap, scrollWidth: p.scrollWidth,
      clientWidth: p.clientWidth, lines: (p.textContent.match(/\n/g) || []).length,
      rendered: Math.round(inner / parseFloat(cs.lineHeight))});
  });
  var out = document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify(r);
  document.body.appendChild(out);
})();
</script>`

var measuredRe = regexp.MustCompile(`<pre id="measured">(.*?)</pre>`)

func htmlUnescape(s string) string {
	return strings.NewReplacer("&quot;", `"`, "&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// renderPage writes coroner's HTML report of the inputs (from its standard output) into dir
// and returns the page's path and the JSON report of the same inputs.
func renderPage(t *testing.T, dir, name string, inputs []string) (page, report string) {
	t.Helper()
	html, stderr, code := runCoroner(t, ".", append([]string{"analyze", "--format", "html"}, inputs...))
	if code != 0 {
		t.Fatalf("coroner exited %d: %s", code, stderr)
	}
	page = filepath.Join(dir, name+".html")
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	report, _, _ = runCoroner(t, ".", append([]string{"analyze", "--format", "json"}, inputs...))
	return page, report
}

type browser struct{ path string }

var browserFlags = []string{"--headless=new", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"}

func findBrowser(t *testing.T) browser {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return browser{p}
		}
	}
	t.Skip("no Chromium installed")
	return browser{}
}

// dumpDOM loads the page in a window of the given width and returns the DOM it built.
func (b browser) dumpDOM(t *testing.T, page string, width int) string {
	t.Helper()
	cmd := exec.Command(b.path, append(browserFlags, "--window-size="+strconv.Itoa(width)+",1600", "--dump-dom", "file://"+page)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom %s: %v\n%s", page, err, stderr.String())
	}
	checkConsole(t, page, stderr.String())
	return string(dom)
}

// screenshot keeps a picture of the page as an artifact.
func (b browser) screenshot(t *testing.T, page, name string, width int) {
	t.Helper()
	artifacts := os.Getenv("CORONER_ARTIFACTS")
	if artifacts == "" {
		artifacts = "artifacts"
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(artifacts, name)
	cmd := exec.Command(b.path, append(browserFlags, "--screenshot="+shot, "--window-size="+strconv.Itoa(width)+",1600", "file://"+page)...)
	out, _ := cmd.CombinedOutput()
	checkConsole(t, page, string(out))
	if st, err := os.Stat(shot); err != nil || st.Size() == 0 {
		t.Fatalf("no screenshot written: %v", err)
	}
	t.Logf("screenshot: %s", shot)
}

// checkConsole fails on any console message or uncaught error the page logged.
func checkConsole(t *testing.T, page, stderr string) {
	t.Helper()
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, "CONSOLE") || strings.Contains(l, "Uncaught") {
			t.Errorf("%s: console message from the page: %s", filepath.Base(page), l)
		}
	}
}
