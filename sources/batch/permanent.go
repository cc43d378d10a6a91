package batch

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"strings"
)

// Permanent says an error will be the same on every try of the same address, so the stores'
// retry rules never retry it: a certificate the client does not trust, a TLS handshake the
// server refuses. Loki's client retried certificate errors five times per request, with
// backoff, before saying what was wrong. (A name that does not resolve is not among them:
// with several addresses in rotation the next one may.)
func Permanent(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
		verification     *tls.CertificateVerificationError
		recordHeader     tls.RecordHeaderError
		alert            tls.AlertError
	)
	switch {
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &invalid),
		errors.As(err, &verification), errors.As(err, &recordHeader), errors.As(err, &alert):
		return true
	}
	// A TLS alert the server sent (it refused our certificate, or any) comes as an
	// unexported type over TCP; only its text says what it is.
	return err != nil && strings.Contains(err.Error(), "remote error: tls: ")
}
