package parsers

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Lines a parser recognises but cannot read travel as warnings, with their line, beside the
// events: they never become evidence, and they are never dropped without a word.
func TestParserWarningsStream(t *testing.T) {
	text := "" +
		"Nov 27 09:30:00 node-3 containerd[812]: time=\"2026-11-27T09:30:00Z\" level=info msg=\"TaskOOM event container_id:\\\"abc\\\"\"\n" +
		"Nov 27 09:30:01 node-3 kubelet[901]: I1127 09:30:01.000000     901 event.go:307] Event(v1.ObjectReference{Kind:\"Pod\", Namespace:\"web\"\n" +
		"Nov 27 09:30:02 node-3 containerd[812]: time=\"2026-11-27T09:30:02Z\" level=info msg=\"TaskOOM event container_id:\\\"" + hex64 + "\\\"\"\n"
	events, res := parseText(t, text)
	want := []Warning{
		{Line: 1, Message: "containerd task event without a container ID, skipped"},
		{Line: 2, Message: "kubelet event line not understood, skipped"},
	}
	if diff := cmp.Diff(want, res.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if len(events) != 1 {
		t.Fatalf("%d events, want the one readable TaskOOM: %#v", len(events), events)
	}
	if r, ok := events[0].(*RuntimeLine); !ok || r.Kind != RuntimeOOM || r.Evidence.Line != 3 {
		t.Errorf("event %#v, want the TaskOOM of line 3", events[0])
	}
}

const hex64 = "5f2c1a9b0e7d3c4b8a6f1e2d3c4b5a697887766554433221100ffeeddccbbaa9"
