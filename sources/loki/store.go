package loki

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/sources"
	"github.com/k8s-coroner/coroner/sources/batch"
	"github.com/k8s-coroner/coroner/sources/secret"
)

// Flags are coroner loki's own flags, beside the batch job's. logcli's flag names and
// environment variables work too, so its users' settings carry over.
type Flags struct {
	URL             string            `aliases:"addr" env:"LOKI_ADDR" help:"Loki's base URL, e.g. http://loki:3100 (logcli: --addr)."`
	Tenant          string            `aliases:"org-id" env:"LOKI_ORG_ID" help:"Tenant (X-Scope-OrgID); A|B reads several (logcli: --org-id)."`
	Username        string            `env:"LOKI_USERNAME" help:"Basic auth user."`
	Password        string            `env:"LOKI_PASSWORD" help:"Basic auth password; never printed (--password-file keeps it out of ps)."`
	PasswordFile    string            `env:"LOKI_PASSWORD_FILE" help:"File holding the Basic auth password (a trailing newline is dropped)."`
	BearerToken     string            `env:"LOKI_BEARER_TOKEN" help:"Bearer token; never printed (--bearer-token-file keeps it out of ps)."`
	BearerTokenFile string            `env:"LOKI_BEARER_TOKEN_FILE" help:"File holding a bearer token (a trailing newline is dropped)."`
	Header          map[string]string `help:"Extra request header NAME=VALUE (repeatable)."`
	CAFile          string            `name:"ca-file" aliases:"ca-cert" env:"LOKI_CA_CERT_PATH" help:"CA certificate (PEM) to trust (logcli: --ca-cert)."`
	CertFile        string            `name:"cert-file" aliases:"cert" env:"LOKI_CLIENT_CERT_PATH" help:"Client certificate (PEM) (logcli: --cert)."`
	KeyFile         string            `name:"key-file" aliases:"key" env:"LOKI_CLIENT_KEY_PATH" help:"Client key (PEM) (logcli: --key)."`
	Insecure        bool              `aliases:"tls-skip-verify" env:"LOKI_TLS_SKIP_VERIFY" help:"Skip TLS certificate verification (logcli: --tls-skip-verify)."`

	Selector     string `default:"{job=~\".+\"}" help:"LogQL stream selector of the node logs (journal, kernel, syslog files)."`
	Events       string `default:"{job=~\".*(kubernetes_events|eventhandler|event-exporter|event_exporter).*\"}" help:"LogQL stream selector of Kubernetes Event streams; empty to read none."`
	Preset       string `enum:"auto,promtail,alloy,varlogs" default:"auto" help:"Label names of the shipper: ${enum}."`
	NodeLabel    string `help:"Label that names the node (default: the preset's, e.g. host, hostname, instance)."`
	PushFindings bool   `help:"Write each death back to Loki as a JSON log line in stream {job=\"coroner\", mechanism, namespace, node}."`
}

// Open builds the store the flags describe. Every credential is told to conn.Secrets
// before the client is built, so that even an error about it shows none.
func (f *Flags) Open(conn batch.Conn) (batch.Store, error) {
	password, err := secret.FromFlags("password", f.Password, "password-file", f.PasswordFile)
	if err != nil {
		return nil, err
	}
	token, err := secret.FromFlags("bearer-token", f.BearerToken, "bearer-token-file", f.BearerTokenFile)
	if err != nil {
		return nil, err
	}
	tellSecrets(conn.Secrets, f.URL, f.Username, password, token, f.Header)
	client, err := New(Config{URL: f.URL, Tenant: f.Tenant, Username: f.Username, Password: password,
		BearerToken: token, Headers: f.Header, CAFile: f.CAFile,
		CertFile: f.CertFile, KeyFile: f.KeyFile, Insecure: f.Insecure, Timeout: conn.Timeout, Retries: conn.Retries,
		MaxEntries: conn.PageSize})
	if err != nil {
		return nil, err
	}
	mapping := Presets[f.Preset]
	if f.NodeLabel != "" {
		mapping.NodeLabels = []string{f.NodeLabel}
	}
	return &Store{Client: client, Selector: f.Selector, Events: f.Events, Mapping: mapping, Push: f.PushFindings}, nil
}

