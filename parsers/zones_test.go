package parsers

import (
	"testing"
	"time"
)

func TestZonesFor(t *testing.T) {
	z, err := ParseZones([]string{"UTC", "node-1=Europe/Berlin", "node-1/var/log=America/New_York"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		reason, input, want string
	}{
		{"an input no name matches gets the bare zone", "node-2/messages", "UTC"},
		{"a name prefix gives its zone", "node-1/journal.txt", "Europe/Berlin"},
		{"the longest matching prefix wins, whatever the order given", "node-1/var/log/messages", "America/New_York"},
	}
	for _, tt := range tests {
		if got := z.For(tt.input); got == nil || got.String() != tt.want {
			t.Errorf("%s: %s is read in %v, want %s", tt.reason, tt.input, got, tt.want)
		}
	}
	if got := (Zones{}).For("x"); got != nil {
		t.Errorf("no --tz forces %v, want nil (learn the zone, else UTC)", got)
	}
	if _, err := ParseZones([]string{"node-1=Mars/Olympus"}); err == nil {
		t.Error("an unknown zone is accepted")
	}
	opts := z.Options(2024, time.Time{})("node-1/x")
	if opts.Clock.Year != 2024 || opts.Clock.Loc.String() != "Europe/Berlin" {
		t.Errorf("options %+v", opts.Clock)
	}
}
