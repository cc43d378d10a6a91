package elastic

// Fields names the fields of node-log documents (docs/log-stores.md).
type Fields struct {
	Time       string   // when the line was written
	Message    string   // the line
	Unit       string   // systemd unit
	Transport  string   // journal transport: "kernel" for kernel messages
	Identifier string   // syslog identifier
	Hosts      []string // the node, first present wins
	Program    string   // a fixed program for every document (Fluent Bit's kmsg input: kernel)
}

// Presets of node-log fields.
var Presets = map[string]Fields{
	// Filebeat / Elastic Agent journald input (ECS): message, systemd.*, syslog.identifier, host.*.
	"filebeat": {Time: "@timestamp", Message: "message", Unit: "systemd.unit", Transport: "systemd.transport",
		Identifier: "syslog.identifier", Hosts: []string{"host.hostname", "host.name"}},
	// Fluent Bit's systemd input: the journal's own keys.
	"fluent-bit": {Time: "@timestamp", Message: "MESSAGE", Unit: "_SYSTEMD_UNIT", Transport: "_TRANSPORT",
		Identifier: "SYSLOG_IDENTIFIER", Hosts: []string{"_HOSTNAME", "hostname", "host"}},
	// Fluent Bit's kmsg input: priority, sequence, sec, usec, msg.
	"fluent-bit-kmsg": {Time: "@timestamp", Message: "msg", Program: "kernel", Hosts: []string{"hostname", "host", "_HOSTNAME"}},
}

// EventFields names the fields of Event documents.
type EventFields struct {
	Time string // the time to filter and sort on
	// Whole: the document is a whole Kubernetes Event (kubernetes-event-exporter), read by
	// the Event decoder; else the fields below are Metricbeat's kubernetes.event.*.
	Whole                                               bool
	Reason, Message, Type, Count, Kind, Name, Namespace string
}

// EventPresets of Event documents.
var EventPresets = map[string]EventFields{
	// kubernetes-event-exporter: the raw Event, no @timestamp: its own lastTimestamp counts.
	"event-exporter": {Time: "lastTimestamp", Whole: true, Reason: "reason"},
	// Metricbeat / Elastic Agent kubernetes.event.
	"metricbeat": {Time: "@timestamp", Reason: "kubernetes.event.reason", Message: "kubernetes.event.message",
		Type: "kubernetes.event.type", Count: "kubernetes.event.count", Kind: "kubernetes.event.involved_object.kind",
		Name: "kubernetes.event.involved_object.name", Namespace: "kubernetes.event.metadata.namespace"},
}
