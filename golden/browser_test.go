package golden

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestHTMLInBrowser loads the sample incident's HTML report in a real headless Chromium: the
// DOM it builds must hold each timeline's marks (one per death and episode), the page must log
// no console error, and a screenshot is kept as an artifact (CORONER_ARTIFACTS, default
// golden/artifacts). Skipped where Chromium is not installed; .ci/run installs Debian's chromium.
func TestHTMLInBrowser(t *testing.T) {
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Skip("no Chromium installed")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	sample, _ := filepath.Glob("../testdata/sample/*")
	args := append([]string{"analyze", "--output-file", page}, sample...)
	if _, stderr, code := runCoroner(t, ".", args); code != 0 {
		t.Fatalf("coroner exited %d: %s", code, stderr)
	}
	jsonOut, _, _ := runCoroner(t, ".", append([]string{"analyze", "--format", "json"}, sample...))

	flags := []string{"--headless=new", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"}
	dom, err := exec.Command(browser, append(flags, "--dump-dom", "file://"+page)...).Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v", err)
	}
	checkHTML(t, string(dom), jsonOut)
	if !strings.Contains(string(dom), `class="mark `) {
		t.Fatal("the browser's DOM holds no timeline mark")
	}

	artifacts := os.Getenv("CORONER_ARTIFACTS")
	if artifacts == "" {
		artifacts = "artifacts"
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(artifacts, "report-sample.png")
	cmd := exec.Command(browser, append(flags, "--screenshot="+shot, "--window-size=1100,1600", "file://"+page)...)
	stderr, _ := cmd.CombinedOutput()
	for _, l := range strings.Split(string(stderr), "\n") {
		if strings.Contains(l, "CONSOLE") || strings.Contains(l, "Uncaught") {
			t.Errorf("console message from the page: %s", l)
		}
	}
	if st, err := os.Stat(shot); err != nil || st.Size() == 0 {
		t.Fatalf("no screenshot written: %v", err)
	}
	t.Logf("screenshot: %s", shot)
}
