package sources

import (
	"slices"
	"testing"
)

// TestKinds pins every Kind's string form, the report's "kind" of an input and what --kind
// takes: a misspelt constant, or one left out of Kinds, fails here.
func TestKinds(t *testing.T) {
	want := map[Kind]string{
		KindJournalJSON: "journal-json", KindKubeletJSON: "kubelet-json", KindKmsg: "kmsg", KindDmesgRaw: "dmesg-raw",
		KindJournalMonotonic: "journal-monotonic", KindDmesg: "dmesg", KindDmesgCtime: "dmesg-ctime",
		KindDmesgReltime: "dmesg-reltime", KindDmesgISO: "dmesg-iso", KindSyslogRFC5424: "syslog-rfc5424",
		KindSyslogISO: "syslog-iso", KindJournalFull: "journal-full", KindKlog: "klog", KindNodePrefixed: "node-prefixed",
		KindLogrus: "logrus", KindSyslog: "syslog", KindKlogFragment: "klog-fragment", KindBare: "bare",
		KindJournalExport: "journal-export", KindJournalVerbose: "journal-verbose", KindKubeObjects: "kube-objects",
		KindKubectlText: "kubectl-text", KindMessages: "messages", KindUnknown: "unknown",
	}
	for k, s := range want {
		if string(k) != s {
			t.Errorf("kind %q, want %q", k, s)
		}
		if !slices.Contains(Kinds, k) {
			t.Errorf("Kinds lacks %q", k)
		}
	}
	if len(Kinds) != len(want) {
		t.Errorf("Kinds has %d kinds, this test knows %d", len(Kinds), len(want))
	}
	if !slices.IsSorted(Kinds) {
		t.Errorf("Kinds is not sorted: %q", Kinds)
	}
	if len(slices.Compact(slices.Clone(Kinds))) != len(Kinds) {
		t.Errorf("Kinds repeats a kind: %q", Kinds)
	}
	if KindDetect != "" || slices.Contains(Kinds, KindDetect) {
		t.Errorf("KindDetect must be the zero Kind and not a kind of its own")
	}
}
