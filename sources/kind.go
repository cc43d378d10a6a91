package sources

import "github.com/k8s-coroner/coroner/correlate/report"

// Kind is the format of an input: the envelope (framing) of its lines, or a format that is
// not a framing (journal export, Kubernetes objects, kubectl's human output). --kind forces
// it; the report names the one most lines had. It is the report's own named type
// (report.InputKind: the report imports nothing of coroner), and every value is listed here.
type Kind = report.InputKind

// KindDetect, the zero Kind, asks for the kind to be detected from the content.
const KindDetect Kind = ""

// The framings, as parsers.Framings names them (docs/formats.md).
const (
	KindJournalJSON      Kind = "journal-json"      // journalctl -o json
	KindKubeletJSON      Kind = "kubelet-json"      // kubelet --logging-format=json
	KindKmsg             Kind = "kmsg"              // raw /dev/kmsg records
	KindDmesgRaw         Kind = "dmesg-raw"         // dmesg -r
	KindJournalMonotonic Kind = "journal-monotonic" // journalctl -o short-monotonic
	KindDmesg            Kind = "dmesg"             // dmesg: [seconds since boot]
	KindDmesgCtime       Kind = "dmesg-ctime"       // dmesg -T
	KindDmesgReltime     Kind = "dmesg-reltime"     // dmesg -H / -e: stamps to the minute, else relative
	KindDmesgISO         Kind = "dmesg-iso"         // dmesg --time-format=iso
	KindSyslogRFC5424    Kind = "syslog-rfc5424"    // RFC 5424 syslog
	KindSyslogISO        Kind = "syslog-iso"        // rsyslog RFC 3339 files, journalctl -o short-iso
	KindJournalFull      Kind = "journal-full"      // journalctl -o short-full, -o with-unit
	KindKlog             Kind = "klog"              // a kubelet log file
	KindNodePrefixed     Kind = "node-prefixed"     // kubelet lines prefixed by their node (talosctl logs)
	KindLogrus           Kind = "logrus"            // containerd / CRI-O log files
	KindSyslog           Kind = "syslog"            // RFC 3164 syslog, journalctl -o short
	KindKlogFragment     Kind = "klog-fragment"     // a kubelet line whose klog header was cut off
	KindBare             Kind = "bare"              // messages without any envelope: journalctl -o cat, dmesg -t, a paste
)

// The kinds that are not framings.
const (
	KindJournalExport  Kind = "journal-export"  // journalctl -o export: entries span lines
	KindJournalVerbose Kind = "journal-verbose" // journalctl -o verbose: entries span lines
	KindKubeObjects    Kind = "kube-objects"    // Kubernetes objects: kubectl get -o json|yaml, event exporters
	KindKubectlText    Kind = "kubectl-text"    // kubectl's human output: describe, get tables, pasted fragments
	// KindMessages is a log store's bare messages none of which the parsers framed.
	KindMessages Kind = "messages"
	// KindUnknown is the kind of an input none of whose lines any framing matched.
	KindUnknown Kind = "unknown"
)

// Kinds lists every Kind but KindDetect, sorted.
var Kinds = []Kind{
	KindBare, KindDmesg, KindDmesgCtime, KindDmesgISO, KindDmesgRaw, KindDmesgReltime, KindJournalExport,
	KindJournalFull, KindJournalJSON, KindJournalMonotonic, KindJournalVerbose, KindKlog, KindKlogFragment,
	KindKmsg, KindKubeObjects, KindKubectlText, KindKubeletJSON, KindLogrus, KindMessages, KindNodePrefixed,
	KindSyslog, KindSyslogISO, KindSyslogRFC5424, KindUnknown,
}
