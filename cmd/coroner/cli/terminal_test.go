package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// hostile is a process name that, printed raw, retitles the terminal (OSC 0) and, in a
// browser, reverses the text after it (RLO).
const hostile = "\x1b]0;pwned\x07\u202e\u009b2J"

// A kill whose process name holds escape sequences (the kernel prints comm as the process
// set it; a journal MESSAGE carries anything) is shown escaped in the text, Markdown and HTML
// reports, visibly, and kept raw in the JSON.
func TestControlCharactersEscaped(t *testing.T) {
	b, err := os.ReadFile("../../../golden/testdata/real/cgroupfs-burstable/kmsg.txt")
	if err != nil {
		t.Fatal(err)
	}
	// The kernel's report as journalctl -o json writes it: MESSAGE is JSON, so it carries
	// any byte, escape sequences included, which a text file's reader would strip.
	var in strings.Builder
	for i, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		_, msg, _ := strings.Cut(l, ";")
		rec, _ := json.Marshal(map[string]string{"__REALTIME_TIMESTAMP": strconv.Itoa(1795000000000000 + i), "_TRANSPORT": "kernel",
			"SYSLOG_IDENTIFIER": "kernel", "_HOSTNAME": "node-1", "MESSAGE": strings.ReplaceAll(msg, "memhog", hostile)})
		in.Write(append(rec, '\n'))
	}
	for _, format := range []string{"text", "markdown", "html"} {
		out, stderr, code := runMain(t, in.String(), "analyze", "-f", format, "-")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		if strings.ContainsAny(out, "\x1b\x07\u202e\u009b") {
			t.Errorf("%s: a control character is printed raw:\n%q", format, out)
		}
		if !strings.Contains(out, `\x1b]0;pwned\x07\u202e\u009b2J`) {
			t.Errorf("%s: the name is not shown escaped:\n%s", format, out)
		}
	}
	out, _, _ := runMain(t, in.String(), "analyze", "-f", "json", "-")
	var rep report.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Deaths) != 1 || rep.Deaths[0].Victim == nil {
		t.Fatalf("no death in the JSON: %v\n%s", err, out)
	}
	if got := rep.Deaths[0].Victim.Process; got != hostile {
		t.Errorf("the JSON's process name is %q, want the raw %q", got, hostile)
	}
}

// An error on standard error that quotes input, here a file name holding escape sequences,
// shows them escaped.
func TestStderrEscaped(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "dmesg"+hostile+".txt")
	_, stderr, code := runMain(t, "", "analyze", name)
	if code != exitUsage || !strings.Contains(stderr, `dmesg\x1b]0;pwned\x07\u202e\u009b2J.txt`) || strings.ContainsAny(stderr, "\x1b\x07\u202e\u009b") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
