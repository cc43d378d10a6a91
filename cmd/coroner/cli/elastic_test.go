package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/sources/elastic/estest"
)

// The incident of TestLokiEquivalentToAnalyze, loaded into a fake Elasticsearch and OpenSearch
// in Filebeat's journald shape and in Fluent Bit's, with the Events as kubernetes-event-exporter
// indexes them: coroner elasticsearch / opensearch find the same deaths as coroner analyze.
func TestElasticEquivalentToAnalyze(t *testing.T) {
	dir := t.TempDir()
	lines, events := incident(t, dir)
	fromFiles, stderr, code := runMain(t, "", "analyze", "--format", "json", "--year", "2026", "--tz", "UTC",
		filepath.Join(dir, "journal.json"), filepath.Join(dir, "kubelet.log"), filepath.Join(dir, "events.json"))
	if code != 0 {
		t.Fatalf("analyze exited %d: %s", code, stderr)
	}
	want := deathsOf(t, fromFiles)
	for _, c := range []struct {
		cmd, preset string
		openSearch  bool
		doc         func(l incidentLine) map[string]any
	}{
		{"elasticsearch", "filebeat", false, func(l incidentLine) map[string]any {
			d := map[string]any{"@timestamp": l.at.Format(time.RFC3339Nano), "message": l.text, "host": map[string]any{"hostname": l.host}}
			if l.unit == "" {
				d["systemd"] = map[string]any{"transport": "kernel"}
			} else {
				d["systemd"] = map[string]any{"unit": l.unit, "transport": "stdout"}
			}
			return d
		}},
		{"opensearch", "fluent-bit", true, func(l incidentLine) map[string]any {
			d := map[string]any{"@timestamp": l.at.Format(time.RFC3339Nano), "MESSAGE": l.text, "_HOSTNAME": l.host}
			if l.unit == "" {
				d["_TRANSPORT"], d["SYSLOG_IDENTIFIER"] = "kernel", "kernel"
			} else {
				d["_SYSTEMD_UNIT"], d["_TRANSPORT"] = l.unit, "stdout"
			}
			return d
		}},
	} {
		t.Run(c.cmd, func(t *testing.T) {
			srv := estest.New()
			defer srv.Close()
			srv.OpenSearch = c.openSearch
			for _, l := range lines {
				srv.Index("logs-journald-default", c.doc(l))
			}
			for _, e := range events {
				var doc map[string]any
				json.Unmarshal([]byte(e), &doc)
				srv.Index("kube-events", doc)
			}
			out, stderr, code := runMain(t, "", c.cmd, "--url", srv.URL, "--index", "logs-*", "--preset", c.preset,
				"--events-index", "kube-events*", "--format", "json", "--from", "2026-11-27T00:00:00Z", "--to", "2026-11-28T00:00:00Z",
				"--page-size", "7", "--query-window", "6h", "--index-findings", "coroner-findings")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			checkSchema(t, c.cmd+"'s report", out)
			if got := deathsOf(t, out); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("deaths differ\nanalyze:\n%s\n%s:\n%s", strings.Join(want, "\n"), c.cmd, strings.Join(got, "\n"))
			}
			var rep report.Report
			json.Unmarshal([]byte(out), &rep)
			if rep.Transfer == nil || rep.Transfer.UnfilteredLines <= int64(rep.Transfer.Lines-rep.Transfer.ContextLines) {
				t.Errorf("transfer %+v: the query should ship fewer documents than the range holds", rep.Transfer)
			}
			if n := len(srv.Docs("coroner-findings")); n != len(want) {
				t.Errorf("%d findings indexed, want %d", n, len(want))
			}
		})
	}
}
