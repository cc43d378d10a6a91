package secret

import (
	"net/url"
	"regexp"
)

// URL is an address as coroner may show it: the userinfo (user:password@) replaced by Mask,
// the rest kept so that the address can still be recognised. net/url's Redacted keeps the
// user name, which may be a key's ID or a tenant's, so the whole userinfo goes. An address
// that does not parse is scrubbed as text, since it is shown in the error that says so.
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" {
		return userinfo.ReplaceAllString(raw, "${1}"+Mask+"@")
	}
	if u.User != nil {
		u.User = url.User(Mask)
	}
	return u.String()
}

// userinfo is what looks like userinfo in text: after "scheme://" or at the start, anything
// up to an "@" that holds no slash.
var userinfo = regexp.MustCompile(`(^|//)[^/@]+@`)

// Userinfo splits the credentials out of an address: the address without them, and the user
// and password it held. A client sends them as Basic auth itself, so that the address it
// requests (and every error that quotes it) holds none.
func Userinfo(u *url.URL) (clean *url.URL, user, password string, ok bool) {
	if u.User == nil {
		return u, "", "", false
	}
	c := *u
	c.User = nil
	password, _ = u.User.Password()
	return &c, u.User.Username(), password, true
}
