package cli

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/sources/loki"
	"github.com/k8s-coroner/coroner/sources/loki/lokitest"
)

// leaks says which of the forms shows in the text.
func leaks(text string, forms ...string) []string {
	var found []string
	for _, f := range forms {
		if strings.Contains(text, f) {
			found = append(found, f)
		}
	}
	return found
}

// A user and password inside --url show in no output: not in any report format (the JSON
// report's transfer.url kept "alice:xxxxx@"), not in the error of a store that cannot be
// reached (net/http quotes the URL, user included).
func TestURLUserinfoRedacted(t *testing.T) {
	srv := lokitest.New()
	defer srv.Close()
	// A line of the range, no evidence: a store that holds nothing would make the run partial.
	srv.Push("fake", map[string]string{"job": "systemd-journal", "host": "node-1"},
		lokitest.Entry{Timestamp: time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC), Line: "Started Session 3 of user core."})
	withUser := strings.Replace(srv.URL, "http://", "http://alice:s3cretpw@", 1)
	for _, format := range []string{"json", "text", "markdown", "html"} {
		out, stderr, code := runMain(t, "", "loki", "--url", withUser, "--format", format, "--from", "2026-11-27T00:00:00Z", "--to", "2026-11-28T00:00:00Z")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		if l := leaks(out+stderr, "alice", "s3cretpw"); l != nil {
			t.Errorf("%s report shows %q:\n%s%s", format, l, out, stderr)
		}
		if format == "json" {
			var rep report.Report
			json.Unmarshal([]byte(out), &rep)
			if rep.Transfer == nil || rep.Transfer.URL != srv.URL {
				t.Errorf("transfer.url = %+v, want %s", rep.Transfer, srv.URL)
			}
		}
	}
	for _, cmd := range []string{"loki", "elasticsearch", "opensearch"} {
		_, stderr, code := runMain(t, "", cmd, "--url", "http://alice:s3cretpw@127.0.0.1:1", "--retries", "0", "--since", "1h")
		if code != exitUsage || !strings.Contains(stderr, "cannot reach") {
			t.Errorf("%s against a closed port: exit %d, %s", cmd, code, stderr)
		}
		if l := leaks(stderr, "alice", "s3cretpw"); l != nil {
			t.Errorf("%s: the error shows %q: %s", cmd, l, stderr)
		}
	}
	// The credentials still reach the server, as Basic auth.
	echo, seen := echoServer(t)
	runMain(t, "", "loki", "--url", strings.Replace(echo.URL, "http://", "http://alice:s3cretpw@", 1), "--retries", "0", "--since", "1h")
	if h, want := seen(), "Basic "+base64.StdEncoding.EncodeToString([]byte("alice:s3cretpw")); len(h) == 0 || h[0] != want {
		t.Errorf("the server saw %q, want %q", h, want)
	}
	// An address that does not parse is quoted in its error, without the credentials.
	_, stderr, _ := runMain(t, "", "loki", "--url", "alice:s3cretpw@loki:3100")
	if l := leaks(stderr, "s3cretpw"); l != nil || !strings.Contains(stderr, "not an http(s) URL") {
		t.Errorf("a bad URL: %s", stderr)
	}
}

// echoServer answers every request 500 with a body that echoes the request's Authorization
// header, as misconfigured proxies and debug endpoints do; it records the header.
func echoServer(t *testing.T) (*httptest.Server, func() []string) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("X-Elastic-Product", "Elasticsearch")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, "upstream failed; request headers: Authorization: %s; raw %s", r.Header.Get("Authorization"),
			strings.TrimPrefix(r.Header.Get("Authorization"), "Basic "))
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), seen...) }
}

// A server error body that echoes the Authorization header shows none of the credential in
// what coroner prints (the error, the report in every format), whatever the auth: Basic (the
// header holds base64 of user:password), a bearer token, an Elastic API key ("ApiKey …").
func TestServerErrorEchoingAuthorizationScrubbed(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte("bob:hunter22pw"))
	for _, c := range []struct {
		name  string
		args  []string
		forms []string
	}{
		{"loki basic", []string{"loki", "--username", "bob", "--password", "hunter22pw"}, []string{"hunter22pw", basic}},
		{"loki bearer", []string{"loki", "--bearer-token", "tok-abcdef-123"}, []string{"tok-abcdef-123"}},
		{"loki header", []string{"loki", "--header", "Authorization=Bearer hdr-tok-456"}, []string{"hdr-tok-456"}},
		{"elasticsearch api key", []string{"elasticsearch", "--api-key", "aWQ6a2V5c2VjcmV0"}, []string{"aWQ6a2V5c2VjcmV0"}},
		{"elasticsearch basic", []string{"elasticsearch", "--username", "bob", "--password", "hunter22pw"}, []string{"hunter22pw", basic}},
		{"opensearch bearer", []string{"opensearch", "--bearer-token", "tok-abcdef-123"}, []string{"tok-abcdef-123"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, seen := echoServer(t)
			for _, format := range []string{"json", "text", "html"} {
				args := append(append([]string(nil), c.args...), "--url", srv.URL, "--retries", "0", "--since", "1h", "--format", format)
				out, stderr, code := runMain(t, "", args...)
				if code == 0 {
					t.Errorf("%s: a server answering 500 exits 0", format)
				}
				if !strings.Contains(stderr, "500") && !strings.Contains(out, "500") {
					t.Errorf("%s: the 500 is not said:\n%s", format, stderr)
				}
				if l := leaks(out+stderr, c.forms...); l != nil {
					t.Errorf("%s: shows %q\nstdout: %s\nstderr: %s", format, l, out, stderr)
				}
			}
			if h := seen(); len(h) == 0 || leaks(strings.Join(h, " "), c.forms...) == nil {
				t.Errorf("the server saw %q: the credential was not sent", h)
			}
		})
	}
}

