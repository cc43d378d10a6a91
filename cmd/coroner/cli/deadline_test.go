package cli

import (
	"strings"
	"testing"
)

// TestDeadlineIsFinite: every batch command has a finite default --deadline, printed in its
// help, so that a store that never answers cannot hold a nightly run for hours. It had none.
func TestDeadlineIsFinite(t *testing.T) {
	for _, cmd := range []string{"loki", "elasticsearch", "opensearch"} {
		out, _, _ := runMain(t, "", cmd, "--help")
		if !strings.Contains(out, "--deadline=2h") {
			t.Errorf("coroner %s --help does not show the finite default deadline:\n%s", cmd, out)
		}
	}
}
