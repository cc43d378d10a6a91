package elastic

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/sources/batch"
	"github.com/k8s-coroner/coroner/sources/secret"
)

// Flags are the flags coroner elasticsearch and coroner opensearch share, beside the batch
// job's; ElasticsearchFlags and OpenSearchFlags add each product's address.
type Flags struct {
	Username        string `env:"ELASTICSEARCH_USERNAME" help:"Basic auth user."`
	Password        string `env:"ELASTICSEARCH_PASSWORD" help:"Basic auth password; never printed (--password-file keeps it out of ps)."`
	PasswordFile    string `env:"ELASTICSEARCH_PASSWORD_FILE" help:"File holding the password (a trailing newline is dropped)."`
	BearerToken     string `env:"ELASTICSEARCH_BEARER_TOKEN" help:"Bearer (service) token; never printed (--bearer-token-file keeps it out of ps)."`
	BearerTokenFile string `env:"ELASTICSEARCH_BEARER_TOKEN_FILE" help:"File holding a bearer token (a trailing newline is dropped)."`
	CAFile          string `name:"ca-file" help:"CA certificate (PEM) to trust."`
	CertFile        string `name:"cert-file" help:"Client certificate (PEM)."`
	KeyFile         string `name:"key-file" help:"Client key (PEM)."`
	Insecure        bool   `help:"Skip TLS certificate verification."`

	Index         string `default:"logs-*,filebeat-*" help:"Index pattern(s) of the node logs."`
	Preset        string `enum:"filebeat,fluent-bit,fluent-bit-kmsg" default:"filebeat" help:"Field names of the node logs' shipper: ${enum}."`
	TimeField     string `help:"Override the preset's time field."`
	MessageField  string `help:"Override the preset's message field."`
	UnitField     string `help:"Override the preset's systemd unit field."`
	HostField     string `help:"Override the preset's node field."`
	EventsIndex   string `default:"" help:"Index pattern of Kubernetes Events (e.g. kube-events*); empty to read none."`
	EventsPreset  string `enum:"event-exporter,metricbeat" default:"event-exporter" help:"Field names of the Events: ${enum}."`
	Tiebreaker    string `help:"Sort tiebreaker: _shard_doc (Elasticsearch, the default) or a unique field (OpenSearch 2.x has no _shard_doc; default _id)."`
	IndexFindings string `placeholder:"INDEX" help:"Write each death as a document to INDEX through _bulk (idempotent _id, index template)."`
}

// ElasticsearchFlags are coroner elasticsearch's own flags.
type ElasticsearchFlags struct {
	URL        []string `env:"ELASTICSEARCH_URL" sep:"," help:"Cluster URL(s), comma-separated."`
	CloudID    string   `env:"ELASTIC_CLOUD_ID" help:"Elastic Cloud ID instead of --url."`
	APIKey     string   `env:"ELASTIC_API_KEY" help:"API key (base64 id:key); never printed (--api-key-file keeps it out of ps)."`
	APIKeyFile string   `env:"ELASTIC_API_KEY_FILE" help:"File holding the API key (a trailing newline is dropped)."`
	Flags
}

// OpenSearchFlags are coroner opensearch's own flags.
type OpenSearchFlags struct {
	URL []string `env:"OPENSEARCH_URL" sep:"," help:"Cluster URL(s), comma-separated."`
	Flags
}

// Open builds the Elasticsearch store the flags describe.
func (f *ElasticsearchFlags) Open(conn batch.Conn) (batch.Store, error) {
	key, err := secret.FromFlags("api-key", f.APIKey, "api-key-file", f.APIKeyFile)
	if err != nil {
		return nil, err
	}
	conn.Secrets.Add(key)
	return f.Flags.store(Config{URLs: f.URL, CloudID: f.CloudID, APIKey: key}, conn)
}

// Open builds the OpenSearch store the flags describe.
func (f *OpenSearchFlags) Open(conn batch.Conn) (batch.Store, error) {
	return f.Flags.store(Config{URLs: f.URL, OpenSearch: true}, conn)
}

