package batch

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestBackoffCapsItsWaits: a Retry-After of an hour waits DefaultMaxWait, and a request
// stops retrying once its waits would pass the budget, saying so. One "Retry-After: 3600"
// stalled a run for an hour.
func TestBackoffCapsItsWaits(t *testing.T) {
	var waits []time.Duration
	b := Backoff{Retries: 100, Base: time.Second, Sleep: func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}}
	calls := 0
	err := b.Do(context.Background(), func() error { calls++; return errTooBig },
		func(error) bool { return true }, func(error) time.Duration { return time.Hour })
	var total time.Duration
	for _, w := range waits {
		if w > DefaultMaxWait {
			t.Errorf("waited %v, more than the cap %v", w, DefaultMaxWait)
		}
		total += w
	}
	if total > DefaultRetryBudget {
		t.Errorf("waited %v in all, more than the budget %v", total, DefaultRetryBudget)
	}
	if calls != len(waits)+1 || calls >= 101 {
		t.Errorf("%d calls after %d waits: the budget did not stop the retries", calls, len(waits))
	}
	if err == nil || !errors.Is(err, errTooBig) || !strings.Contains(err.Error(), "gave up after") {
		t.Errorf("error %v, want the last one, saying it gave up", err)
	}
}

// TestPermanent: certificate and TLS alert errors are permanent, wrapped as a client wraps
// them; ordinary errors are not.
func TestPermanent(t *testing.T) {
	certErr := &url.Error{Op: "Get", URL: "https://loki:3100", Err: fmt.Errorf("tls: failed to verify certificate: %w", x509.UnknownAuthorityError{})}
	for _, err := range []error{certErr, errors.New("remote error: tls: bad certificate")} {
		if !Permanent(err) {
			t.Errorf("%v is not permanent", err)
		}
	}
	if Permanent(errTooBig) || Permanent(nil) {
		t.Error("an ordinary error is called permanent")
	}
}

// TestSplitHasABudget: a window whose every request times out (a server that never answers)
// makes at most 1+DefaultSplitBudget requests, not one per minute of it, and its missing
// entry says why it was not read in smaller pieces.
func TestSplitHasABudget(t *testing.T) {
	calls := 0
	f := Fetcher[int]{Split: func(err error) bool { return errors.Is(err, errTooBig) },
		Fetch: func(context.Context, Window) ([]int, error) { calls++; return nil, errTooBig }}
	var missing []Missing
	Run(context.Background(), Windows(t0, t0.Add(time.Hour), time.Hour), 1, f, func(_ []int, m []Missing) { missing = append(missing, m...) })
	if calls != 1+DefaultSplitBudget {
		t.Errorf("%d requests for one window, want %d", calls, 1+DefaultSplitBudget)
	}
	var covered time.Duration
	for _, m := range missing {
		covered += m.Window.To.Sub(m.Window.From)
	}
	if covered != time.Hour || !strings.Contains(missing[0].Err, "requests after its timeout are spent") {
		t.Errorf("missing %v: want the whole hour, saying the budget was spent", missing)
	}
}
