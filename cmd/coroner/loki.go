package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"

	"github.com/k8s-coroner/coroner/correlate"
	"github.com/k8s-coroner/coroner/correlate/analysis"
	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
	"github.com/k8s-coroner/coroner/sources"
	"github.com/k8s-coroner/coroner/sources/batch"
	"github.com/k8s-coroner/coroner/sources/loki"
)

// lokiCmd is the batch job over Grafana Loki.
type lokiCmd struct {
	// logcli's flag names and environment variables work too, so its users' settings carry over.
	URL             string            `aliases:"addr" env:"LOKI_ADDR" help:"Loki's base URL, e.g. http://loki:3100 (logcli: --addr)."`
	Tenant          string            `aliases:"org-id" env:"LOKI_ORG_ID" help:"Tenant (X-Scope-OrgID); A|B reads several (logcli: --org-id)."`
	Username        string            `env:"LOKI_USERNAME" help:"Basic auth user."`
	Password        string            `env:"LOKI_PASSWORD" help:"Basic auth password; never printed."`
	BearerToken     string            `env:"LOKI_BEARER_TOKEN" help:"Bearer token; never printed."`
	BearerTokenFile string            `env:"LOKI_BEARER_TOKEN_FILE" help:"File holding a bearer token."`
	Header          map[string]string `help:"Extra request header NAME=VALUE (repeatable)."`
	CAFile          string            `name:"ca-file" aliases:"ca-cert" env:"LOKI_CA_CERT_PATH" help:"CA certificate (PEM) to trust (logcli: --ca-cert)."`
	CertFile        string            `name:"cert-file" aliases:"cert" env:"LOKI_CLIENT_CERT_PATH" help:"Client certificate (PEM) (logcli: --cert)."`
	KeyFile         string            `name:"key-file" aliases:"key" env:"LOKI_CLIENT_KEY_PATH" help:"Client key (PEM) (logcli: --key)."`
	Insecure        bool              `aliases:"tls-skip-verify" env:"LOKI_TLS_SKIP_VERIFY" help:"Skip TLS certificate verification (logcli: --tls-skip-verify)."`

	Since     time.Duration `default:"24h" help:"Analyse this long before --until."`
	Until     string        `help:"End of the range (RFC 3339), exclusive; default now."`
	From      string        `help:"Start of the range (RFC 3339), inclusive; overrides --since."`
	To        string        `help:"End of the range (RFC 3339), exclusive; same as --until."`
	Selector  string        `default:"{job=~\".+\"}" help:"LogQL stream selector of the node logs (journal, kernel, syslog files)."`
	Events    string        `default:"{job=~\".*(kubernetes_events|eventhandler|event-exporter|event_exporter).*\"}" help:"LogQL stream selector of Kubernetes Event streams; empty to read none."`
	Preset    string        `enum:"auto,promtail,alloy,varlogs" default:"auto" help:"Label names of the shipper: ${enum}."`
	NodeLabel string        `help:"Label that names the node (default: the preset's, e.g. host, hostname, instance)."`

	QueryWindow time.Duration `default:"1h" help:"Split the range into windows this long, fetched concurrently."`
	Parallel    int           `default:"4" help:"Windows fetched at once."`
	PageSize    int           `default:"5000" help:"Entries per request; lowered to the server's max_entries_limit_per_query when it says so."`
	Timeout     time.Duration `default:"1m" help:"Per-request timeout; a window that times out is read in halves."`
	Deadline    time.Duration `default:"0s" help:"Give up on windows not read after this long (0: no deadline)."`
	Retries     int           `default:"5" help:"Retries of a request answered 429, 5xx or dropped."`
	Shard       string        `placeholder:"I/N" help:"Analyse only the nodes of shard I of N (by a hash of the node name); merge the N reports with coroner merge."`
	NoContext   bool          `help:"Do not read the whole kernel report around each kill (only the lines the filters ship)."`
	NoCount     bool          `help:"Do not ask Loki how much an unfiltered pull of the range would ship."`
	Progress    bool          `help:"Report progress on stderr even when it is not a terminal."`

	PushFindings bool          `help:"Write each death back to Loki as a JSON log line in stream {job=\"coroner\", mechanism, namespace, node}."`
	Window       time.Duration `default:"2m" help:"How far apart evidence of one death may be."`
	outputFlags
}

