// Package elastic reads node logs and Kubernetes Events out of Elasticsearch and OpenSearch
// for coroner's batch job: point in time + search_after paging with sort values kept as raw
// JSON (float64 would merge date_nanos values above 2^53 and skip or repeat documents), the
// parsers' trigger phrases pushed into the query, field presets for the shippers people run,
// and findings written back through _bulk. Elasticsearch is spoken through
// github.com/elastic/go-elasticsearch/v8's esapi, OpenSearch through
// github.com/opensearch-project/opensearch-go/v4: the Elasticsearch client refuses servers
// that do not send X-Elastic-Product, and OpenSearch's PIT API differs.
package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"
	"github.com/k8s-coroner/coroner/sources"
	"github.com/k8s-coroner/coroner/sources/batch"
	"github.com/opensearch-project/opensearch-go/v4"
)

// Config is how to reach the cluster. Credentials are never printed.
type Config struct {
	URLs        []string
	CloudID     string
	APIKey      string
	Username    string
	Password    string
	BearerToken string
	CAFile      string
	CertFile    string
	KeyFile     string
	Insecure    bool
	OpenSearch  bool
	Timeout     time.Duration // per request
	Retries     int
	Backoff     time.Duration
	PageSize    int    // hits per search
	KeepAlive   string // PIT keep_alive, e.g. "2m"
}

// Client talks to one cluster.
type Client struct {
	cfg   Config
	drv   driver
	sleep func(context.Context, time.Duration) error
}

// driver is what differs between the two products: how a point in time is opened and closed,
// and which client library carries the requests.
type driver interface {
	openPIT(ctx context.Context, index, keepAlive string) (string, error)
	closePIT(ctx context.Context, id string) error
	search(ctx context.Context, body []byte) ([]byte, error)
	count(ctx context.Context, index string, body []byte) ([]byte, error)
	bulk(ctx context.Context, body []byte) ([]byte, error)
	putTemplate(ctx context.Context, name string, body []byte) error
}

// New builds a client for Elasticsearch or, with cfg.OpenSearch, OpenSearch.
func New(cfg Config) (*Client, error) {
	if len(cfg.URLs) == 0 && cfg.CloudID == "" {
		return nil, errors.New("no cluster URL (--url, ELASTICSEARCH_URL) or --cloud-id")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = time.Minute
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 5000
	}
	if cfg.KeepAlive == "" {
		cfg.KeepAlive = "2m"
	}
	tlsCfg, err := sources.TLSConfig(cfg.CAFile, cfg.CertFile, cfg.KeyFile, cfg.Insecure)
	if err != nil {
		return nil, err
	}
	transport := &http.Transport{TLSClientConfig: tlsCfg, Proxy: http.ProxyFromEnvironment, MaxIdleConnsPerHost: 16}
	c := &Client{cfg: cfg}
	if cfg.OpenSearch {
		header := http.Header{}
		if cfg.BearerToken != "" {
			header.Set("Authorization", "Bearer "+cfg.BearerToken)
		}
		if cfg.APIKey != "" || cfg.CloudID != "" {
			return nil, errors.New("OpenSearch takes basic auth or a bearer token, not an Elastic API key or Cloud ID")
		}
		os, err := opensearch.NewClient(opensearch.Config{Addresses: cfg.URLs, Username: cfg.Username, Password: cfg.Password,
			Header: header, Transport: transport, DisableRetry: true})
		if err != nil {
			return nil, err
		}
		c.drv = &osDriver{os}
	} else {
		es, err := elasticsearch.NewClient(elasticsearch.Config{Addresses: cfg.URLs, CloudID: cfg.CloudID, APIKey: cfg.APIKey,
			Username: cfg.Username, Password: cfg.Password, ServiceToken: cfg.BearerToken, Transport: transport,
			DisableRetry: true}) // retries are ours: Retry-After, jitter, never on 4xx
		if err != nil {
			return nil, err
		}
		c.drv = &esDriver{es}
	}
	return c, nil
}

// StatusError is an error answer: Elasticsearch's error type and reason say why.
type StatusError struct {
	Code       int
	Type       string // e.g. index_not_found_exception, es_rejected_execution_exception
	Reason     string
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	if e.Type == "" {
		return fmt.Sprintf("the cluster answered %d: %s", e.Code, e.Reason)
	}
	return fmt.Sprintf("the cluster answered %d %s: %s", e.Code, e.Type, e.Reason)
}

// statusError reads an error body: {"error":{"root_cause":[{type,reason}],type,reason},"status":N}.
func statusError(code int, header http.Header, body []byte) error {
	var e struct {
		Error struct {
			Type      string `json:"type"`
			Reason    string `json:"reason"`
			RootCause []struct {
				Type   string `json:"type"`
				Reason string `json:"reason"`
			} `json:"root_cause"`
		} `json:"error"`
	}
	se := &StatusError{Code: code}
	if json.Unmarshal(body, &e) == nil && e.Error.Type != "" {
		se.Type, se.Reason = e.Error.Type, e.Error.Reason
		if len(e.Error.RootCause) > 0 {
			se.Type, se.Reason = e.Error.RootCause[0].Type, e.Error.RootCause[0].Reason
		}
	} else {
		se.Reason = strings.TrimSpace(string(body))
		if len(se.Reason) > 512 {
			se.Reason = se.Reason[:512] + "…"
		}
	}
	if s, err := strconv.Atoi(header.Get("Retry-After")); err == nil && s > 0 {
		se.RetryAfter = time.Duration(s) * time.Second
	}
	return se
}

