package correlate

import (
	"testing"

	"github.com/k8s-coroner/coroner/correlate/report"

	"github.com/google/go-cmp/cmp"
)

func TestOwnerFromName(t *testing.T) {
	tests := []struct {
		reason, pod string
		want        *report.Owner
	}{
		{"a Deployment's pod: pod-template-hash and a 5-character suffix", "web-7d9f6c5b8-x2kqz", &report.Owner{Kind: "Deployment", Name: "web", From: "name"}},
		{"a dashed Deployment name keeps its dashes", "cart-api-6f9d4b7c8d-2hxkz", &report.Owner{Kind: "Deployment", Name: "cart-api", From: "name"}},
		{"a pre-1.8 decimal hash", "nginx-3137573019-h5xpl", &report.Owner{Kind: "Deployment", Name: "nginx", From: "name"}},
		{"a CronJob's Job: an 8-digit schedule stamp in minutes", "etl-28443210-vq5cm", &report.Owner{Kind: "CronJob", Name: "etl", From: "name"}},
		{"a StatefulSet's ordinal", "postgres-0", &report.Owner{Kind: "StatefulSet", Name: "postgres", From: "name"}},
		{"a bare random suffix (DaemonSet or Job) names no kind", "fluentd-x2kqz", nil},
		{"a hand-named pod has no owner", "memhog", nil},
		{"a suffix with letters outside the generator's alphabet is not one", "web-7d9f6c5b8-aeiou", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, ownerFromName(tt.pod)); diff != "" {
			t.Errorf("%s: ownerFromName(%q) (-want +got):\n%s", tt.reason, tt.pod, diff)
		}
	}
}
