// Package secret keeps credentials out of what coroner prints. A Scrubber knows the run's
// secret values (passwords, tokens, API keys) and replaces them, and the forms they travel in
// (base64, Basic auth's base64 of user:password, JSON and HTML escapes), by Mask: a server
// that echoes the Authorization header in an error body, or a log line that holds a
// password, then shows REDACTED instead. URL strips the userinfo of an address shown.
package secret

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"slices"
	"strings"
	"sync"
)

// Mask is what a secret is replaced by: plain ASCII, so it needs no escape in JSON, HTML or
// Markdown, and it says what happened.
const Mask = "REDACTED"

// minLen is the shortest value scrubbed: replacing every "ab" of a report would make it
// unreadable and hide nothing worth hiding.
const minLen = 4

// Scrubber replaces known secrets. The zero value knows none; a nil *Scrubber is valid and
// scrubs nothing. It is safe for concurrent use: values are added while stores open and
// output is written from several goroutines.
type Scrubber struct {
	mu    sync.RWMutex
	forms []string // every form of every value, longest first
	r     *strings.Replacer
}

// Add makes the values secret, with their base64 forms (a header or an echo may carry them
// encoded) and their JSON and HTML escapes (the report's formats).
func (s *Scrubber) Add(values ...string) {
	var forms []string
	for _, v := range values {
		if len(v) < minLen {
			continue
		}
		forms = append(forms, v)
		forms = append(forms, encodings(v)...)
	}
	s.addForms(forms)
}

// AddBasic makes a Basic auth's password secret, and the base64 of "user:password" that the
// Authorization header carries (an echo of the header shows only that).
func (s *Scrubber) AddBasic(user, password string) {
	if password == "" {
		return
	}
	s.Add(password)
	s.addForms(encodings(user + ":" + password))
}

func encodings(v string) []string {
	b := []byte(v)
	forms := []string{
		base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b),
		html.EscapeString(v),
	}
	if j, err := json.Marshal(v); err == nil {
		forms = append(forms, string(j[1:len(j)-1]))
	}
	return forms
}

func (s *Scrubber) addForms(forms []string) {
	if s == nil || len(forms) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range forms {
		if len(f) >= minLen && !slices.Contains(s.forms, f) {
			s.forms = append(s.forms, f)
		}
	}
	// Longest first: the Replacer tries its pairs in order at each position, so a padded
	// base64 form wins over its unpadded prefix and nothing of a secret is left behind.
	slices.SortStableFunc(s.forms, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(s.forms))
	for _, f := range s.forms {
		pairs = append(pairs, f, Mask)
	}
	s.r = strings.NewReplacer(pairs...)
}

// String is x with every known secret replaced by Mask.
func (s *Scrubber) String(x string) string {
	r := s.replacer()
	if r == nil {
		return x
	}
	return r.Replace(x)
}

func (s *Scrubber) replacer() *strings.Replacer {
	if s == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.r
}

// held is how many bytes at the end of x may be the start of a secret whose rest is still
// to come: a writer holds them back until it knows.
func (s *Scrubber) held(x string) int {
	if s == nil {
		return 0
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	longest := 0
	for _, f := range s.forms {
		for k := min(len(f)-1, len(x)); k > longest; k-- {
			if strings.HasSuffix(x, f[:k]) {
				longest = k
				break
			}
		}
	}
	return longest
}