// retryable: 429 (rejected execution, circuit breakers) and 5xx are worth another try;
// 4xx are not. A dropped connection is.
func retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code == http.StatusTooManyRequests || se.Code >= 500 && se.Code != http.StatusGatewayTimeout
	}
	var ne net.Error
	return errors.As(err, &ne) && !ne.Timeout() || errors.Is(err, io.ErrUnexpectedEOF)
}

func retryAfter(err error) time.Duration {
	var se *StatusError
	if errors.As(err, &se) {
		return se.RetryAfter
	}
	return 0
}

// IsTimeout says whether the cluster gave up on the window's size: a smaller one may do.
func IsTimeout(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code == http.StatusGatewayTimeout
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// pitExpired says whether a point in time is gone (keep_alive ran out, a node restarted).
func pitExpired(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Code == http.StatusNotFound &&
		(se.Type == "search_context_missing_exception" || strings.Contains(se.Reason, "No search context found"))
}

// call runs one request with retries and the per-request timeout.
func (c *Client) call(ctx context.Context, op func(ctx context.Context) ([]byte, error)) ([]byte, error) {
	var out []byte
	err := batch.Backoff{Retries: c.cfg.Retries, Base: c.cfg.Backoff, Sleep: c.sleep}.Do(ctx, func() error {
		rctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
		var err error
		out, err = op(rctx)
		return err
	}, retryable, retryAfter)
	return out, err
}

// esDriver speaks Elasticsearch through go-elasticsearch's esapi.
type esDriver struct{ es *elasticsearch.Client }

func read(res *esapi.Response, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.IsError() {
		return nil, statusError(res.StatusCode, res.Header, body)
	}
	return body, nil
}

func (d *esDriver) openPIT(ctx context.Context, index, keepAlive string) (string, error) {
	body, err := read(d.es.OpenPointInTime(strings.Split(index, ","), keepAlive, d.es.OpenPointInTime.WithContext(ctx)))
	if err != nil {
		return "", err
	}
	var r struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &r); err != nil || r.ID == "" {
		return "", fmt.Errorf("opening a point in time: no id in %s", truncate(body))
	}
	return r.ID, nil
}

func (d *esDriver) closePIT(ctx context.Context, id string) error {
	b, _ := json.Marshal(map[string]string{"id": id})
	_, err := read(d.es.ClosePointInTime(d.es.ClosePointInTime.WithContext(ctx), d.es.ClosePointInTime.WithBody(bytes.NewReader(b))))
	return err
}

func (d *esDriver) search(ctx context.Context, body []byte) ([]byte, error) {
	return read(d.es.Search(d.es.Search.WithContext(ctx), d.es.Search.WithBody(bytes.NewReader(body))))
}

func (d *esDriver) count(ctx context.Context, index string, body []byte) ([]byte, error) {
	return read(d.es.Count(d.es.Count.WithContext(ctx), d.es.Count.WithIndex(strings.Split(index, ",")...), d.es.Count.WithBody(bytes.NewReader(body))))
}

func (d *esDriver) bulk(ctx context.Context, body []byte) ([]byte, error) {
	return read(d.es.Bulk(bytes.NewReader(body), d.es.Bulk.WithContext(ctx)))
}

func (d *esDriver) putTemplate(ctx context.Context, name string, body []byte) error {
	_, err := read(d.es.Indices.PutIndexTemplate(name, bytes.NewReader(body), d.es.Indices.PutIndexTemplate.WithContext(ctx)))
	return err
}

// osDriver speaks OpenSearch through opensearch-go's client; its point in time lives at
// /<index>/_search/point_in_time and is named pit_id.
type osDriver struct{ os *opensearch.Client }

func (d *osDriver) do(ctx context.Context, method, path string, body []byte) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := d.os.Perform(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode > 299 {
		return nil, statusError(res.StatusCode, res.Header, data)
	}
	return data, nil
}

func (d *osDriver) openPIT(ctx context.Context, index, keepAlive string) (string, error) {
	body, err := d.do(ctx, http.MethodPost, "/"+index+"/_search/point_in_time?keep_alive="+keepAlive, nil)
	if err != nil {
		return "", err
	}
	var r struct {
		PitID string `json:"pit_id"`
	}
	if err := json.Unmarshal(body, &r); err != nil || r.PitID == "" {
		return "", fmt.Errorf("opening a point in time: no pit_id in %s", truncate(body))
	}
	return r.PitID, nil
}

func (d *osDriver) closePIT(ctx context.Context, id string) error {
	b, _ := json.Marshal(map[string][]string{"pit_id": {id}})
	_, err := d.do(ctx, http.MethodDelete, "/_search/point_in_time", b)
	return err
}

func (d *osDriver) search(ctx context.Context, body []byte) ([]byte, error) {
	return d.do(ctx, http.MethodPost, "/_search", body)
}

func (d *osDriver) count(ctx context.Context, index string, body []byte) ([]byte, error) {
	return d.do(ctx, http.MethodPost, "/"+index+"/_count", body)
}

func (d *osDriver) bulk(ctx context.Context, body []byte) ([]byte, error) {
	return d.do(ctx, http.MethodPost, "/_bulk", body)
}

func (d *osDriver) putTemplate(ctx context.Context, name string, body []byte) error {
	_, err := d.do(ctx, http.MethodPut, "/_index_template/"+name, body)
	return err
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
