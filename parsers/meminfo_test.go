package parsers

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The Mem-Info dump of a real node-wide OOM (lab capture global-single-hog, kernel 6.1).
func TestMemPicture(t *testing.T) {
	raw, err := os.ReadFile("../golden/testdata/real/global-single-hog/dmesg.txt")
	if err != nil {
		t.Fatal(err)
	}
	var p MemPicture
	for _, l := range strings.Split(string(raw), "\n") {
		if i := strings.Index(l, "] "); i > 0 {
			p.read(l[i+2:])
		}
	}
	want := MemPicture{RAMKiB: 65406 * 4, ManagedKiB: 15360 + 208272, FreeKiB: 884 + 1668, MinKiB: 132 + 1692,
		AnonKiB: 6636 + 189276, FileKiB: 0, ShmemKiB: 10656, UnevictableKiB: 0}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
