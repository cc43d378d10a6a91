// Package loki reads node logs and Kubernetes Events out of Grafana Loki for coroner's batch
// job: query_range with pushed-down line filters, time windows fetched concurrently, pages
// merged and de-duplicated without losing identical lines of two streams, retries where Loki
// says to retry, and findings pushed back as log lines. It speaks Loki's HTTP API (JSON both
// ways) with its own decoder and its own copy of the wire types' shape (entry.go); it never
// imports Loki itself (AGPL), nor pkg/push, whose generated gRPC service would come along.
package loki

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/k8s-coroner/coroner/sources"
	"github.com/k8s-coroner/coroner/sources/batch"
	"github.com/k8s-coroner/coroner/sources/secret"
)

// Config is how to reach Loki. Credentials are never printed.
type Config struct {
	URL             string
	Tenant          string // X-Scope-OrgID; "A|B" queries several tenants
	Username        string
	Password        string
	BearerToken     string
	BearerTokenFile string // read by New when BearerToken is empty
	Headers         map[string]string
	CAFile          string
	CertFile        string
	KeyFile         string
	Insecure        bool          // skip TLS verification (off unless asked)
	Timeout         time.Duration // per request
	Retries         int           // attempts after the first, for 429, 5xx and connection errors
	Backoff         time.Duration // first retry's wait; doubles, with jitter
	MaxEntries      int           // page size; at most the server's max_entries_limit_per_query
}

// Client calls Loki's HTTP API.
type Client struct {
	cfg  Config
	base *url.URL
	http *http.Client
	auth string
	// sleep waits between retries (nil: really); tests replace it.
	sleep func(context.Context, time.Duration) error

	mu  sync.Mutex // guards max and cfg.MaxEntries, which parallel windows learn
	max int        // the server's max_entries_limit_per_query, once it said so
}

// New checks the configuration and builds a client.
func New(cfg Config) (*Client, error) {
	if cfg.URL == "" {
		return nil, errors.New("no Loki URL (--url or LOKI_ADDR)")
	}
	base, err := url.Parse(strings.TrimRight(cfg.URL, "/"))
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("Loki URL %q is not an http(s) URL", secret.URL(cfg.URL))
	}
	// user:password@ in the URL is sent as Basic auth by us, not by net/http from the URL,
	// so that no request URL, and no error quoting one, holds them.
	base, user, password, inURL := secret.Userinfo(base)
	if inURL {
		if cfg.Username != "" || cfg.BearerToken != "" || cfg.BearerTokenFile != "" {
			return nil, errors.New("the Loki URL holds a user and password, and --username or a bearer token is given too: give one")
		}
		cfg.Username, cfg.Password = user, password
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = time.Minute
	}
	if cfg.Backoff == 0 {
		cfg.Backoff = 500 * time.Millisecond
	}
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = 5000
	}
	tlsCfg, err := sources.TLSConfig(cfg.CAFile, cfg.CertFile, cfg.KeyFile, cfg.Insecure)
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, base: base,
		http: &http.Client{Transport: &http.Transport{TLSClientConfig: tlsCfg, Proxy: http.ProxyFromEnvironment,
			MaxIdleConnsPerHost: 16}}}
	switch {
	case cfg.BearerToken != "" && (cfg.Username != "" || cfg.BearerTokenFile != ""),
		cfg.BearerTokenFile != "" && cfg.Username != "":
		return nil, errors.New("give one of basic auth, a bearer token or a bearer token file")
	case cfg.BearerToken != "":
		c.auth = "Bearer " + cfg.BearerToken
	case cfg.BearerTokenFile != "":
		tok, err := os.ReadFile(cfg.BearerTokenFile)
		if err != nil {
			return nil, fmt.Errorf("bearer token file: %w", err)
		}
		c.auth = "Bearer " + strings.TrimRight(string(tok), "\r\n")
	}
	return c, nil
}

// StatusError is a non-2xx answer: Loki's text body says why.
type StatusError struct {
	Code int
	Body string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("Loki answered %d %s: %s", e.Code, http.StatusText(e.Code), strings.TrimSpace(e.Body))
}

// retryable: 429 (queue full), 5xx and dropped connections are worth another try of the
// same request; 400 (a bad query or limit) and 401/403 (tenant, auth) are not, and a timeout
// (504, or ours) is better answered with a smaller window (IsTimeout), which the caller does.
func retryable(err error) bool {
	if IsTimeout(err) || batch.Permanent(err) {
		return false
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code == http.StatusTooManyRequests || se.Code >= 500
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || isConnError(err)
}

func isConnError(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe)
}

