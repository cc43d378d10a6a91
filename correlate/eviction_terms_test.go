package correlate

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestConditionResources(t *testing.T) {
	if got := conditionResources("[MemoryPressure DiskPressure PIDPressure]"); !cmp.Equal(got, []string{"memory", "disk", "pids"}) {
		t.Errorf("got %q", got)
	}
}