func (l *lokiCmd) Run(env *environment) error {
	from, to, err := rangeOf(l.Since, l.Until, l.From, l.To, time.Now())
	if err != nil {
		return &exitError{exitUsage, err}
	}
	client, err := loki.New(loki.Config{URL: l.URL, Tenant: l.Tenant, Username: l.Username, Password: l.Password,
		BearerToken: l.BearerToken, BearerTokenFile: l.BearerTokenFile, Headers: l.Header, CAFile: l.CAFile,
		CertFile: l.CertFile, KeyFile: l.KeyFile, Insecure: l.Insecure, Timeout: l.Timeout, Retries: l.Retries,
		MaxEntries: l.PageSize})
	if err != nil {
		return &exitError{exitUsage, err}
	}
	mapping := loki.Presets[l.Preset]
	if l.NodeLabel != "" {
		mapping.NodeLabels = []string{l.NodeLabel}
	}
	ctx, cancel := runContext(l.Deadline)
	defer cancel()
	// An address that cannot be reached is said once, not once per window with its query.
	if err := client.Reach(ctx); err != nil {
		return &exitError{exitUsage, err}
	}
	// Event streams are read by their own query, and coroner's own findings are never evidence.
	nodeSel, err := loki.WithMatcher(l.Selector, `job!~"`+loki.EventsJobs+`|coroner"`)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	eventsSel := l.Events
	if l.Shard != "" {
		shard, err := batch.ParseShard(l.Shard)
		if err != nil {
			return &exitError{exitUsage, err}
		}
		if len(mapping.NodeLabels) != 1 {
			return &exitError{exitUsage, fmt.Errorf("--shard needs --node-label: the label that names the node")}
		}
		nodes, err := client.LabelValues(ctx, mapping.NodeLabels[0], from, to)
		if err != nil {
			return &exitError{exitUsage, fmt.Errorf("listing nodes for --shard: %w", err)}
		}
		m := loki.Shard(mapping.NodeLabels[0], nodes, shard)
		if m == "" {
			m = mapping.NodeLabels[0] + `="coroner-no-node-in-this-shard"`
		}
		if nodeSel, err = loki.WithMatcher(nodeSel, m); err != nil {
			return &exitError{exitUsage, err}
		}
		if shard.I != 0 {
			eventsSel = "" // the cluster's Events are read once, by shard 0
		}
	}
	src := &loki.Source{Ctx: ctx, Client: client, NodeQuery: nodeSel + loki.LineFilter(parsers.NodeTriggerPattern()),
		From: from, To: to, Window: l.QueryWindow, Parallel: l.Parallel, Mapping: mapping}
	if !l.NoContext {
		src.Context = parsers.IsOOMReportLine
	}
	if eventsSel != "" {
		src.EventsQuery = eventsSel + loki.EventReasonsFilter(memoryReasons())
	}
	if !l.NoCount {
		src.Unfiltered = nodeSel
	}
	if l.Progress || isTerminal(env.stderr) {
		src.Progress = func(done, total, lines int) {
			fmt.Fprintf(env.stderr, "\rcoroner: %d/%d windows read, %s", done, total, countOf(int64(lines), "line"))
			if done == total {
				fmt.Fprintln(env.stderr)
			}
		}
	}
	rep := analysis.Analyze([]sources.Source{src}, analysis.Options{Window: l.Window}).Report
	tr := &report.Transfer{Store: "loki", URL: l.URL, From: from, To: to, Queries: []string{src.NodeQuery}, Shard: l.Shard,
		Windows: src.Stats.Windows, Lines: src.Stats.Lines, Bytes: src.Stats.Bytes, ContextLines: src.Stats.ContextLines,
		UnfilteredLines: src.Stats.UnfilteredLines, UnfilteredBytes: src.Stats.UnfilteredBytes, Missing: []report.MissingWindow{}}
	if src.EventsQuery != "" {
		tr.Queries = append(tr.Queries, src.EventsQuery)
	}
	for _, m := range src.Missing {
		tr.Missing = append(tr.Missing, report.MissingWindow{From: m.Window.From, To: m.Window.To, Error: m.Err})
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("window %s not read: %s", m.Window, m.Err))
	}
	tr.OutsideRange = correlate.KeepRange(rep, from, to)
	rep.Transfer = tr
	if l.PushFindings {
		findings := findingsOf(rep, to)
		if err := client.Push(ctx, findings); err != nil {
			rep.Warnings = append(rep.Warnings, "pushing findings: "+err.Error())
		} else {
			tr.Pushed = len(findings)
		}
	}
	if err := l.write(env, rep); err != nil {
		return err
	}
	switch {
	case len(src.Missing) > 0 && src.Stats.Lines == 0 && len(src.Missing) >= src.Stats.Windows:
		return &exitError{exitUsage, fmt.Errorf("nothing could be read from Loki: %s", src.Missing[0].Err)}
	case len(src.Missing) > 0:
		return &exitError{exitPartial, fmt.Errorf("%d window(s) of the range could not be read; the analysis is incomplete there", len(src.Missing))}
	}
	return nil
}

