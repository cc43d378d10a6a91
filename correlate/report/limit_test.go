package report

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnlimitedKiB(t *testing.T) {
	for _, c := range []struct {
		kib  int64
		want bool
		why  string
	}{
		{9007199254740988, true, "64-bit, 4 KiB pages"},
		{9007199254740976, true, "64-bit, 16 KiB pages"},
		{9007199254740928, true, "64-bit, 64 KiB pages"},
		{18014398509481983, true, "res_counter before 3.19"},
		{8589934588, true, "32-bit, 4 KiB pages"},
		{137438953408, true, "32-bit, 64 KiB pages"},
		{204800, false, "a 200 MiB limit"},
		{0, false, "a zero limit (memory.swap.max 0)"},
		{8589934592, false, "8 TiB, set by hand"},
		{1 << 50, false, "1 EiB is absurd but below the bound"},
	} {
		if got := unlimitedKiB(c.kib); got != c.want {
			t.Errorf("unlimitedKiB(%d) (%s) = %v, want %v", c.kib, c.why, got, c.want)
		}
	}
}

// TestLimitJSON checks the three cases survive a write and a read (coroner merge reads
// reports back): a limit, no limit (null), and a limit the report did not print (absent).
func TestLimitJSON(t *testing.T) {
	usage := int64(0)
	for _, c := range []struct {
		mem  Memory
		want string
	}{
		{Memory{LimitKiB: LimitOf(204800), UsageKiB: 204800}, `{"limitKiB":204800,"usageKiB":204800,"failcnt":0,"cgroupV2":false}`},
		{Memory{LimitKiB: LimitOf(9007199254740988), SwapUsageKiB: &usage, SwapLimitKiB: LimitOf(9007199254740988), CgroupV2: true},
			`{"limitKiB":null,"usageKiB":0,"failcnt":0,"swapUsageKiB":0,"swapLimitKiB":null,"cgroupV2":true}`},
		{Memory{LimitKiB: LimitOf(1024), SwapUsageKiB: &usage, SwapLimitKiB: LimitOf(0)},
			`{"limitKiB":1024,"usageKiB":0,"failcnt":0,"swapUsageKiB":0,"swapLimitKiB":0,"cgroupV2":false}`},
	} {
		b, err := json.Marshal(c.mem)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != c.want {
			t.Errorf("marshal:\n got %s\nwant %s", b, c.want)
		}
		var back Memory
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c.mem, back, cmp.AllowUnexported(Limit{})); diff != "" {
			t.Errorf("read back (-wrote +read):\n%s", diff)
		}
	}
	var m Memory
	if err := json.Unmarshal([]byte(`{"limitKiB":"lots"}`), &m); err == nil {
		t.Error("a string limit was accepted")
	}
}
