package sources

import "testing"

func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Registry {
		if s.Name == "" || s.Help == "" || seen[s.Name] {
			t.Errorf("source %q: needs a unique name and help", s.Name)
		}
		seen[s.Name] = true
	}
}
