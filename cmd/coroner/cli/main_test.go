package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runMain(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return out.String(), errb.String(), code
}

func TestCLI(t *testing.T) {
	report, err := os.ReadFile("../../../golden/testdata/real/cgroupfs-burstable/kmsg.txt")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		reason   string
		stdin    string
		args     []string
		wantCode int
		wantOut  string // a substring of standard output
		wantErr  string // a substring of standard error
	}{
		{"version prints the build's version", "", []string{"version"}, 0, "coroner " + versionString(), ""},
		{"--version prints it too, and exits 0", "", []string{"--version"}, 0, "coroner " + versionString(), ""},
		{"a bare coroner prints the usage", "", nil, 0, "Usage: coroner <command>", ""},
		{"an unknown command is a usage error", "", []string{"autopsy"}, 2, "", "coroner: hint:"},
		{"an unknown --kind is a usage error", "", []string{"analyze", "--kind", "nope", "-"}, 2, "", "--kind"},
		{"a bad --boot-time is a usage error", "", []string{"analyze", "--boot-time", "yesterday", "-"}, 2, "", "RFC 3339"},
		{"- reads standard input", string(report), []string{"analyze", "-f", "json", "-"}, 0, `"mechanism": "cgroup-oom"`, ""},
		{"--kind forces the framing: kmsg records read as syslog frame nothing, which is said and fails the run", string(report),
			[]string{"analyze", "-f", "json", "--kind", "syslog", "-"}, 2, `"deaths": []`, "no line reads as syslog, the kind --kind imposed"},
		{"an empty standard input is analysed, with no deaths", "", []string{"analyze", "-"}, 0, "0 container deaths", ""},
		{"-o names the format, as in kubectl", string(report), []string{"analyze", "-o", "json", "-"}, 0, `"mechanism": "cgroup-oom"`, ""},
		{"--output is -o's long name", string(report), []string{"analyze", "--output", "markdown", "-"}, 0, "# coroner report", ""},
		{"-f and -o may both be given when they agree", string(report), []string{"analyze", "-o", "jsonl", "-f", "jsonl", "-"}, 0, `{"schema":`, ""},
		{"-f and -o that disagree are a usage error", string(report), []string{"analyze", "-o", "json", "-f", "text", "-"}, 2, "", "disagree"},
		{"a wrong format is an error that lists the valid ones", "", []string{"analyze", "-o", "yaml", "-"}, 2, "",
			"valid formats are text, json, jsonl, markdown, html"},
		{"-o with a file name (its old meaning) points to --output-file", "", []string{"analyze", "-o", "report.html", "-"}, 2, "",
			"use --output-file report.html"},
		{"-v shows every proof line, marked", string(report), []string{"analyze", "-v", "-"}, 0, "▶", ""},
	}
	for _, tt := range tests {
		out, errs, code := runMain(t, tt.stdin, tt.args...)
		if code != tt.wantCode || !strings.Contains(out, tt.wantOut) || !strings.Contains(errs, tt.wantErr) {
			t.Errorf("%s: coroner %v\nexit %d (want %d)\nstdout: %.300s\nstderr: %s", tt.reason, tt.args, code, tt.wantCode, out, errs)
		}
	}
}

// TestOutputFile: --output-file writes the report there, in the format its extension names
// unless -o says otherwise, and standard output stays empty.
func TestOutputFile(t *testing.T) {
	report, err := os.ReadFile("../../../golden/testdata/real/cgroupfs-burstable/kmsg.txt")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, tt := range []struct {
		reason, file string
		args         []string
		want         string
	}{
		{"the extension picks html", "r.html", nil, "<!DOCTYPE html>"},
		{"the extension picks json", "r.json", nil, `"schema": "coroner/v1"`},
		{"-o wins over the extension", "r.json", []string{"-o", "text"}, "coroner: 1 container death"},
		{"no known extension: text", "r.out", nil, "coroner: 1 container death"},
	} {
		path := filepath.Join(dir, tt.file)
		args := append(append([]string{"analyze", "--output-file", path}, tt.args...), "-")
		out, errs, code := runMain(t, string(report), args...)
		got, err := os.ReadFile(path)
		if code != 0 || out != "" || err != nil || !strings.Contains(string(got), tt.want) {
			t.Errorf("%s: coroner %v: exit %d, stdout %.80q, stderr %s, file %.200q (%v)", tt.reason, args, code, out, errs, got, err)
		}
	}
}

// TestHelpExitsZero: --help and -h on every command print the help and exit 0, with no error
// after it (kong goes on parsing after printing it).
func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"analyze", "--help"}, {"analyze", "-h"}, {"node", "--help"},
		{"loki", "--help"}, {"elasticsearch", "--help"}, {"opensearch", "--help"}, {"merge", "--help"},
		{"version", "--help"}, {"completion", "--help"}} {
		out, errs, code := runMain(t, "", args...)
		// Every help ends with examples, the lines people copy first.
		examples := strings.LastIndex(out, "\nExamples:\n  ")
		if code != 0 || errs != "" || !strings.Contains(out, "Usage: coroner") || examples < 0 || strings.Contains(out[examples:], "\n  -") {
			t.Errorf("coroner %v: exit %d, stderr %q, stdout %.100q", args, code, errs, out)
		}
	}
}

// TestJSONContract checks the field names the JSON contract fixes.
func TestJSONContract(t *testing.T) {
	report, err := os.ReadFile("../../../golden/testdata/real/cgroupfs-burstable/dmesg-iso.txt")
	if err != nil {
		t.Fatal(err)
	}
	out, _, code := runMain(t, string(report), "analyze", "-f", "json", "-")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	mustHave := func(obj map[string]any, where string, keys ...string) {
		for _, k := range keys {
			if _, ok := obj[k]; !ok {
				t.Errorf("%s lacks %q", where, k)
			}
		}
	}
	mustHave(rep, "report", "schema", "inputs", "deaths", "hostKills")
	in := rep["inputs"].([]any)[0].(map[string]any)
	mustHave(in, "input", "name", "kind", "lines", "warnings")
	d := rep["deaths"].([]any)[0].(map[string]any)
	mustHave(d, "death", "node", "namespace", "pod", "podUID", "qos", "container", "containerID", "time",
		"bootTime", "mechanism", "limitScope", "confidence", "victim", "victims", "memory", "summary", "advice", "evidence")
	mustHave(d["victim"].(map[string]any), "victim", "pid", "process", "oomScoreAdj", "anonRssKiB", "fileRssKiB", "shmemRssKiB", "totalVmKiB")
	mustHave(d["memory"].(map[string]any), "memory", "limitKiB", "usageKiB", "failcnt")
	mustHave(d["evidence"].([]any)[0].(map[string]any), "evidence", "input", "line", "time", "text")
	if rep["schema"] != "coroner/v1" {
		t.Errorf("schema %v", rep["schema"])
	}
}
