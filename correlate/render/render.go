// Package render writes a report.Report for people (text, Markdown, HTML) and for programs
// (JSON, JSON lines).
package render

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// Formats lists the output formats, for the CLI's enum and help.
var Formats = []string{"text", "json", "jsonl", "markdown", "html"}

// Options tune rendering.
type Options struct {
	Color bool // ANSI colours in text (a terminal that did not set NO_COLOR)
	// Verbose shows every proof line, witness and detail in text; by default a death shows
	// its decisive few.
	Verbose bool
	// Width is the text report's line width in columns (the terminal's, or $COLUMNS); 0
	// keeps lines whole.
	Width int
}

// Write renders rep in the named format.
func Write(w io.Writer, format string, rep *report.Report, opts Options) error {
	switch format {
	case "json":
		return JSON(w, rep)
	case "jsonl":
		return JSONLines(w, rep)
	case "markdown":
		return Markdown(w, rep)
	case "html":
		return HTML(w, rep)
	case "text", "":
		return Text(w, rep, opts)
	}
	return fmt.Errorf("unknown format %q (%s)", format, strings.Join(Formats, ", "))
}

// FormatOf picks the format a file name asks for; "" when its extension names none.
func FormatOf(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return "json"
	case ".jsonl", ".ndjson":
		return "jsonl"
	case ".md", ".markdown":
		return "markdown"
	case ".html", ".htm":
		return "html"
	case ".txt", ".text":
		return "text"
	}
	return ""
}

// JSON writes the report as indented JSON: the coroner/v1 contract. The deaths and host
// kills are written one at a time, so a report of tens of thousands of deaths is never held
// as one text (twice, indented) in memory; the bytes are those json.Encoder would write.
func JSON(w io.Writer, rep *report.Report) error {
	shell := *rep
	shell.Deaths, shell.HostKills = nil, nil
	b, err := json.MarshalIndent(&shell, "", "  ")
	if err != nil {
		return err
	}
	b = escapeReplacement(b)
	const hole = "\n  \"deaths\": null,\n  \"hostKills\": null,\n"
	at := bytes.Index(b, []byte(hole))
	if at < 0 {
		return fmt.Errorf("render: no deaths in the report's JSON")
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.Write(b[:at])
	bw.WriteString("\n  \"deaths\": ")
	if err := deathsJSON(bw, rep.Deaths); err != nil {
		return err
	}
	bw.WriteString(",\n  \"hostKills\": ")
	if err := deathsJSON(bw, rep.HostKills); err != nil {
		return err
	}
	bw.WriteString(",\n")
	bw.Write(b[at+len(hole):])
	bw.WriteByte('\n')
	return bw.Flush()
}

// deathsJSON writes a top-level list of deaths as MarshalIndent would inside the report.
// One encoder and one buffer serve every death: the encoder's state and indentation buffer
// are reused, where MarshalIndent allocated twice a death's JSON for each death (a report of
// 45k deaths is 320 MB of JSON, and the collector had to keep up with it).
func deathsJSON(w *bufio.Writer, ds []report.Death) error {
	switch {
	case ds == nil:
		_, err := w.WriteString("null")
		return err
	case len(ds) == 0:
		_, err := w.WriteString("[]")
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("    ", "  ")
	w.WriteString("[")
	for i := range ds {
		if i > 0 {
			w.WriteString(",")
		}
		buf.Reset()
		if err := enc.Encode(&ds[i]); err != nil {
			return err
		}
		w.WriteString("\n    ")
		if _, err := w.Write(escapeReplacement(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))); err != nil {
			return err
		}
	}
	_, err := w.WriteString("\n  ]")
	return err
}

// jsonlRecord is one line of JSON lines output: a death (or host kill) with its kind and the
// schema, so that each line stands alone in a pipeline.
type jsonlRecord struct {
	Schema string `json:"schema"`
	Type   string `json:"type"` // death, hostKill
	report.Death
}

// JSONLines writes one death per line, then one host kill per line.
func JSONLines(w io.Writer, rep *report.Report) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	put := func(r jsonlRecord) error {
		buf.Reset()
		if err := enc.Encode(r); err != nil {
			return err
		}
		_, err := w.Write(escapeReplacement(buf.Bytes()))
		return err
	}
	for _, d := range rep.Deaths {
		if err := put(jsonlRecord{rep.Schema, "death", d}); err != nil {
			return err
		}
	}
	for _, d := range rep.HostKills {
		if err := put(jsonlRecord{rep.Schema, "hostKill", d}); err != nil {
			return err
		}
	}
	return nil
}

// killLabel names a kill that is not a container death by what is known of its cgroup.
func killLabel(d *report.Death) string {
	switch d.Attribution {
	case report.AttrPodProcess:
		return "kill of a pod's process, container unknown"
	case report.AttrUnknown:
		return "kill, cgroup not in the log"
	}
	return "host kill"
}

// evictionLine says what the kubelet measured against what, "?" for what it did not say.
func evictionLine(e *report.Eviction) string {
	return fmt.Sprintf("resource %s, signal %s, threshold %s, observed %s",
		cmp.Or(e.Resource, "?"), cmp.Or(e.Signal, "?"), cmp.Or(e.Threshold, "?"), cmp.Or(e.Observed, "?"))
}

// reportParts says which parts of the kernel's report the log showed, when any is missing.
func reportParts(d *report.Death) string {
	r := d.Report
	if r == nil || len(r.NotSeen) == 0 {
		return ""
	}
	return "the log shows its " + partList(r.Seen, "and") + "; not its " + partList(r.NotSeen, "or")
}

// partNames say the parts of a kernel OOM report as people call them.
var partNames = map[string]string{
	"header": "header", "memory": "memory dump", "tasks": "task table", "cgroup": "cgroup line (summary or Task in)",
	"selection": "selection line", "kill": "kill line", "reaper": "reaper line", "oom-group": "oom.group line",
}

func partList(parts []string, conj string) string {
	names := make([]string, len(parts))
	for i, p := range parts {
		names[i] = cmpOr(partNames[p], p)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + conj + " " + names[len(names)-1]
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
