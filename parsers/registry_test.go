package parsers

import (
	"slices"
	"strings"
	"testing"
)

func TestRegistries(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Registry {
		if s.Name == "" || s.Help == "" || s.New == nil || len(s.Triggers) == 0 || seen[s.Name] {
			t.Errorf("parser %q: needs a unique name, help, a constructor and trigger words", s.Name)
		}
		seen[s.Name] = true
	}
	if !slices.IsSortedFunc(Registry, func(a, b Spec) int { return strings.Compare(a.Name, b.Name) }) {
		t.Errorf("the parser registry is not sorted by name")
	}
	for _, f := range Framings {
		if f.Name == "" || f.Help == "" || f.Example == "" || f.Frame == nil || seen[string(f.Name)] {
			t.Errorf("framing %q: needs a unique name, help, an example and a Frame func", f.Name)
		}
		seen[string(f.Name)] = true
	}
}