// Examples are the command lines people copy first.
func (*ElasticsearchFlags) Examples() []string {
	return []string{
		"coroner elasticsearch --url https://es.example.com:9200 --api-key-file /run/secrets/es-key --since 24h",
		"coroner elasticsearch --url http://es:9200 --index 'logs-*' --events-index 'kube-events*' -o json > day.json",
		"coroner elasticsearch --cloud-id \"$ELASTIC_CLOUD_ID\" --api-key \"$KEY\" --index-findings coroner-findings",
	}
}

// Examples are the command lines people copy first.
func (*OpenSearchFlags) Examples() []string {
	return []string{
		"coroner opensearch --url https://opensearch:9200 --username admin --password-file /run/secrets/pw --since 24h",
		"coroner opensearch --url http://os:9200 --preset fluent-bit --index 'logstash-*' -o json > day.json",
		"coroner opensearch --url http://os:9200 --events-index 'kube-events*' --index-findings coroner-findings",
	}
}

// store builds the client; every credential is told to conn.Secrets before, so that even an
// error about it shows none.
func (f *Flags) store(cfg Config, conn batch.Conn) (*Store, error) {
	var err error
	cfg.Username = f.Username
	if cfg.Password, err = secret.FromFlags("password", f.Password, "password-file", f.PasswordFile); err != nil {
		return nil, err
	}
	if cfg.BearerToken, err = secret.FromFlags("bearer-token", f.BearerToken, "bearer-token-file", f.BearerTokenFile); err != nil {
		return nil, err
	}
	conn.Secrets.AddBasic(cfg.Username, cfg.Password)
	conn.Secrets.Add(cfg.BearerToken)
	for _, raw := range cfg.URLs { // user:password@ in an address is sent as Basic auth
		if u, err := url.Parse(strings.TrimSpace(raw)); err == nil && u.User != nil {
			p, _ := u.User.Password()
			conn.Secrets.AddBasic(u.User.Username(), p)
		}
	}
	cfg.CAFile, cfg.CertFile, cfg.KeyFile, cfg.Insecure = f.CAFile, f.CertFile, f.KeyFile, f.Insecure
	cfg.Timeout, cfg.Retries, cfg.PageSize = conn.Timeout, conn.Retries, conn.PageSize
	client, err := New(cfg)
	if err != nil {
		return nil, err
	}
	fields := Presets[f.Preset]
	fields.Time = cmp.Or(f.TimeField, fields.Time)
	fields.Message = cmp.Or(f.MessageField, fields.Message)
	fields.Unit = cmp.Or(f.UnitField, fields.Unit)
	if f.HostField != "" {
		fields.Hosts = []string{f.HostField}
	}
	s := &Store{Client: client, Index: f.Index, Fields: fields, Tiebreaker: f.Tiebreaker, FindingsIndex: f.IndexFindings}
	if f.EventsIndex != "" {
		s.EventsIndex, s.EventFields = f.EventsIndex, EventPresets[f.EventsPreset]
	}
	return s, nil
}

// Store is Elasticsearch or OpenSearch as a batch job reads it: one input per node and
// program, and one of Events. Only documents holding one of the parsers' trigger phrases,
// or Events of their reasons, are shipped.
type Store struct {
	Client        *Client
	Index         string // node logs, e.g. "logs-*,filebeat-*"
	Fields        Fields
	EventsIndex   string // "" to read no Events
	EventFields   EventFields
	Tiebreaker    string // "_shard_doc" (Elasticsearch), a unique field (OpenSearch 2.x); "": the product's
	FindingsIndex string // write the deaths there (--index-findings); "" not

	phrases []string // as planned
	reasons []string
}

var (
	_ batch.Store      = (*Store)(nil)
	_ batch.Surrounder = (*Store)(nil)
	_ batch.Counter    = (*Store)(nil)
	_ batch.Publisher  = (*Store)(nil)
	_ batch.Explainer  = (*Store)(nil)
	_ batch.Emptiness  = (*Store)(nil)
)

