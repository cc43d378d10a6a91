package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/sources/loki"
	"github.com/k8s-coroner/coroner/sources/loki/lokitest"
	"golang.org/x/tools/txtar"
)

// The same incident read from files by coroner analyze and from Loki by coroner loki gives the
// same deaths. The incident: a real kernel OOM report (the lab's journalctl -o json capture,
// shipped as a journal shipper does: MESSAGE at __REALTIME_TIMESTAMP, labelled by host and
// transport), the three-pod eviction episode's kubelet journal and its Events (shipped as
// kubernetes-event-exporter does: the whole Event as JSON, at export time). Everything is
// pushed into the fake Loki with the real push protocol (JSON).
func TestLokiEquivalentToAnalyze(t *testing.T) {
	srv := lokitest.New()
	defer srv.Close()
	srv.RequireTenant = true
	dir := t.TempDir()

	pushIncident(t, srv, dir, "prod")

	fromFiles, stderr, code := runMain(t, "", "analyze", "--format", "json", "--year", "2026", "--tz", "UTC",
		filepath.Join(dir, "journal.json"), filepath.Join(dir, "kubelet.log"), filepath.Join(dir, "events.json"))
	if code != 0 {
		t.Fatalf("analyze exited %d: %s", code, stderr)
	}
	fromLoki, stderr, code := runMain(t, "", "loki", "--url", srv.URL, "--tenant", "prod", "--format", "json",
		"--from", "2026-11-27T00:00:00Z", "--to", "2026-11-28T00:00:00Z", "--query-window", "6h", "--parallel", "2")
	if code != 0 {
		t.Fatalf("loki exited %d: %s", code, stderr)
	}
	checkSchema(t, "coroner loki's report", fromLoki)
	a, b := deathsOf(t, fromFiles), deathsOf(t, fromLoki)
	if len(a) != 4 {
		t.Fatalf("analyze found %d deaths, want 4: the OOM kill and the three evictions", len(a))
	}
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("deaths differ\nanalyze:\n%s\nloki:\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
	var rep report.Report
	json.Unmarshal([]byte(fromLoki), &rep)
	t.Logf("transfer: %+v", *rep.Transfer)
	for _, d := range rep.Deaths {
		t.Logf("%s %s/%s evidence %d lines, tasks %d", d.Mechanism, d.Namespace, d.Pod, len(d.Evidence), func() int {
			if d.Kernel == nil {
				return 0
			}
			return d.Kernel.Tasks
		}())
	}
	if rep.Transfer == nil || rep.Transfer.Lines == 0 || rep.Transfer.UnfilteredLines <= int64(rep.Transfer.Lines)-int64(rep.Transfer.ContextLines) {
		t.Errorf("transfer %+v: the filters should ship fewer lines than the range holds", rep.Transfer)
	}
}

func mustRead(t *testing.T, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// deathsOf projects a report's deaths on what must agree whatever the source.
func deathsOf(t *testing.T, js string) []string {
	var rep report.Report
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatalf("not a report: %v", err)
	}
	var out []string
	for _, d := range append(rep.Deaths, rep.HostKills...) {
		at := ""
		if d.Time != nil {
			at = d.Time.Truncate(time.Second).Format(time.RFC3339)
		}
		pid := 0
		if d.Victim != nil {
			pid = d.Victim.PID
		}
		out = append(out, fmt.Sprintf("%s %s/%s/%s %s %s pid=%d", d.Mechanism, d.Namespace, d.Pod, d.Container, d.ContainerID, at, pid))
	}
	sort.Strings(out)
	return out
}

// Events shipped by Grafana Alloy (logfmt, namespace as a stream label) and kernel messages of
// a journal shipper without a unit or transport label are read; findings pushed back twice
// leave one line per death.
func TestLokiAlloyEventsAndPushFindings(t *testing.T) {
	srv := lokitest.New()
	defer srv.Close()
	at := time.Date(2026, 11, 27, 3, 12, 44, 0, time.UTC)
	// loki.source.kubernetes_events' logfmt key order (docs/log-stores.md §1.8).
	line := `name=etl-28443210-vq5cm kind=Pod objectAPIversion=v1 objectRV=48190 eventRV=48250 sourcecomponent=kubelet sourcehost=node-7 reason=Evicted type=Warning count=1 msg="The node was low on resource: memory. Threshold quantity: 100Mi, available: 80216Ki. Container worker was using 1812440Ki, request is 0, has larger consumption of memory. " `
	c, _ := loki.New(loki.Config{URL: srv.URL})
	err := c.Push(context.Background(), []loki.Finding{
		{Labels: map[string]string{"job": "loki.source.kubernetes_events", "namespace": "jobs"}, Time: at, Line: line},
		{Labels: map[string]string{"job": "systemd-journal", "host": "node-9"}, Time: at.Add(time.Minute),
			Line: "Out of memory: Killed process 4242 (java) total-vm:4096000kB, anon-rss:3000000kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:6500kB oom_score_adj:1000"},
	})
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"loki", "--url", srv.URL, "--format", "json", "--from", "2026-11-27T00:00:00Z", "--to", "2026-11-27T06:00:00Z", "--push-findings"}
	out, stderr, code := runMain(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	checkSchema(t, "coroner loki's report", out)
	var rep report.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Deaths) != 1 || rep.Deaths[0].Mechanism != report.KubeletEviction || rep.Deaths[0].Namespace != "jobs" {
		t.Errorf("deaths %+v", rep.Deaths)
	}
	if len(rep.HostKills) != 1 || rep.HostKills[0].Node != "node-9" || rep.HostKills[0].Victim.PID != 4242 {
		t.Errorf("host kills %+v", rep.HostKills)
	}
	if _, _, code := runMain(t, "", args...); code != 0 {
		t.Fatal("second run failed")
	}
	pushed := 0
	for labels, entries := range srv.Streams("fake") {
		if strings.Contains(labels, `job="coroner"`) {
			pushed += len(entries)
		}
	}
	if pushed != 2 {
		t.Errorf("%d finding lines after two runs, want 2 (one per death, idempotent)", pushed)
	}
}

