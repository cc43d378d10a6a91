package parsers

import (
	"slices"
	"testing"

	"github.com/k8s-coroner/coroner/sources"
)

// TestKindsAreFramings: every framing is named by a sources.Kind, and every Kind is a
// framing or one of the kinds that are not (entries spanning lines, objects, kubectl's text,
// the log store's unframed messages, unknown).
func TestKindsAreFramings(t *testing.T) {
	notFramings := []sources.Kind{sources.KindJournalExport, sources.KindJournalVerbose, sources.KindKubeObjects,
		sources.KindKubectlText, sources.KindMessages, sources.KindUnknown}
	for _, f := range Framings {
		if !slices.Contains(sources.Kinds, f.Name) {
			t.Errorf("framing %q is not in sources.Kinds", f.Name)
		}
	}
	for _, k := range sources.Kinds {
		if _, ok := FramingByName(k); ok == slices.Contains(notFramings, k) {
			t.Errorf("kind %q: framing %v, want %v", k, ok, !ok)
		}
	}
}
