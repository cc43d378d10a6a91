package parsers

import (
	"math"
	"time"
)

// sinceBoot turns a count of units since boot into a Duration. A stamp that is negative or
// past what a Duration holds (about 292 years) is no kernel's: multiplying it would wrap to a
// time before the boot or a wrong one after it, so it is refused instead.
func sinceBoot(n int64, unit time.Duration) (time.Duration, bool) {
	if n < 0 || n > math.MaxInt64/int64(unit) {
		return 0, false
	}
	return time.Duration(n) * unit, true
}