// Examples are the command lines people copy first.
func (*Flags) Examples() []string {
	return []string{
		"coroner loki --addr http://loki-gateway.monitoring:3100 --org-id prod --since 24h",
		"LOKI_ADDR=https://logs.example.com LOKI_USERNAME=1234 LOKI_PASSWORD_FILE=/run/secrets/loki coroner loki --since 168h -o json > week.json",
		"coroner loki --addr http://loki:3100 --preset alloy --node-label instance --push-findings",
		"coroner loki --addr http://loki:3100 --node-label host --shard 0/4 -o json > s0.json   # then: coroner merge s*.json",
	}
}

// Store is Grafana Loki as a batch job reads it: one input per Loki stream (a node's kernel
// messages, its kubelet journal, an Events stream). The queries carry the parsers' trigger
// words as line filters, so only evidence is shipped.
type Store struct {
	Client   *Client
	Selector string // LogQL stream selector of the node logs
	Events   string // LogQL stream selector of Event streams; "" to read none
	Mapping  Mapping
	Push     bool // write the deaths back (--push-findings)

	nodes string // the node selector as planned (shard included): what Unfiltered counts
}

var (
	_ batch.Store      = (*Store)(nil)
	_ batch.Surrounder = (*Store)(nil)
	_ batch.Counter    = (*Store)(nil)
	_ batch.Publisher  = (*Store)(nil)
	_ batch.Emptiness  = (*Store)(nil)
)

// Describe names Loki.
func (s *Store) Describe() batch.Description {
	return batch.Description{Store: "loki", Title: "Loki", URL: secret.URL(s.Client.base.String()), Unit: "line"}
}

// Reach asks Loki for its build information.
func (s *Store) Reach(ctx context.Context) error { return s.Client.Reach(ctx) }

// TooLarge: a query that timed out may pass over half the range.
func (s *Store) TooLarge(err error) bool { return IsTimeout(err) }

// Plan reads the node logs and, unless they are off, the Event streams, each filtered to
// the evidence. A shard is selected in the query: the nodes are listed, and the matcher keeps
// those that fall to the shard.
func (s *Store) Plan(ctx context.Context, p batch.Plan) ([]batch.Query, error) {
	// Event streams are read by their own query, and coroner's own findings are never evidence.
	nodes, err := WithMatcher(s.Selector, `job!~"`+EventsJobs+`|coroner"`)
	if err != nil {
		return nil, err
	}
	if p.Shard != nil {
		if len(s.Mapping.NodeLabels) != 1 {
			return nil, fmt.Errorf("--shard needs --node-label: the label that names the node")
		}
		label := s.Mapping.NodeLabels[0]
		names, err := s.Client.LabelValues(ctx, label, p.From, p.To)
		if err != nil {
			return nil, fmt.Errorf("listing nodes for --shard: %w", err)
		}
		m := Shard(label, names, *p.Shard)
		if m == "" {
			m = label + `="coroner-no-node-in-this-shard"`
		}
		if nodes, err = WithMatcher(nodes, m); err != nil {
			return nil, err
		}
	}
	s.nodes = nodes
	queries := []batch.Query{s.query(nodes+LineFilter(p.Evidence.Pattern), false)}
	if s.Events != "" {
		queries = append(queries, s.query(s.Events+EventReasonsFilter(p.Evidence.Reasons), true))
	}
	return queries, nil
}

func (s *Store) query(logql string, cluster bool) batch.Query {
	return batch.Query{Text: logql, Cluster: cluster, Fetch: s.reader(logql)}
}

