package report

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// Limit is a memory cgroup limit as the kernel's OOM report printed it: a size in KiB, or no
// limit at all. In JSON it is a number of KiB, or null for no limit; a limit the report did
// not print is its zero value, which an omitzero field leaves out. So a report read back
// (coroner merge) keeps the three cases apart: absent, unlimited, limited.
type Limit struct {
	kib       int64
	printed   bool
	unlimited bool
}

// LimitOf takes a limit the kernel printed in kB, telling the "no limit" value apart (its
// figure says nothing more, so it is not kept).
func LimitOf(kib int64) Limit {
	if unlimitedKiB(kib) {
		return Limit{printed: true, unlimited: true}
	}
	return Limit{kib: kib, printed: true}
}

// KiB is the limit in KiB; ok is false when there is no limit (or none was printed).
func (l Limit) KiB() (kib int64, ok bool) { return l.kib, l.printed && !l.unlimited }

// Unlimited says the cgroup had no limit: the kernel printed its page counter's maximum.
func (l Limit) Unlimited() bool { return l.printed && l.unlimited }

// IsZero is true for a limit the report did not print (the omitzero JSON tag omits it).
func (l Limit) IsZero() bool { return !l.printed }

// String renders the limit as people read it: "unlimited", or its size.
func (l Limit) String() string {
	switch {
	case !l.printed:
		return "not printed"
	case l.unlimited:
		return "unlimited"
	}
	return Quantity(l.kib)
}

// MarshalJSON writes the KiB, or null for no limit.
func (l Limit) MarshalJSON() ([]byte, error) {
	if l.unlimited {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, l.kib, 10), nil
}

// UnmarshalJSON reads what MarshalJSON wrote; null is no limit.
func (l *Limit) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*l = Limit{printed: true, unlimited: true}
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("a limit is a number of KiB or null: %w", err)
	}
	*l = LimitOf(n)
	return nil
}

// unlimitedKiB tells the kernel's "no limit" in a "usage %llukB, limit %llukB" line. An
// unlimited memcg counter holds PAGE_COUNTER_MAX pages (include/linux/page_counter.h), and the
// line prints pages × page size in kB:
//   - 64-bit: PAGE_COUNTER_MAX = LONG_MAX / PAGE_SIZE, so the kB figure is 2^53 less one page:
//     9007199254740988 with 4 KiB pages, 9007199254740976 with 16 KiB, 9007199254740928 with
//     64 KiB (arm64, ppc64le);
//   - before 3.19 the res_counter's RES_COUNTER_MAX (ULLONG_MAX bytes) printed as
//     18014398509481983 kB;
//   - 32-bit: PAGE_COUNTER_MAX = LONG_MAX pages, (2^31-1) × the page size in KiB.
//
// A limit a person set is at most that maximum (the kernel caps what is written to it), and
// nothing real comes near 2^52 KiB (4 EiB: 64-bit machines address at most a few PiB), so
// every figure from 2^52 KiB up is "no limit" whatever the page size. The 32-bit maximum is
// far below that bound and is matched exactly.
func unlimitedKiB(kib int64) bool {
	if kib >= 1<<52 {
		return true
	}
	for pageKiB := int64(4); pageKiB <= 256; pageKiB *= 2 {
		if kib == (1<<31-1)*pageKiB {
			return true
		}
	}
	return false
}