// incidentLine is one node-log line of the test incident, as a shipper sees it.
type incidentLine struct {
	at         time.Time
	host, unit string // unit "" for the kernel's lines
	text       string
}

// incident writes the test incident's files into dir (journal.json, kubelet.log, events.json)
// and returns its node-log lines and its Events as JSON lines: a real kernel OOM report (the
// lab's journalctl -o json capture: MESSAGE at __REALTIME_TIMESTAMP, host from _HOSTNAME), the
// three-pod eviction episode's kubelet journal and its Events (golden case
// k8s-eviction-episode-three-pods).
func incident(t *testing.T, dir string) ([]incidentLine, []string) {
	t.Helper()
	var lines []incidentLine
	journal := "../../../golden/testdata/real/journal-systemd-containerd/journal-k-json.txt"
	raw := mustRead(t, journal)
	os.WriteFile(filepath.Join(dir, "journal.json"), raw, 0o644)
	sc := bufio.NewScanner(strings.NewReader(string(raw)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e struct {
			Message  string `json:"MESSAGE"`
			Realtime string `json:"__REALTIME_TIMESTAMP"`
			Host     string `json:"_HOSTNAME"`
		}
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		us, _ := strconv.ParseInt(e.Realtime, 10, 64)
		lines = append(lines, incidentLine{at: time.UnixMicro(us).UTC(), host: e.Host, text: e.Message})
	}
	ar, err := txtar.ParseFile("../../../golden/testdata/k8s-eviction-episode-three-pods.txtar")
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	for _, file := range ar.Files {
		switch file.Name {
		case "kubelet.log":
			os.WriteFile(filepath.Join(dir, "kubelet.log"), file.Data, 0o644)
			for _, l := range strings.Split(strings.TrimSpace(string(file.Data)), "\n") {
				// "Nov 27 14:46:02 node-3 kubelet[1187]: <message>"
				at, _ := time.Parse("2006 Jan _2 15:04:05", "2026 "+l[:15])
				host, rest, _ := strings.Cut(l[16:], " ")
				_, msg, _ := strings.Cut(rest, ": ")
				// The klog header carries microseconds the syslog stamp drops.
				if k := strings.Fields(msg); len(k) > 1 {
					if tm, err := time.Parse("15:04:05.000000", k[1]); err == nil {
						at = time.Date(at.Year(), at.Month(), at.Day(), tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond(), time.UTC)
					}
				}
				lines = append(lines, incidentLine{at: at, host: host, unit: "kubelet.service", text: msg})
			}
		case "events.json":
			os.WriteFile(filepath.Join(dir, "events.json"), file.Data, 0o644)
			var list struct{ Items []json.RawMessage }
			json.Unmarshal(file.Data, &list)
			for _, it := range list.Items {
				var compact strings.Builder
				json.NewEncoder(&compact).Encode(json.RawMessage(it))
				events = append(events, strings.TrimSpace(compact.String()))
			}
		}
	}
	return lines, events
}

// --deadline stops a run whose store is too slow: the windows not read (three of node logs,
// three of Events) are named and the exit code says nothing could be read.
func TestLokiDeadline(t *testing.T) {
	srv := lokitest.New()
	defer srv.Close()
	srv.Fault = func(r *http.Request) (int, string) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
		return http.StatusServiceUnavailable, "slow"
	}
	out, stderr, code := runMain(t, "", "loki", "--url", srv.URL, "--format", "json", "--from", "2026-11-27T00:00:00Z",
		"--to", "2026-11-27T03:00:00Z", "--deadline", "100ms", "--no-count", "--retries", "0")
	if code != exitUsage || !strings.Contains(stderr, "nothing could be read") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	checkSchema(t, "coroner loki's report of a range it could not read", out)
	var rep report.Report
	json.Unmarshal([]byte(out), &rep)
	if rep.Transfer == nil || len(rep.Transfer.Missing) != 6 || !strings.Contains(rep.Transfer.Missing[0].Error, "deadline") {
		t.Errorf("missing %+v", rep.Transfer)
	}
}

// pushIncident writes the incident into the fake Loki as shippers do: journal lines labelled
// by host and transport or unit, Events as kubernetes-event-exporter ships them (the whole
// Event as JSON, at export time), through the real push protocol.
func pushIncident(t *testing.T, srv *lokitest.Server, dir, tenant string) {
	t.Helper()
	lines, events := incident(t, dir)
	var findings []loki.Finding
	for _, l := range lines {
		labels := map[string]string{"job": "systemd-journal", "host": l.host}
		if l.unit == "" {
			labels["transport"] = "kernel"
		} else {
			labels["unit"] = l.unit
		}
		findings = append(findings, loki.Finding{Labels: labels, Time: l.at, Line: l.text})
	}
	for i, e := range events {
		findings = append(findings, loki.Finding{Labels: map[string]string{"job": "kubernetes-event-exporter"},
			Time: time.Date(2026, 11, 27, 15, 0, i, 0, time.UTC), // the export time, not the Event's
			Line: e})
	}
	pusher, err := loki.New(loki.Config{URL: srv.URL, Tenant: tenant})
	if err != nil {
		t.Fatal(err)
	}
	if err := pusher.Push(context.Background(), findings); err != nil {
		t.Fatal(err)
	}
}
