package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/sources/elastic/estest"
	"github.com/k8s-coroner/coroner/sources/loki/lokitest"
)

// TestEmptyStoreIsPartial: a wrong tenant or an empty index ships nothing, and the report's
// "no deaths" then means nothing: a warning says so and the exit code is 1 (partial). A
// store that holds lines, none of them evidence, is a quiet cluster: exit 0, no warning.
// Both gave exit 0 without a word.
func TestEmptyStoreIsPartial(t *testing.T) {
	at := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	rng := []string{"--format", "json", "--from", "2026-11-27T00:00:00Z", "--to", "2026-11-27T06:00:00Z"}

	loki := lokitest.New()
	defer loki.Close()
	loki.Push("prod", map[string]string{"job": "systemd-journal", "host": "node-1"}, lokitest.Entry{Timestamp: at, Line: "Started Session 3 of user core."})
	for _, c := range []struct {
		tenant string
		code   int
	}{{"dev", exitPartial}, {"prod", 0}} {
		out, stderr, code := runMain(t, "", append([]string{"loki", "--url", loki.URL, "--org-id", c.tenant}, rng...)...)
		said := strings.Contains(out, "holds nothing in the range")
		if code != c.code || said != (c.code != 0) {
			t.Errorf("loki tenant %s: exit %d (want %d), warning %v\nstderr: %s", c.tenant, code, c.code, said, stderr)
		}
	}

	es := estest.New()
	defer es.Close()
	es.Index("logs-journald-default", map[string]any{"@timestamp": at.Format(time.RFC3339Nano), "message": "Started Session 3 of user core.",
		"host": map[string]any{"hostname": "node-1"}, "systemd": map[string]any{"unit": "systemd-logind.service", "transport": "stdout"}})
	for _, c := range []struct {
		index string
		code  int
	}{{"metrics-*", exitPartial}, {"logs-*", 0}} {
		out, stderr, code := runMain(t, "", append([]string{"elasticsearch", "--url", es.URL, "--index", c.index, "--preset", "filebeat", "--events-index", ""}, rng...)...)
		said := strings.Contains(out, "holds nothing in the range")
		if code != c.code || said != (c.code != 0) {
			t.Errorf("elasticsearch index %s: exit %d (want %d), warning %v\nstderr: %s", c.index, code, c.code, said, stderr)
		}
	}
}
