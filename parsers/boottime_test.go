package parsers

import (
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/sources"
)

// Boot stamps too large for a Duration (FuzzFramings' seeds *-overflows-*) are refused
// rather than wrapped: kmsg and dmesg lines are not framed, a journal entry keeps its line
// without a boot time. The largest stamp that fits still reads exactly.
func TestBootStampsDoNotWrap(t *testing.T) {
	for _, tt := range []struct {
		framing string
		line    string
		ok      bool
		boot    time.Duration
		hasBoot bool
	}{
		{"kmsg", "6,1,9223372036854775807,-;x", false, 0, false},
		{"kmsg", "6,1,9223372036854775,-;x", true, 9223372036854775 * time.Microsecond, true},
		{"dmesg", "[99999999999999.999999] x", false, 0, false},
		{"dmesg", "[9223372036.854775807] x", true, 9223372036854775807, true},
		{"dmesg", "[9223372036.854775808] x", false, 0, false},
		{"journal-json", `{"__REALTIME_TIMESTAMP":"1","_TRANSPORT":"kernel","_SOURCE_MONOTONIC_TIMESTAMP":"9223372036854775807","MESSAGE":"x"}`, true, 0, false},
		{"journal-json", `{"__REALTIME_TIMESTAMP":"1","_TRANSPORT":"kernel","_SOURCE_MONOTONIC_TIMESTAMP":"-5","MESSAGE":"x"}`, true, 0, false},
	} {
		fr, _ := FramingByName(sources.Kind(tt.framing))
		var m Message
		ok := fr.Frame([]byte(tt.line), &Clock{}, &m)
		if ok != tt.ok || ok && (m.HasBoot != tt.hasBoot || m.Boot != tt.boot) {
			t.Errorf("%s %q: framed %v, boot %v %v; want %v, %v %v", tt.framing, tt.line, ok, m.HasBoot, m.Boot, tt.ok, tt.hasBoot, tt.boot)
		}
	}
}
