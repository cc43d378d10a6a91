package elastic

import (
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/k8s-coroner/coroner/sources/elastic/estest"
)

// TestScanPITExpiresAtAnyPage: a point in time that has expired by the first page, mid-scan, or by
// every third page of a long scan, is reopened each time; no document is lost or repeated.
// A scan restarted from its first document at each expiry and gave up after three, so a
// long scan whose point in time kept expiring failed.
func TestScanPITExpiresAtAnyPage(t *testing.T) {
	for _, c := range []struct {
		name   string
		expire func(search int32) bool
	}{
		{"first page", func(n int32) bool { return n == 1 }},
		{"mid-scan", func(n int32) bool { return n == 4 }},
		// Each point in time lives two pages: enough to get past the ten documents of one
		// nanosecond that a resumed scan reads again.
		{"every third page", func(n int32) bool { return n%3 == 0 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := estest.New()
			defer srv.Close()
			want := tiedDocs(srv)
			var searches atomic.Int32
			srv.Fault = func(r *http.Request) (int, string, int) {
				if r.URL.Path == "/_search" && c.expire(searches.Add(1)) {
					srv.ExpireAll()
				}
				return 0, "", 0
			}
			cl := newClient(t, srv, Config{PageSize: 7})
			got := scanAll(t, cl, "logs-*", sortBy("@timestamp", "_shard_doc"))
			if len(got) != want {
				t.Errorf("%d documents, want %d", len(got), want)
			}
			for id, n := range got {
				if n != 1 {
					t.Errorf("%s delivered %d times", id, n)
				}
			}
			if srv.Closed != srv.Opened {
				t.Errorf("%d points in time opened, %d closed", srv.Opened, srv.Closed)
			}
		})
	}
}