// --password-file and --bearer-token-file give Loki its credentials without the command line
// (ps, shell history) holding them; the file's trailing newline is not part of the secret.
// A file that cannot be read, and a file beside its inline flag, are errors that say so.
func TestLokiCredentialFiles(t *testing.T) {
	dir := t.TempDir()
	pw, tok := filepath.Join(dir, "pw"), filepath.Join(dir, "tok")
	os.WriteFile(pw, []byte("file-pass-1\n"), 0o600)
	os.WriteFile(tok, []byte("file-token-2\r\n"), 0o600)
	srv, seen := echoServer(t)
	base := []string{"--url", srv.URL, "--retries", "0", "--since", "1h"}
	_, stderr, _ := runMain(t, "", append([]string{"loki", "--username", "carol", "--password-file", pw}, base...)...)
	if want := "Basic " + base64.StdEncoding.EncodeToString([]byte("carol:file-pass-1")); len(seen()) == 0 || seen()[0] != want {
		t.Errorf("--password-file: the server saw %q, want %q", seen(), want)
	}
	if l := leaks(stderr, "file-pass-1"); l != nil {
		t.Errorf("the password from the file is shown: %s", stderr)
	}
	_, stderr, _ = runMain(t, "", append([]string{"loki", "--bearer-token-file", tok}, base...)...)
	if h := seen(); h[len(h)-1] != "Bearer file-token-2" {
		t.Errorf("--bearer-token-file: the server saw %q", h[len(h)-1])
	}
	if l := leaks(stderr, "file-token-2"); l != nil {
		t.Errorf("the token from the file is shown: %s", stderr)
	}
	t.Setenv("LOKI_PASSWORD_FILE", pw)
	if c, err := parseOnly(t, "loki"); err != nil || c.Loki.Store.PasswordFile != pw {
		t.Errorf("LOKI_PASSWORD_FILE: %v %+v", err, c.Loki.Store.PasswordFile)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"loki", "--password-file", filepath.Join(dir, "missing")}, "--password-file: cannot read the password"},
		{[]string{"loki", "--password", "x", "--password-file", pw}, "give --password or --password-file, not both"},
		{[]string{"loki", "--bearer-token", "x", "--bearer-token-file", tok}, "give --bearer-token or --bearer-token-file, not both"},
		{[]string{"elasticsearch", "--api-key", "x", "--api-key-file", tok}, "give --api-key or --api-key-file, not both"},
		{[]string{"elasticsearch", "--api-key-file", filepath.Join(dir, "missing")}, "--api-key-file: cannot read the api key"},
		{[]string{"opensearch", "--password-file", dir}, "--password-file: cannot read the password"},
	} {
		_, stderr, code := runMain(t, "", append(c.args, base...)...)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("coroner %v: exit %d, %s (want %q)", c.args, code, stderr, c.want)
		}
	}
}

// A secret in log content (here a process named after the password, as a misconfigured
// command line does) is scrubbed before the text report cuts lines to the terminal: a
// scrubber of the written bytes alone would miss a password wrapped over two lines.
func TestSecretInLogContentScrubbedBeforeLayout(t *testing.T) {
	srv := lokitest.New()
	defer srv.Close()
	at := time.Date(2026, 11, 27, 3, 12, 44, 0, time.UTC)
	c, _ := loki.New(loki.Config{URL: srv.URL})
	err := c.Push(context.Background(), []loki.Finding{{Labels: map[string]string{"job": "systemd-journal", "host": "node-9"}, Time: at,
		Line: "Out of memory: Killed process 4242 (hunter22pw-0123456789-abcdefghij-XYZ) total-vm:4096000kB, anon-rss:3000000kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:6500kB oom_score_adj:1000"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("COLUMNS", "30")
	for _, format := range []string{"text", "json", "markdown", "html"} {
		out, stderr, code := runMain(t, "", "loki", "--url", srv.URL, "--username", "bob", "--password", "hunter22pw-0123456789-abcdefghij-XYZ", "-o", format,
			"--from", "2026-11-27T00:00:00Z", "--to", "2026-11-27T06:00:00Z")
		if code != 0 || !strings.Contains(out, "REDACTED") {
			t.Fatalf("%s: exit %d, no REDACTED: %s\n%s", format, code, stderr, out)
		}
		if strings.Contains(out, "hunter22") {
			t.Errorf("%s: the password shows:\n%s", format, out)
		}
	}
}
