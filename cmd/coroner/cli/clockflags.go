package cli

import (
	"fmt"
	"time"
)

// parseNow reads --now: the moment kubectl printed the ages of a pasted table; zero when unset.
func parseNow(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("--now %q is not an RFC 3339 time (e.g. 2024-05-28T16:10:00Z): %w", v, err)
	}
	return t, nil
}
