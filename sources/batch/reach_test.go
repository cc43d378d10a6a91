package batch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"
)

func noSleep(context.Context, time.Duration) error { return nil }

// A refused connection may pass a moment later and is tried again; a name that does not
// resolve is not; an HTTP answer of any kind counts as reached. The error names the store,
// the URL and the cause, not the request's URL.
func TestReach(t *testing.T) {
	refused := &url.Error{Op: "Get", URL: "http://loki:3100/loki/api/v1/query_range?query=%7Bjob%3D%22x%22%7D",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	noHost := &url.Error{Op: "Get", URL: "http://nohost:3100/", Err: &net.OpError{Op: "dial", Net: "tcp",
		Err: &net.DNSError{Err: "no such host", Name: "nohost", IsNotFound: true}}}
	answered := errors.New("Loki answered 404 Not Found: 404 page not found")
	b := Backoff{Retries: 5, Sleep: noSleep}
	for _, c := range []struct {
		name      string
		errs      []error // what the probe returns, call after call (nil afterwards)
		wantCalls int
		wantErr   string
	}{
		{"refused, then up", []error{refused, refused}, 3, ""},
		{"refused for good: two retries, not five", []error{refused, refused, refused, refused}, 3, "cannot reach Loki at http://loki:3100: dial tcp: connection refused"},
		{"no such host: not retried", []error{noHost, noHost}, 1, "cannot reach Loki at http://loki:3100: dial tcp: lookup nohost: no such host"},
		{"an HTTP error answer is a server reached", []error{answered}, 1, ""},
	} {
		calls := 0
		err := Reach(context.Background(), b, 1, "Loki", "http://loki:3100", func() error {
			calls++
			if calls <= len(c.errs) {
				return c.errs[calls-1]
			}
			return nil
		})
		got := ""
		if err != nil {
			got = err.Error()
			var ue *UnreachableError
			if !errors.As(err, &ue) {
				t.Errorf("%s: %T is not an *UnreachableError", c.name, err)
			}
		}
		if calls != c.wantCalls || got != c.wantErr || strings.Contains(got, "query") {
			t.Errorf("%s: %d calls, err %q; want %d calls, err %q", c.name, calls, got, c.wantCalls, c.wantErr)
		}
	}
}

// With several addresses in rotation each gets its try, whatever the error.
func TestReachTriesEveryAddress(t *testing.T) {
	calls := 0
	err := Reach(context.Background(), Backoff{Retries: 0, Sleep: noSleep}, 4, "OpenSearch", "a,b,c,d", func() error {
		calls++
		return fmt.Errorf("wrapped: %w", &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", IsNotFound: true}})
	})
	if calls != 4 || err == nil {
		t.Errorf("%d calls, err %v; want 4 calls and an error", calls, err)
	}
}
