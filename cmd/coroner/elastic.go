package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate"
	"github.com/k8s-coroner/coroner/correlate/analysis"
	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
	"github.com/k8s-coroner/coroner/sources"
	"github.com/k8s-coroner/coroner/sources/batch"
	"github.com/k8s-coroner/coroner/sources/elastic"
)

// esCmd is the batch job over Elasticsearch; osCmd the same over OpenSearch.
type esCmd struct {
	URL        []string `env:"ELASTICSEARCH_URL" sep:"," help:"Cluster URL(s), comma-separated."`
	CloudID    string   `env:"ELASTIC_CLOUD_ID" help:"Elastic Cloud ID instead of --url."`
	APIKey     string   `env:"ELASTIC_API_KEY" help:"API key (base64 id:key); never printed."`
	APIKeyFile string   `help:"File holding the API key."`
	esCommon
}

type osCmd struct {
	URL []string `env:"OPENSEARCH_URL" sep:"," help:"Cluster URL(s), comma-separated."`
	esCommon
}

// esCommon are the flags both products share.
type esCommon struct {
	Username        string `env:"ELASTICSEARCH_USERNAME" help:"Basic auth user."`
	Password        string `env:"ELASTICSEARCH_PASSWORD" help:"Basic auth password; never printed."`
	PasswordFile    string `help:"File holding the password."`
	BearerToken     string `env:"ELASTICSEARCH_BEARER_TOKEN" help:"Bearer (service) token; never printed."`
	BearerTokenFile string `help:"File holding a bearer token."`
	CAFile          string `name:"ca-file" help:"CA certificate (PEM) to trust."`
	CertFile        string `name:"cert-file" help:"Client certificate (PEM)."`
	KeyFile         string `name:"key-file" help:"Client key (PEM)."`
	Insecure        bool   `help:"Skip TLS certificate verification."`

	Index        string `default:"logs-*,filebeat-*" help:"Index pattern(s) of the node logs."`
	Preset       string `enum:"filebeat,fluent-bit,fluent-bit-kmsg" default:"filebeat" help:"Field names of the node logs' shipper: ${enum}."`
	TimeField    string `help:"Override the preset's time field."`
	MessageField string `help:"Override the preset's message field."`
	UnitField    string `help:"Override the preset's systemd unit field."`
	HostField    string `help:"Override the preset's node field."`
	EventsIndex  string `default:"" help:"Index pattern of Kubernetes Events (e.g. kube-events*); empty to read none."`
	EventsPreset string `enum:"event-exporter,metricbeat" default:"event-exporter" help:"Field names of the Events: ${enum}."`
	Tiebreaker   string `help:"Sort tiebreaker: _shard_doc (Elasticsearch, the default) or a unique field (OpenSearch 2.x has no _shard_doc; default _id)."`

	Since       time.Duration `default:"24h" help:"Analyse this long before --until."`
	Until       string        `help:"End of the range (RFC 3339), exclusive; default now."`
	From        string        `help:"Start of the range (RFC 3339), inclusive; overrides --since."`
	To          string        `help:"End of the range (RFC 3339), exclusive."`
	QueryWindow time.Duration `default:"1h" help:"Split the range into windows this long, fetched concurrently."`
	Parallel    int           `default:"4" help:"Windows fetched at once."`
	PageSize    int           `default:"5000" help:"Hits per search page."`
	Timeout     time.Duration `default:"1m" help:"Per-request timeout; a window that times out is read in halves."`
	Deadline    time.Duration `default:"0s" help:"Give up on windows not read after this long (0: no deadline)."`
	Retries     int           `default:"5" help:"Retries of a request answered 429 or 5xx."`
	Shard       string        `placeholder:"I/N" help:"Analyse only the nodes of shard I of N (by a hash of the node name); merge with coroner merge."`
	NoContext   bool          `help:"Do not read the whole kernel report around each kill."`
	NoCount     bool          `help:"Do not count the range's documents unfiltered."`
	Progress    bool          `help:"Report progress on stderr even when it is not a terminal."`

	IndexFindings string        `placeholder:"INDEX" help:"Write each death as a document to INDEX through _bulk (idempotent _id, index template)."`
	Window        time.Duration `default:"2m" help:"How far apart evidence of one death may be."`
	outputFlags
}

func (c *esCmd) Run(env *environment) error {
	key := c.APIKey
	if c.APIKeyFile != "" {
		b, err := os.ReadFile(c.APIKeyFile)
		if err != nil {
			return &exitError{exitUsage, err}
		}
		key = strings.TrimSpace(string(b))
	}
	return c.esCommon.run(env, elastic.Config{URLs: c.URL, CloudID: c.CloudID, APIKey: key}, "elasticsearch")
}

func (c *osCmd) Run(env *environment) error {
	return c.esCommon.run(env, elastic.Config{URLs: c.URL, OpenSearch: true}, "opensearch")
}