// IsTimeout says whether Loki gave up on the query's size (504, or our per-request timeout):
// a smaller window may succeed.
func IsTimeout(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code == http.StatusGatewayTimeout
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded)
}

// get performs one GET with retries; the body of a 2xx answer is returned. For the small
// answers (labels, a metric, build information); a page goes through getDecoded.
func (c *Client) get(ctx context.Context, path string, q url.Values) ([]byte, error) {
	var body []byte
	err := c.backoff().Do(ctx, func() error {
		var err error
		body, err = c.once(ctx, http.MethodGet, path, q, nil, "")
		return err
	}, retryable, retryAfter)
	return body, err
}

// getDecoded performs one GET with retries and decodes the 2xx answer as it arrives
// (batch.DecodeAnswer): decode runs again on every try, so it must start afresh each time.
// A connection dropped in the middle of the answer is retried like one dropped before it.
func (c *Client) getDecoded(ctx context.Context, path string, q url.Values, decode func(io.Reader) error) error {
	return c.backoff().Do(ctx, func() error {
		return c.exchange(ctx, http.MethodGet, path, q, nil, "", func(body io.Reader) error {
			return batch.DecodeAnswer(body, decode)
		})
	}, retryable, retryAfter)
}

func (c *Client) backoff() batch.Backoff {
	return batch.Backoff{Retries: c.cfg.Retries, Base: c.cfg.Backoff, Sleep: c.sleep}
}

// retryAfterError carries a Retry-After the server asked for.
type retryAfterError struct {
	*StatusError
	after time.Duration
}

func (e *retryAfterError) Unwrap() error { return e.StatusError }

func retryAfter(err error) time.Duration {
	var ra *retryAfterError
	if errors.As(err, &ra) {
		return ra.after
	}
	return 0
}

// once performs one request and reads its 2xx answer whole (batch.ReadAnswer).
func (c *Client) once(ctx context.Context, method, path string, q url.Values, body io.Reader, contentType string) ([]byte, error) {
	var data []byte
	err := c.exchange(ctx, method, path, q, body, contentType, func(answer io.Reader) error {
		var err error
		data, err = batch.ReadAnswer(answer, true)
		return err
	})
	return data, err
}

// exchange performs one request under the per-request timeout, which covers reading the
// answer too: read gets the body of a 2xx answer; any other answer is a *StatusError.
func (c *Client) exchange(ctx context.Context, method, path string, q url.Values, body io.Reader, contentType string, read func(io.Reader) error) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	u := *c.base
	u.Path += path
	if q != nil {
		u.RawQuery = q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.cfg.Tenant != "" {
		req.Header.Set("X-Scope-OrgID", c.cfg.Tenant)
	}
	switch {
	case c.auth != "":
		req.Header.Set("Authorization", c.auth)
	case c.cfg.Username != "":
		req.SetBasicAuth(c.cfg.Username, c.cfg.Password)
	}
	for k, v := range c.cfg.Headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("User-Agent", "coroner")
	// Structured metadata as a third element instead of more streams; Lokis that do not know
	// the flag ignore it, and the decoder reads both shapes.
	req.Header.Set("X-Loki-Response-Encoding-Flags", "categorize-labels")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 2 {
		return read(resp.Body)
	}
	data, err := batch.ReadAnswer(resp.Body, false)
	if err != nil {
		return err
	}
	text := string(data)
	if len(text) > 1024 {
		text = text[:1024] + "…"
	}
	se := &StatusError{Code: resp.StatusCode, Body: text}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		return &retryAfterError{se, time.Duration(s) * time.Second}
	}
	return se
}

// Reach asks Loki for its build information, the cheapest request there is, to learn whether
// it can be reached at all: a wrong address, a refused connection or a certificate not trusted
// is then said once (*batch.UnreachableError) instead of once per window. Any HTTP answer,
// even 401 or 404 from a gateway, counts as reached.
func (c *Client) Reach(ctx context.Context) error {
	return batch.Reach(ctx, c.backoff(), 1, "Loki", c.base.String(), func() error {
		_, err := c.once(ctx, http.MethodGet, "/loki/api/v1/status/buildinfo", nil, nil, "")
		return err
	})
}
