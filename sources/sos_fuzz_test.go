package sources

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// FuzzSosMeta gives every metadata file of a sosreport or must-gather (hostname, uname,
// date, timedatectl, zone files, proc/stat, manifest, timestamp) the same arbitrary content
// and the archive an arbitrary name. Reading them must not panic and must give the same info
// twice; the host and kernel are one line of the content or the name; a zone is named exactly
// when one is known.
func FuzzSosMeta(f *testing.F) {
	f.Add("sosreport-node1-2026-11-27-qwertyu", []byte("Local time: Fri 2026-11-27 20:12:00 CET\nUniversal time: Fri 2026-11-27 19:12:00 UTC\nTime zone: Europe/Berlin (CET, +0100)\n"))
	f.Fuzz(func(t *testing.T, name string, content []byte) {
		read := func() *ArchiveInfo {
			a := &ArchiveInfo{}
			a.Host, a.Collected = hostFromName(name)
			a.collectedByName = !a.Collected.IsZero()
			for _, p := range slices.Sorted(maps.Keys(metaPaths)) {
				a.readMeta(p, content)
			}
			a.finish()
			return a
		}
		a, b := read(), read()
		if !reflect.DeepEqual(a.Archive, b.Archive) || a.loc.String() != b.loc.String() {
			t.Fatalf("read twice differently: %+v, %+v", a.Archive, b.Archive)
		}
		for field, v := range map[string]string{"host": a.Host, "kernel": a.Kernel, "boot ID": a.BootID} {
			if strings.Contains(v, "\n") || !strings.Contains(string(content), v) && !strings.Contains(name, v) {
				t.Fatalf("%s %q is not one line of the content or name", field, v)
			}
		}
		if (a.Zone != "") != (a.loc != nil) {
			t.Fatalf("zone %q with location %v", a.Zone, a.loc)
		}
	})
}