func (c *esCommon) run(env *environment, cfg elastic.Config, store string) error {
	cfg.Username, cfg.Password, cfg.BearerToken = c.Username, c.Password, c.BearerToken
	for _, f := range []struct {
		path string
		dst  *string
	}{{c.PasswordFile, &cfg.Password}, {c.BearerTokenFile, &cfg.BearerToken}} {
		if f.path != "" {
			b, err := os.ReadFile(f.path)
			if err != nil {
				return &exitError{exitUsage, err}
			}
			*f.dst = strings.TrimSpace(string(b))
		}
	}
	cfg.CAFile, cfg.CertFile, cfg.KeyFile, cfg.Insecure = c.CAFile, c.CertFile, c.KeyFile, c.Insecure
	cfg.Timeout, cfg.Retries, cfg.PageSize = c.Timeout, c.Retries, c.PageSize
	client, err := elastic.New(cfg)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	from, to, err := rangeOf(c.Since, c.Until, c.From, c.To, time.Now())
	if err != nil {
		return &exitError{exitUsage, err}
	}
	fields := elastic.Presets[c.Preset]
	for _, o := range []struct {
		v   string
		dst *string
	}{{c.TimeField, &fields.Time}, {c.MessageField, &fields.Message}, {c.UnitField, &fields.Unit}} {
		if o.v != "" {
			*o.dst = o.v
		}
	}
	if c.HostField != "" {
		fields.Hosts = []string{c.HostField}
	}
	tiebreaker := c.Tiebreaker
	if tiebreaker == "" && cfg.OpenSearch {
		tiebreaker = "_id"
	}
	ctx, cancel := runContext(c.Deadline)
	defer cancel()
	// An address that cannot be reached is said once, not once per window.
	if err := client.Reach(ctx); err != nil {
		return &exitError{exitUsage, err}
	}
	src := &elastic.Source{Client: client, Index: c.Index, Fields: fields, Phrases: parsers.TriggerPhrases(),
		From: from, To: to, Window: c.QueryWindow, Parallel: c.Parallel, Tiebreaker: tiebreaker,
		Count: !c.NoCount}
	if !c.NoContext {
		src.Context = parsers.IsOOMReportLine
	}
	if c.EventsIndex != "" {
		src.EventsIndex, src.EventFields, src.Reasons = c.EventsIndex, elastic.EventPresets[c.EventsPreset], memoryReasons()
	}
	if c.Shard != "" {
		shard, err := batch.ParseShard(c.Shard)
		if err != nil {
			return &exitError{exitUsage, err}
		}
		src.Keep = shard.Holds
		if shard.I != 0 {
			src.EventsIndex = "" // the cluster's Events are read once, by shard 0
		}
	}
	if c.Progress || isTerminal(env.stderr) {
		src.Progress = func(done, total, docs int) {
			fmt.Fprintf(env.stderr, "\rcoroner: %d/%d windows read, %s", done, total, countOf(int64(docs), "document"))
			if done == total {
				fmt.Fprintln(env.stderr)
			}
		}
	}
	src.Ctx = ctx
	rep := analysis.Analyze([]sources.Source{src}, analysis.Options{Window: c.Window}).Report
	tr := &report.Transfer{Store: store, URL: strings.Join(cfg.URLs, ","), From: from, To: to, Queries: []string{c.Index}, Shard: c.Shard,
		Windows: src.Stats.Windows, Lines: src.Stats.Docs, Bytes: src.Stats.Bytes, ContextLines: src.Stats.ContextDocs,
		UnfilteredLines: src.Stats.Unfiltered, Missing: []report.MissingWindow{}}
	if cfg.CloudID != "" {
		tr.URL = "cloud"
	}
	if src.EventsIndex != "" {
		tr.Queries = append(tr.Queries, src.EventsIndex)
	}
	for _, m := range src.Missing {
		tr.Missing = append(tr.Missing, report.MissingWindow{From: m.Window.From, To: m.Window.To, Error: m.Err})
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("window %s not read: %s", m.Window, m.Err))
	}
	tr.OutsideRange = correlate.KeepRange(rep, from, to)
	rep.Transfer = tr
	if src.Stats.Docs == 0 && len(src.Missing) == 0 {
		if err := src.CheckFields(ctx); err != nil {
			rep.Warnings = append(rep.Warnings, err.Error())
			if werr := c.write(env, rep); werr != nil {
				return werr
			}
			return &exitError{exitUsage, err}
		}
	}
	if c.IndexFindings != "" {
		findings := esFindings(rep, to)
		if err := client.IndexFindings(ctx, c.IndexFindings, findings); err != nil {
			rep.Warnings = append(rep.Warnings, "indexing findings: "+err.Error())
		} else {
			tr.Pushed = len(findings)
		}
	}
	if err := c.write(env, rep); err != nil {
		return err
	}
	switch {
	case len(src.Missing) > 0 && src.Stats.Docs == 0 && len(src.Missing) >= src.Stats.Windows:
		return &exitError{exitUsage, fmt.Errorf("nothing could be read from %s: %s", store, src.Missing[0].Err)}
	case len(src.Missing) > 0:
		return &exitError{exitPartial, fmt.Errorf("%d window(s) of the range could not be read; the analysis is incomplete there", len(src.Missing))}
	}
	return nil
}

// esFindings are the deaths as documents, keyed by what identifies a death across runs.
func esFindings(rep *report.Report, fallback time.Time) []elastic.Finding {
	var out []elastic.Finding
	for _, d := range append(append([]report.Death{}, rep.Deaths...), rep.HostKills...) {
		at := fallback
		if d.Time != nil {
			at = *d.Time
		}
		victim := 0
		if d.Victim != nil {
			victim = d.Victim.PID
		}
		key := strings.Join([]string{d.Node, d.Namespace, d.Pod, d.Container, d.ContainerID, string(d.Mechanism), at.UTC().Format(time.RFC3339Nano), fmt.Sprint(victim)}, "|")
		out = append(out, elastic.Finding{Key: key, Doc: struct {
			Timestamp time.Time `json:"@timestamp"`
			report.Death
		}{at.UTC(), d}})
	}
	return out
}
