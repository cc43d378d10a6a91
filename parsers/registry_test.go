package parsers

import "testing"

func TestRegistries(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Registry {
		if s.Name == "" || s.Help == "" || s.New == nil || len(s.Triggers) == 0 || seen[s.Name] {
			t.Errorf("parser %q: needs a unique name, help, a constructor and trigger words", s.Name)
		}
		seen[s.Name] = true
	}
	for _, f := range Framings {
		if f.Name == "" || f.Help == "" || f.Example == "" || f.Frame == nil || seen[f.Name] {
			t.Errorf("framing %q: needs a unique name, help, an example and a Frame func", f.Name)
		}
		seen[f.Name] = true
	}
}
