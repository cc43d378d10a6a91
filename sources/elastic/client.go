// Package elastic reads node logs and Kubernetes Events out of Elasticsearch and OpenSearch
// for coroner's batch job: point in time + search_after paging with sort values kept as raw
// JSON (float64 would merge date_nanos values above 2^53 and skip or repeat documents), the
// parsers' trigger phrases pushed into the query, field presets for the shippers people run,
// and findings written back through _bulk. Both products are spoken through go-elasticsearch's
// transport (github.com/elastic/elastic-transport-go: addresses in rotation, auth headers) with
// the six REST calls written here: the typed and functional APIs of go-elasticsearch compile
// about 860 packages (esapi alone is one package of 570 files) for calls coroner never makes,
// and opensearch-go would be a second client for the same requests. The two products differ in
// their point-in-time API and in Elasticsearch's X-Elastic-Product header, which is checked
// as the official client checks it.
package elastic

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/elastic/elastic-transport-go/v8/elastictransport"
	"github.com/k8s-coroner/coroner/sources"
	"github.com/k8s-coroner/coroner/sources/batch"
	"github.com/k8s-coroner/coroner/sources/secret"
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
	urls  []*url.URL
	drv   driver
	rest  *rest
	sleep func(context.Context, time.Duration) error
}

// driver is what differs between the two products: how a point in time is opened and closed.
type driver interface {
	openPIT(ctx context.Context, index, keepAlive string) (string, error)
	closePIT(ctx context.Context, id string) error
}

// New builds a client for Elasticsearch or, with cfg.OpenSearch, OpenSearch.
func New(cfg Config) (*Client, error) {
	if len(cfg.URLs) == 0 && cfg.CloudID == "" {
		return nil, errors.New("no cluster URL (--url, ELASTICSEARCH_URL) or --cloud-id")
	}
	if cfg.OpenSearch && (cfg.APIKey != "" || cfg.CloudID != "") {
		return nil, errors.New("OpenSearch takes basic auth or a bearer token, not an Elastic API key or Cloud ID")
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
	addrs := cfg.URLs
	if cfg.CloudID != "" {
		addr, err := cloudAddress(cfg.CloudID)
		if err != nil {
			return nil, err
		}
		addrs = []string{addr}
	}
	var urls []*url.URL
	for _, a := range addrs {
		u, err := url.Parse(strings.TrimRight(strings.TrimSpace(a), "/"))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("cluster URL %q is not an http(s) URL", secret.URL(a))
		}
		urls = append(urls, u)
	}
	tlsCfg, err := sources.TLSConfig(cfg.CAFile, cfg.CertFile, cfg.KeyFile, cfg.Insecure)
	if err != nil {
		return nil, err
	}
	tp, err := elastictransport.New(elastictransport.Config{URLs: urls, Username: cfg.Username, Password: cfg.Password,
		APIKey: cfg.APIKey, ServiceToken: cfg.BearerToken, UserAgent: "coroner",
		Transport:    &http.Transport{TLSClientConfig: tlsCfg, Proxy: http.ProxyFromEnvironment, MaxIdleConnsPerHost: 16},
		DisableRetry: true}) // retries are ours: Retry-After, jitter, never on 4xx
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, urls: urls, rest: &rest{tp: tp}}
	if cfg.OpenSearch {
		c.drv = &osDriver{c.rest}
	} else {
		c.rest.product = "Elasticsearch"
		c.drv = &esDriver{c.rest}
	}
	return c, nil
}

// cloudAddress is the Elasticsearch address an Elastic Cloud ID names: the ID is
// "<deployment name>:<base64 of host$elasticsearch-id$kibana-id>", the address
// https://<elasticsearch-id>.<host>.
func cloudAddress(id string) (string, error) {
	i := strings.LastIndex(id, ":")
	if i < 0 {
		return "", errors.New("--cloud-id is not <name>:<base64>")
	}
	enc := id[i+1:]
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(enc)
	}
	if err != nil {
		return "", fmt.Errorf("--cloud-id: the part after %q is not base64", id[:i+1])
	}
	parts := strings.Split(string(raw), "$")
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return "", errors.New("--cloud-id does not hold host$elasticsearch-id")
	}
	return "https://" + parts[1] + "." + parts[0], nil
}

