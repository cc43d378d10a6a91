package loki

import (
	"net/url"
	"strings"

	"github.com/k8s-coroner/coroner/sources/secret"
)

// tellSecrets gives the scrubber every credential a run against Loki holds: the Basic auth
// password (with the header's user:password), the bearer token, a password inside the URL,
// and the values of extra headers that carry credentials (--header Authorization=…).
func tellSecrets(s *secret.Scrubber, rawURL, user, password, token string, headers map[string]string) {
	s.AddBasic(user, password)
	s.Add(token)
	if u, err := url.Parse(rawURL); err == nil && u.User != nil {
		p, _ := u.User.Password()
		s.AddBasic(u.User.Username(), p)
	}
	for name, v := range headers {
		if credentialHeader(name) {
			s.Add(v)
			if _, cred, ok := strings.Cut(v, " "); ok { // "Bearer …", "Basic …"
				s.Add(cred)
			}
		}
	}
}

// credentialHeader says whether a header's name says it carries a credential.
func credentialHeader(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"auth", "token", "key", "secret", "cookie", "pass"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}