// rangeOf is [from, to) from the batch jobs' range flags.
func rangeOf(since time.Duration, until, fromFlag, toFlag string, now time.Time) (time.Time, time.Time, error) {
	to := now
	for _, s := range []string{until, toFlag} {
		if s != "" {
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return time.Time{}, time.Time{}, fmt.Errorf("%q is not an RFC 3339 time", s)
			}
			to = t
		}
	}
	from := to.Add(-since)
	if fromFlag != "" {
		t, err := time.Parse(time.RFC3339Nano, fromFlag)
		if err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("--from %q is not an RFC 3339 time", fromFlag)
		}
		from = t
	}
	if !from.Before(to) {
		return time.Time{}, time.Time{}, fmt.Errorf("the range %s – %s is empty", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	return from, to, nil
}

func memoryReasons() []string {
	var out []string
	for r := range parsers.MemoryEventReasons {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// findingsOf turns deaths into log lines: the death as JSON, at the death's time (else the
// range's end), in a stream labelled by mechanism, namespace and node, so Grafana shows them
// beside the logs. The same run over the same range writes the same lines.
func findingsOf(rep *report.Report, fallback time.Time) []loki.Finding {
	var out []loki.Finding
	for _, d := range append(append([]report.Death{}, rep.Deaths...), rep.HostKills...) {
		line, err := json.Marshal(d)
		if err != nil {
			continue
		}
		at := fallback
		if d.Time != nil {
			at = *d.Time
		}
		labels := map[string]string{"job": "coroner", "mechanism": string(d.Mechanism)}
		if d.Namespace != "" {
			labels["namespace"] = d.Namespace
		}
		if d.Node != "" {
			labels["node"] = d.Node
		}
		out = append(out, loki.Finding{Labels: labels, Time: at, Line: string(line)})
	}
	return out
}

// mergeCmd joins the JSON reports of sharded runs.
type mergeCmd struct {
	Reports []string `arg:"" name:"report" help:"JSON reports of coroner loki or analyze (--format json)."`
	outputFlags
}

func (m *mergeCmd) Run(env *environment) error {
	var reps []*report.Report
	for _, p := range m.Reports {
		b, err := os.ReadFile(p)
		if err != nil {
			return &exitError{exitUsage, err}
		}
		var r report.Report
		if err := json.Unmarshal(b, &r); err != nil {
			return &exitError{exitUsage, fmt.Errorf("%s: not a coroner JSON report: %w", p, err)}
		}
		reps = append(reps, &r)
	}
	shards := make([]string, len(reps))
	for i, r := range reps {
		if r.Transfer != nil {
			shards[i] = r.Transfer.Shard
		}
	}
	missing, err := batch.CheckShards(shards)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	rep, err := correlate.MergeReports(reps)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	for _, s := range missing {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("shard %s is not among the merged reports: the nodes that fall to it are not analysed", s))
	}
	if err := m.write(env, rep); err != nil {
		return err
	}
	if len(missing) > 0 {
		return &exitError{exitPartial, fmt.Errorf("%d of %d shards missing", len(missing), missing[0].N)}
	}
	return nil
}

// runContext bounds a batch job: by --deadline when set, and by an interrupt (Ctrl-C,
// SIGTERM from a CronJob's deadline), so that work in flight stops and points in time close.
func runContext(deadline time.Duration) (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if deadline <= 0 {
		return ctx, stop
	}
	ctx, cancel := context.WithTimeout(ctx, deadline)
	return ctx, func() { cancel(); stop() }
}