// Reach makes one request (GET /, the cluster's name and version) to learn whether the
// cluster can be reached at all: a wrong address, a refused connection or a certificate not
// trusted is then said once (*batch.UnreachableError) instead of once per window. Any HTTP
// answer counts as reached.
func (c *Client) Reach(ctx context.Context) error {
	store := "Elasticsearch"
	if c.cfg.OpenSearch {
		store = "OpenSearch"
	}
	b := batch.Backoff{Retries: c.cfg.Retries, Base: c.cfg.Backoff, Sleep: c.sleep}
	return batch.Reach(ctx, b, len(c.urls), store, c.shownURLs(), func() error {
		rctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
		_, err := c.rest.do(rctx, http.MethodGet, "/", nil, "")
		return err
	})
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
	if batch.Permanent(err) {
		return false
	}
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

// rest performs one request through the transport and reads the answer: the body of a 2xx,
// else a *StatusError.
type rest struct {
	tp *elastictransport.Client
	// product, when set, is what X-Elastic-Product must say on a 2xx answer before the
	// cluster is trusted, as go-elasticsearch checks it: an OpenSearch or a proxy that is not
	// Elasticsearch answers differently (point in time, errors) and is refused with a hint.
	product string
	genuine atomic.Bool
}

func (r *rest) do(ctx context.Context, method, path string, body []byte, contentType string) ([]byte, error) {
	var data []byte
	err := r.exchange(ctx, method, path, body, contentType, func(answer io.Reader) error {
		var err error
		data, err = batch.ReadAnswer(answer, true)
		return err
	})
	return data, err
}

// exchange performs one request: read gets the body of a 2xx answer of the product asked
// for; any other answer is a *StatusError.
func (r *rest) exchange(ctx context.Context, method, path string, body []byte, contentType string, read func(io.Reader) error) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		if contentType == "" {
			contentType = "application/json"
		}
		req.Header.Set("Content-Type", contentType)
	}
	res, err := r.tp.Perform(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		data, err := batch.ReadAnswer(res.Body, false)
		if err != nil {
			return err
		}
		return statusError(res.StatusCode, res.Header, data)
	}
	if r.product != "" && !r.genuine.Load() {
		if res.Header.Get("X-Elastic-Product") != r.product {
			return fmt.Errorf("the server is not %s (its answers lack X-Elastic-Product: %s); for OpenSearch run coroner opensearch",
				r.product, r.product)
		}
		r.genuine.Store(true)
	}
	return read(res.Body)
}

// esDriver is Elasticsearch's point in time: POST /<index>/_pit, closed by DELETE /_pit {"id"}.
type esDriver struct{ *rest }

func (d *esDriver) openPIT(ctx context.Context, index, keepAlive string) (string, error) {
	body, err := d.do(ctx, http.MethodPost, "/"+index+"/_pit?keep_alive="+url.QueryEscape(keepAlive), nil, "")
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
	_, err := d.do(ctx, http.MethodDelete, "/_pit", b, "")
	return err
}

// osDriver is OpenSearch's point in time: it lives at /<index>/_search/point_in_time and is
// named pit_id.
type osDriver struct{ *rest }

func (d *osDriver) openPIT(ctx context.Context, index, keepAlive string) (string, error) {
	body, err := d.do(ctx, http.MethodPost, "/"+index+"/_search/point_in_time?keep_alive="+url.QueryEscape(keepAlive), nil, "")
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
	_, err := d.do(ctx, http.MethodDelete, "/_search/point_in_time", b, "")
	return err
}

// The calls both products share.

// search asks for one page and decodes it as it arrives (batch.DecodeAnswer, decodeSearch).
func (c *Client) search(ctx context.Context, body []byte) (searchResponse, error) {
	var page searchResponse
	err := c.rest.exchange(ctx, http.MethodPost, "/_search", body, "", func(answer io.Reader) error {
		return batch.DecodeAnswer(answer, func(r io.Reader) error {
			var err error
			page, err = decodeSearch(r)
			return err
		})
	})
	return page, err
}

func (c *Client) count(ctx context.Context, index string, body []byte) ([]byte, error) {
	return c.rest.do(ctx, http.MethodPost, "/"+index+"/_count", body, "")
}

func (c *Client) bulk(ctx context.Context, body []byte) ([]byte, error) {
	return c.rest.do(ctx, http.MethodPost, "/_bulk", body, "application/x-ndjson")
}

func (c *Client) putTemplate(ctx context.Context, name string, body []byte) error {
	_, err := c.rest.do(ctx, http.MethodPut, "/_index_template/"+name, body, "")
	return err
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
