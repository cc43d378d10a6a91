package render

import (
	"slices"
	"testing"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
)

// TestProofRolesAreRoles: the renderers read the report alone, so the roles they rank are
// written out here; each must be a role the parsers or the correlator give (parsers.Roles),
// so that a misspelt one fails instead of never matching.
func TestProofRolesAreRoles(t *testing.T) {
	for m, roles := range proofOrder {
		for _, r := range roles {
			if !slices.Contains(parsers.Roles, r) {
				t.Errorf("proofOrder[%s] ranks %q, which is not in parsers.Roles", m, r)
			}
		}
	}
	// better prefers a Mem-Info watermark line over the heading.
	if !better(report.Evidence{Role: parsers.RoleMeminfo, Text: "Node 0 DMA32 free:1kB min:2kB"}, report.Evidence{Role: parsers.RoleMeminfo, Text: "Mem-Info:"}) {
		t.Errorf("better does not know the role %q", parsers.RoleMeminfo)
	}
}
