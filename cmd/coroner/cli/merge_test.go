package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMergeChecksShards: coroner merge refuses the same shard twice (its deaths would count
// twice) and shards of different counts, and says so when a shard is missing.
func TestMergeChecksShards(t *testing.T) {
	dir := t.TempDir()
	shard := func(s string) string {
		p := filepath.Join(dir, strings.ReplaceAll(s, "/", "of")+".json")
		rep := `{"schema":"coroner/v1","deaths":[],"hostKills":[],"incomplete":[],"pressure":[],"inputs":[],` +
			`"transfer":{"store":"loki","url":"http://loki:3100","from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z","shard":"` + s + `","missing":[]}}`
		if err := os.WriteFile(p, []byte(rep), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		reason   string
		reports  []string
		code     int
		inOutput string // a phrase stdout or stderr must hold
	}{
		{"a complete set merges", []string{shard("0/2"), shard("1/2")}, 0, ""},
		{"the same report twice is refused", []string{shard("0/2"), shard("0/2")}, exitUsage, "count its deaths twice"},
		{"shards of different counts are refused", []string{shard("0/2"), shard("1/3")}, exitUsage, "different counts"},
		{"a missing shard is a warning and a partial exit", []string{shard("0/3"), shard("2/3")}, exitPartial, "shard 1/3 is not among the merged reports"},
	}
	for _, tt := range tests {
		stdout, stderr, code := runMain(t, "", append([]string{"merge", "--format", "json"}, tt.reports...)...)
		if code != tt.code {
			t.Errorf("%s: exit %d, want %d\nstderr: %s", tt.reason, code, tt.code, stderr)
		}
		if !strings.Contains(stdout+stderr, tt.inOutput) {
			t.Errorf("%s: output lacks %q\nstdout: %s\nstderr: %s", tt.reason, tt.inOutput, stdout, stderr)
		}
	}
}
