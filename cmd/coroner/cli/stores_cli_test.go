package cli

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/k8s-coroner/coroner/sources/loki"
)

// parseOnly parses a command line into the CLI model without running it.
func parseOnly(t *testing.T, args ...string) (*commands, error) {
	t.Helper()
	var c commands
	var out, errb bytes.Buffer
	p, err := newParser(&c, &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}, func(int) {})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Parse(args)
	return &c, err
}

// lokiConn is the part of coroner loki's flags that says how to reach Loki.
type lokiConn struct {
	URL, Tenant, Username, Password, BearerToken, CAFile, CertFile, KeyFile string
	Insecure                                                                bool
}

func connOf(cmd storeCmd[loki.Flags, *loki.Flags]) lokiConn {
	l := cmd.Store
	return lokiConn{l.URL, l.Tenant, l.Username, l.Password, l.BearerToken, l.CAFile, l.CertFile, l.KeyFile, l.Insecure}
}

// logcli's flag names set what coroner's own names set, and coroner's names still work.
func TestLokiTakesLogcliFlags(t *testing.T) {
	want := lokiConn{"http://loki:3100", "prod|dev", "u", "p", "", "ca.pem", "c.pem", "k.pem", true}
	logcli, err := parseOnly(t, "loki", "--addr", "http://loki:3100", "--org-id", "prod|dev", "--username", "u", "--password", "p",
		"--ca-cert", "ca.pem", "--cert", "c.pem", "--key", "k.pem", "--tls-skip-verify")
	if err != nil {
		t.Fatal(err)
	}
	ours, err := parseOnly(t, "loki", "--url", "http://loki:3100", "--tenant", "prod|dev", "--username", "u", "--password", "p",
		"--ca-file", "ca.pem", "--cert-file", "c.pem", "--key-file", "k.pem", "--insecure")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, connOf(logcli.Loki)); d != "" {
		t.Errorf("logcli's names (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want, connOf(ours.Loki)); d != "" {
		t.Errorf("coroner's names (-want +got):\n%s", d)
	}
}

// logcli's environment variables (cmd/logcli/main.go) configure coroner loki; a flag wins
// over its variable.
func TestLokiTakesLogcliEnvironment(t *testing.T) {
	for k, v := range map[string]string{"LOKI_ADDR": "https://logs.example.com", "LOKI_ORG_ID": "team-a",
		"LOKI_USERNAME": "1234", "LOKI_PASSWORD": "secret", "LOKI_BEARER_TOKEN": "tok", "LOKI_CA_CERT_PATH": "/etc/ca.pem",
		"LOKI_CLIENT_CERT_PATH": "/etc/c.pem", "LOKI_CLIENT_KEY_PATH": "/etc/k.pem", "LOKI_TLS_SKIP_VERIFY": "true"} {
		t.Setenv(k, v)
	}
	c, err := parseOnly(t, "loki")
	if err != nil {
		t.Fatal(err)
	}
	want := lokiConn{"https://logs.example.com", "team-a", "1234", "secret", "tok", "/etc/ca.pem", "/etc/c.pem", "/etc/k.pem", true}
	if d := cmp.Diff(want, connOf(c.Loki)); d != "" {
		t.Errorf("from the environment (-want +got):\n%s", d)
	}
	c, err = parseOnly(t, "loki", "--addr", "http://other:3100", "--org-id", "team-b")
	if err != nil {
		t.Fatal(err)
	}
	if c.Loki.Store.URL != "http://other:3100" || c.Loki.Store.Tenant != "team-b" {
		t.Errorf("flags should win over LOKI_ADDR and LOKI_ORG_ID: %q %q", c.Loki.Store.URL, c.Loki.Store.Tenant)
	}
}

// Each store command's help ends with examples, and every example parses as written.
func TestStoreHelpEndsWithExamples(t *testing.T) {
	for _, cmd := range []string{"loki", "elasticsearch", "opensearch"} {
		out, errs, code := runMain(t, "", cmd, "--help")
		i := strings.LastIndex(out, "\nExamples:\n")
		if code != 0 || errs != "" || i < 0 || !strings.Contains(out[:i], "--since") {
			t.Errorf("coroner %s --help: exit %d, stderr %q, examples at %d (after the flags?)", cmd, code, errs, i)
			continue
		}
		lines := strings.Split(strings.TrimSpace(out[i+len("\nExamples:\n"):]), "\n")
		if len(lines) < 2 || len(lines) > 4 {
			t.Errorf("coroner %s: %d examples, want 2 to 4", cmd, len(lines))
		}
		for _, l := range lines {
			args := exampleArgs(l)
			if len(args) == 0 || args[0] != cmd {
				t.Errorf("example %q does not run coroner %s", l, cmd)
				continue
			}
			if _, err := parseOnly(t, args...); err != nil {
				t.Errorf("example %q does not parse: %v", l, err)
			}
		}
	}
}

// exampleArgs splits an example the way a shell would, as far as the examples need: leading
// VAR=value assignments, the coroner word, quotes, and a redirection or comment ending it.
func exampleArgs(line string) []string {
	var words []string
	var cur strings.Builder
	inWord, quote := false, byte(0)
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case quote != 0 && ch == quote:
			quote = 0
		case quote != 0:
			cur.WriteByte(ch)
		case ch == '\'' || ch == '"':
			quote, inWord = ch, true
		case ch == ' ':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(ch)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
		words = words[1:]
	}
	if len(words) == 0 || words[0] != "coroner" {
		return nil
	}
	words = words[1:]
	for i, w := range words {
		if w == ">" || w == "#" || w == "|" {
			return words[:i]
		}
	}
	return words
}

// A store that cannot be reached is one line naming the URL and the cause, no report, exit 2:
// not a warning per window carrying the encoded query.
func TestUnreachableStoreIsOneLine(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	untrusted := httptest.NewTLSServer(http.NotFoundHandler()) // its certificate is not in the system pool
	defer untrusted.Close()
	for _, c := range []struct {
		args  []string
		store string
		url   string
		cause string
	}{
		{[]string{"loki", "--addr", closedURL}, "Loki", closedURL, "dial tcp"},
		{[]string{"loki", "--url", untrusted.URL}, "Loki", untrusted.URL, "certificate"},
		{[]string{"elasticsearch", "--url", closedURL}, "Elasticsearch", closedURL, "dial tcp"},
		{[]string{"elasticsearch", "--url", untrusted.URL}, "Elasticsearch", untrusted.URL, "certificate"},
		{[]string{"opensearch", "--url", closedURL}, "OpenSearch", closedURL, "dial tcp"},
	} {
		args := append(c.args, "--since", "24h", "--query-window", "1h", "--retries", "1")
		out, errs, code := runMain(t, "", args...)
		want := "coroner: error: cannot reach " + c.store + " at " + c.url + ": "
		if code != exitUsage || out != "" || strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, want) ||
			!strings.Contains(errs, c.cause) || strings.Contains(errs, "query") || strings.Contains(errs, "window") {
			t.Errorf("coroner %v: exit %d, stdout %.200q, stderr %q; want exit 2, no report, one line %q…%s…",
				args, code, out, errs, want, c.cause)
		}
	}
}
