package sources

import "testing"

// TestInputRoles pins every InputRole's string form, the report's "role" of an input: a
// misspelt constant, or one left out of InputRoles, fails here.
func TestInputRoles(t *testing.T) {
	want := map[InputRole]string{
		RoleKernel:  "kernel",
		RoleSyslog:  "syslog",
		RoleJournal: "journal",
		RoleUnit:    "unit",
		RoleObjects: "objects",
		RoleLog:     "log",
		RoleMeta:    "meta",
		RoleSkip:    "",
	}
	if len(want) != 8 {
		t.Fatalf("two roles share a string form: %v", want)
	}
	seen := map[InputRole]bool{}
	for _, r := range InputRoles {
		if seen[r] {
			t.Errorf("InputRoles lists %q twice", r)
		}
		seen[r] = true
		s, ok := want[r]
		if !ok {
			t.Errorf("InputRoles lists %q, which this test does not know", r)
		} else if string(r) != s {
			t.Errorf("role %q, want %q", r, s)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("InputRoles has %d roles, want %d", len(seen), len(want))
	}
}
