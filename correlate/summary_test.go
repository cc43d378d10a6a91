package correlate

import "testing"

func TestWorkloadOf(t *testing.T) {
	for pod, want := range map[string]string{
		"web-7d9f6c5b8-x2kqz":      "web",
		"etl-28443210-vq5cm":       "etl",
		"indexer-0":                "indexer",
		"cache-5c8b":               "cache-5c8b", // not a controller's suffix: kept whole
		"coredns-5d78c9869d-4s2xv": "coredns",
		"kube-proxy-bbrr6":         "kube-proxy",
	} {
		if got := WorkloadOf(pod); got != want {
			t.Errorf("WorkloadOf(%q) = %q, want %q", pod, got, want)
		}
	}
}