// Describe names the product; an Elastic Cloud deployment is shown as "cloud", since its
// address is derived from the ID.
func (s *Store) Describe() batch.Description {
	d := batch.Description{Store: "elasticsearch", Title: "Elasticsearch", URL: s.Client.shownURLs(), Unit: "document"}
	if s.Client.cfg.OpenSearch {
		d.Store, d.Title = "opensearch", "OpenSearch"
	}
	if s.Client.cfg.CloudID != "" {
		d.URL = "cloud"
	}
	return d
}

// Reach asks the cluster its name and version.
func (s *Store) Reach(ctx context.Context) error { return s.Client.Reach(ctx) }

// TooLarge: a search that timed out may pass over half the range.
func (s *Store) TooLarge(err error) bool { return IsTimeout(err) }

// Plan reads the node logs and, when an index of them is given, the Events. The cluster has
// no node list to select a shard by, so the job filters the documents.
func (s *Store) Plan(_ context.Context, p batch.Plan) ([]batch.Query, error) {
	if s.Tiebreaker == "" {
		s.Tiebreaker = "_shard_doc"
		if s.Client.cfg.OpenSearch {
			s.Tiebreaker = "_id"
		}
	}
	s.phrases, s.reasons = p.Evidence.Phrases, p.Evidence.Reasons
	queries := []batch.Query{{Text: s.Index, Fetch: s.nodeWindow}}
	if s.EventsIndex != "" {
		queries = append(queries, batch.Query{Text: s.EventsIndex, Cluster: true, Fetch: s.eventsWindow})
	}
	return queries, nil
}

func (s *Store) nodeWindow(ctx context.Context, w batch.Window, emit func(batch.Doc)) error {
	return s.Client.scan(ctx, s.Index, s.nodeQuery(w.From, w.To), s.includes(), sortBy(s.Fields.Time, s.Tiebreaker), func(h Hit) {
		if d, ok := s.nodeDoc(h); ok {
			emit(d)
		}
	})
}

func (s *Store) eventsWindow(ctx context.Context, w batch.Window, emit func(batch.Doc)) error {
	ef := s.EventFields
	var includes []string
	if !ef.Whole {
		includes = []string{ef.Time, ef.Reason, ef.Message, ef.Type, ef.Count, ef.Kind, ef.Name, ef.Namespace}
	}
	return s.Client.scan(ctx, s.EventsIndex, eventsQuery(ef, s.reasons, w), includes, sortBy(ef.Time, s.Tiebreaker), func(h Hit) {
		if d, ok := s.eventDoc(h); ok {
			emit(d)
		}
	})
}

// Around reads a node's kernel documents unfiltered, so the whole OOM report (memory
// counters, task table) reaches the parser.
func (s *Store) Around(first batch.Doc) func(ctx context.Context, w batch.Window, emit func(batch.Doc)) error {
	host := first.Record.Host
	if first.Record.Program != "kernel" || host == "" {
		return nil
	}
	return func(ctx context.Context, w batch.Window, emit func(batch.Doc)) error {
		return s.Client.scan(ctx, s.Index, hostQuery(s.Fields, host, w), s.includes(), sortBy(s.Fields.Time, s.Tiebreaker), func(h Hit) {
			if d, ok := s.nodeDoc(h); ok && d.Record.Program == "kernel" {
				emit(d)
			}
		})
	}
}

// Unfiltered counts the range's node-log documents.
func (s *Store) Unfiltered(ctx context.Context, windows []batch.Window) (lines, bytes int64) {
	if len(windows) == 0 {
		return 0, 0
	}
	n, err := s.Client.Count(ctx, s.Index, timeRange(s.Fields.Time, windows[0].From, windows[len(windows)-1].To))
	if err != nil {
		return 0, 0
	}
	return n, 0
}

// Publishing says whether --index-findings was given.
func (s *Store) Publishing() bool { return s.FindingsIndex != "" }

// Publish indexes the deaths as documents.
func (s *Store) Publish(ctx context.Context, deaths []report.Death, fallback time.Time) (int, error) {
	findings := findingsOf(deaths, fallback)
	if err := s.Client.IndexFindings(ctx, s.FindingsIndex, findings); err != nil {
		return 0, fmt.Errorf("indexing findings: %w", err)
	}
	return len(findings), nil
}
