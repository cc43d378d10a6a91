package loki

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestUntrustedCertificateIsNotRetried: a server whose certificate the client does not trust
// is tried once, and the error says it is the certificate. Each request was retried five
// times with backoff first.
func TestUntrustedCertificateIsNotRetried(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Config.ErrorLog = nil
	srv.StartTLS()
	defer srv.Close()
	c, err := New(Config{URL: srv.URL, Retries: 5, Backoff: time.Millisecond}) // the system's CAs only
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Fetch(context.Background(), `{job="x"}`, t0, t0.Add(time.Hour), func(Item) {})
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("err %v, want the certificate error", err)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1: a certificate error is not retried", n)
	}
}
