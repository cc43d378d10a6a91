package secret

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every form a secret travels in is scrubbed: raw, base64 (a bearer token echoed encoded),
// Basic auth's base64 of user:password, and its JSON escape.
func TestScrubberForms(t *testing.T) {
	var s Scrubber
	s.Add(`tok"en-123`)
	s.AddBasic("alice", "s3cretpw")
	basic := base64.StdEncoding.EncodeToString([]byte("alice:s3cretpw"))
	for _, in := range []string{
		"Authorization: Bearer tok\"en-123",
		"Authorization: Basic " + basic,
		"echo " + base64.StdEncoding.EncodeToString([]byte(`tok"en-123`)),
		`{"auth":"tok\"en-123"}`,
		"password=s3cretpw;",
	} {
		out := s.String(in)
		if strings.Contains(out, "s3cretpw") || strings.Contains(out, "tok") || strings.Contains(out, basic) || !strings.Contains(out, Mask) {
			t.Errorf("%q scrubbed to %q", in, out)
		}
	}
	if got := s.String("alice reads logs"); got != "alice reads logs" {
		t.Errorf("a user name alone is not secret: %q", got)
	}
	var none *Scrubber
	if none.String("x") != "x" {
		t.Error("a nil scrubber changes nothing")
	}
}

// A secret split over two writes (a buffer's edge) is still scrubbed; text that cannot start
// one goes out at once.
func TestWriterSplitSecret(t *testing.T) {
	var s Scrubber
	s.Add("hunter2hunter2")
	var out bytes.Buffer
	w := s.Writer(&out)
	w.Write([]byte("progress 1/2 pw=hunter2"))
	if got := out.String(); got != "progress 1/2 pw=" {
		t.Errorf("before the rest came: %q", got)
	}
	w.Write([]byte("hunter2 done\rnext"))
	w.Write([]byte(" hunt"))
	w.Flush()
	if got := out.String(); got != "progress 1/2 pw=REDACTED done\rnext hunt" {
		t.Errorf("got %q", got)
	}
}

// Value reaches strings in structs, pointers, slices and map keys and values.
func TestValue(t *testing.T) {
	type inner struct{ Reason string }
	type rep struct {
		URL   string
		Notes []string
		In    *inner
		M     map[string]string
	}
	var s Scrubber
	s.Add("pa55word")
	r := &rep{URL: "x pa55word", Notes: []string{"pa55word"}, In: &inner{"body pa55word"}, M: map[string]string{"k pa55word": "v pa55word"}}
	s.Value(r)
	if r.URL != "x REDACTED" || r.Notes[0] != Mask || r.In.Reason != "body REDACTED" || r.M["k REDACTED"] != "v REDACTED" || len(r.M) != 1 {
		t.Errorf("got %+v %+v", r, r.In)
	}
}

func TestURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://alice:s3cret@loki:3100/x": "http://REDACTED@loki:3100/x",
		"https://es:9200":                 "https://es:9200",
		"alice:s3cret@loki:3100":          "REDACTED@loki:3100",
		"http://a:b c@h%zz":               "http://REDACTED@h%zz",
	} {
		if got := URL(in); got != want {
			t.Errorf("URL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFromFlags(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "pw")
	os.WriteFile(p, []byte(" pass word \n"), 0o600)
	if v, err := FromFlags("password", "", "password-file", p); err != nil || v != " pass word " {
		t.Errorf("got %q, %v: only the trailing newline goes", v, err)
	}
	if _, err := FromFlags("password", "x", "password-file", p); err == nil || !strings.Contains(err.Error(), "not both") {
		t.Errorf("inline and file: %v", err)
	}
	if _, err := FromFlags("password", "", "password-file", filepath.Join(dir, "nope")); err == nil || !strings.Contains(err.Error(), "--password-file: cannot read the password") {
		t.Errorf("unreadable: %v", err)
	}
	os.WriteFile(p, []byte("\n"), 0o600)
	if _, err := FromFlags("password", "", "password-file", p); err == nil || !strings.Contains(err.Error(), "is empty") {
		t.Errorf("empty: %v", err)
	}
}
