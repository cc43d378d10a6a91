package report

import "fmt"

// Quantity renders a size in KiB in the binary units Kubernetes resources use ("32Mi",
// "1.5Gi"), so a number in the report can be pasted into a manifest or compared with
// `kubectl describe` at a glance. Whole units print without decimals, others with one.
func Quantity(kib int64) string {
	if kib < 0 {
		return "-" + Quantity(-kib)
	}
	units := []struct {
		shift  uint
		suffix string
	}{{30, "Ti"}, {20, "Gi"}, {10, "Mi"}}
	for _, u := range units {
		if kib < 1<<u.shift {
			continue
		}
		if kib%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d%s", kib>>u.shift, u.suffix)
		}
		return fmt.Sprintf("%.1f%s", float64(kib)/float64(int64(1)<<u.shift), u.suffix)
	}
	return fmt.Sprintf("%dKi", kib)
}
