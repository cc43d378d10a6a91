package batch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
)

// UnreachableError says a store could not be reached at all: no window of the range can be
// read, so the job stops with this one line instead of reporting every window.
type UnreachableError struct {
	Store string // "Loki", "Elasticsearch", "OpenSearch"
	URL   string
	Err   error // the network or TLS cause, without the request's URL and query
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach %s at %s: %v", e.Store, e.URL, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// Unreached returns the cause when err means the request never reached a server: the name
// did not resolve, no connection could be made (refused, no route, timed out, the proxy
// refused it), or TLS did not accept the server; nil when a server answered or the error
// came later. The cause is the innermost network or TLS error, whose text names the address
// but not the request's URL (which holds the whole encoded query).
func Unreached(err error) error {
	var dns *net.DNSError
	var op *net.OpError
	var verify *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	var authority x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect"):
		return op
	case errors.As(err, &dns):
		return dns
	case errors.As(err, &verify):
		return verify
	case errors.As(err, &record): // TLS spoken to a plain-HTTP port
		return record
	case errors.As(err, &authority):
		return authority
	case errors.As(err, &host):
		return host
	case errors.As(err, &invalid):
		return invalid
	}
	return nil
}

// mayPass says whether an unreached server may answer a moment later: a refused or timed-out
// connection (a rollout, a gateway restarting) may, a name that does not exist or a
// certificate that is not trusted will not.
func mayPass(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return dns.IsTimeout || dns.IsTemporary
	}
	var op *net.OpError
	return errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect")
}

// Reach runs probe, one cheap request, to learn whether the store can be reached at all
// before the range is cut into windows. Any answer of the server counts, whatever its status;
// only an error Unreached recognises fails, after at most two retries (tries more, up to one
// per address, when the client rotates over several). The error is an *UnreachableError.
func Reach(ctx context.Context, b Backoff, tries int, store, url string, probe func() error) error {
	b.Retries = min(b.Retries, 2)
	if tries-1 > b.Retries {
		b.Retries = tries - 1
	}
	several := tries > 1
	err := b.Do(ctx, func() error {
		if cause := Unreached(probe()); cause != nil {
			return cause
		}
		return nil
	}, func(err error) bool { return several || mayPass(err) }, nil)
	if err == nil {
		return nil
	}
	cause := Unreached(err)
	if cause == nil { // the run's context ended while waiting
		cause = err
	}
	return &UnreachableError{Store: store, URL: url, Err: cause}
}
