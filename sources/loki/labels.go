package loki

import (
	"strings"
)

// Mapping says which labels name a line's node and program, with presets for what users run
// (docs/log-stores.md §1.8). Empty fields take the preset's defaults.
type Mapping struct {
	NodeLabels    []string // first present wins
	ProgramLabels []string // a unit or syslog identifier; ".service" is dropped
}

// Presets for common shippers. "auto" knows the label names of all of them.
var Presets = map[string]Mapping{
	// Promtail's journal scrape with the documented relabel of __journal__systemd_unit to unit.
	"promtail": {NodeLabels: []string{"host", "hostname", "nodename", "node", "instance"}, ProgramLabels: []string{"unit", "syslog_identifier", "__journal__systemd_unit"}},
	// Grafana Alloy loki.source.journal and the k8s-monitoring chart's node-logs feature
	// (job="integrations/kubernetes/journal", instance=$HOSTNAME, unit, service_name).
	"alloy": {NodeLabels: []string{"instance", "host", "hostname", "node"}, ProgramLabels: []string{"unit", "service_name", "syslog_identifier"}},
	// Promtail's default file scrape {job="varlogs"}: whole syslog lines with their envelope.
	"varlogs": {NodeLabels: []string{"host", "hostname", "node", "instance"}},
	"auto": {NodeLabels: []string{"node", "nodename", "host", "hostname", "instance", "__journal__hostname"},
		ProgramLabels: []string{"unit", "service_name", "syslog_identifier", "__journal__systemd_unit", "__journal_syslog_identifier", "app"}},
}

// kind of a stream: how its lines are to be read.
type streamKind int

const (
	kindMessages streamKind = iota // bare journal messages: program and node from labels
	kindFile                       // whole log-file lines with their own envelope
	kindEvents                     // Kubernetes Events, logfmt or JSON lines
)

// classify decides how a stream's lines read from its labels.
func (m Mapping) classify(set map[string]string) (streamKind, string, string) {
	node := ""
	for _, l := range m.NodeLabels {
		if v := set[l]; v != "" {
			node = v
			break
		}
	}
	job := set["job"]
	switch {
	case strings.Contains(job, "kubernetes_events") || strings.Contains(job, "eventhandler") || strings.Contains(job, "event-exporter") ||
		strings.Contains(job, "event_exporter"):
		return kindEvents, node, ""
	case set["filename"] != "" || job == "varlogs":
		return kindFile, node, ""
	}
	program := ""
	for _, l := range m.ProgramLabels {
		if v := set[l]; v != "" {
			program = strings.TrimSuffix(v, ".service")
			break
		}
	}
	if t := set["transport"] + set["__journal__transport"]; t == "kernel" {
		program = "kernel"
	}
	// No program label: kernel messages carry no unit in the journal, but neither does every
	// shipper's kubelet; the parsers tell them apart by content.
	return kindMessages, node, program
}