// reader reads one LogQL query over a window.
func (s *Store) reader(logql string) func(ctx context.Context, w batch.Window, emit func(batch.Doc)) error {
	return func(ctx context.Context, w batch.Window, emit func(batch.Doc)) error {
		var last *Stream // a page's entries share their stream: its labels are classified once
		var c streamClass
		_, err := s.Client.Fetch(ctx, logql, w.From, w.To, func(it Item) {
			if it.Stream != last {
				last = it.Stream
				c.kind, c.node, c.program = s.Mapping.classify(it.Stream.Set)
			}
			emit(c.doc(it))
		})
		return err
	}
}

// streamClass is how a stream's lines read, from its labels.
type streamClass struct {
	kind          streamKind
	node, program string
}

// doc reads an entry as its stream's labels say: a bare journal message takes its program and
// node from them, a whole log-file line keeps its own envelope, an Event line is one of the
// shippers' Event forms.
func (c streamClass) doc(it Item) batch.Doc {
	kind, node, program := c.kind, c.node, c.program
	rec := sources.Record{Bytes: []byte(it.Line), Time: it.Timestamp, Labels: it.Stream.Set}
	switch kind {
	case kindMessages:
		rec.Bare, rec.Program, rec.Host = true, program, node
	case kindEvents:
		if !strings.HasPrefix(strings.TrimSpace(it.Line), "{") || !strings.Contains(it.Line, `"involvedObject"`) {
			rec.Bare, rec.Program, rec.Host = true, "k8s-events", node
		}
	}
	return batch.Doc{Stream: it.Stream.Labels, Key: it.key(), Record: rec}
}

// Around reads a kernel stream unfiltered: a stream's canonical label string is the selector
// of exactly that stream. Journal streams without a program label may hold the kernel's
// messages too.
func (s *Store) Around(first batch.Doc) func(ctx context.Context, w batch.Window, emit func(batch.Doc)) error {
	if r := first.Record; !r.Bare || r.Program != "kernel" && r.Program != "" {
		return nil
	}
	return s.reader(first.Stream)
}

// Unfiltered asks Loki how many lines and bytes the node selector holds in each window,
// without shipping them.
func (s *Store) Unfiltered(ctx context.Context, windows []batch.Window) (lines, bytes int64) {
	for _, w := range windows {
		d := strconv.FormatInt(int64(w.To.Sub(w.From)/time.Second), 10) + "s" // LogQL reads whole seconds
		if n, err := s.Client.instantSum(ctx, fmt.Sprintf("sum(count_over_time(%s[%s]))", s.nodes, d), w.To); err == nil {
			lines += int64(n)
		}
		if n, err := s.Client.instantSum(ctx, fmt.Sprintf("sum(bytes_over_time(%s[%s]))", s.nodes, d), w.To); err == nil {
			bytes += int64(n)
		}
	}
	return lines, bytes
}

// Publishing says whether --push-findings was given.
func (s *Store) Publishing() bool { return s.Push }

// Publish pushes the deaths as log lines.
func (s *Store) Publish(ctx context.Context, deaths []report.Death, fallback time.Time) (int, error) {
	findings := findingsOf(deaths, fallback)
	if err := s.Client.Push(ctx, findings); err != nil {
		return 0, err
	}
	return len(findings), nil
}

// HoldsNothing counts the lines of the node selector (and of the Events selector) over the
// range, unfiltered: none at all means a wrong tenant or selector, not a quiet cluster.
func (s *Store) HoldsNothing(ctx context.Context, from, to time.Time) (bool, string, error) {
	selectors := []string{s.nodes}
	if s.Events != "" {
		selectors = append(selectors, s.Events)
	}
	d := strconv.FormatInt(int64(to.Sub(from)/time.Second), 10) + "s"
	for _, sel := range selectors {
		n, err := s.Client.instantSum(ctx, fmt.Sprintf("sum(count_over_time(%s[%s]))", sel, d), to)
		if err != nil || n > 0 {
			return false, "", err
		}
	}
	what := "Loki, for the selectors " + strings.Join(selectors, " and ")
	if t := s.Client.cfg.Tenant; t != "" {
		what += " in tenant " + t
	} else {
		what += " with no tenant (--org-id)"
	}
	return true, what, nil
}
