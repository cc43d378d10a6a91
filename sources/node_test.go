package sources

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The node's zone is the one named, else the root's /etc/timezone, else its /etc/localtime
// link, else UTC; a name that is no zone is UTC with a warning.
func TestNodeZone(t *testing.T) {
	debian, linked, bare := t.TempDir(), t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(debian, "etc"), 0o755)
	os.WriteFile(filepath.Join(debian, "etc/timezone"), []byte("Europe/Berlin\n"), 0o644)
	os.MkdirAll(filepath.Join(linked, "etc"), 0o755)
	os.Symlink("/usr/share/zoneinfo/Asia/Tokyo", filepath.Join(linked, "etc/localtime"))
	tests := []struct {
		reason, root, name, want string
		warns                    bool
	}{
		{"a named zone wins over the node's", debian, "America/New_York", "America/New_York", false},
		{"Debian's /etc/timezone", debian, "", "Europe/Berlin", false},
		{"the /etc/localtime link's target", linked, "", "Asia/Tokyo", false},
		{"nothing says: UTC", bare, "", "UTC", false},
		{"not a zone: UTC, said", bare, "Mars/Olympus", "UTC", true},
	}
	for _, tt := range tests {
		loc, warning := Node{Root: tt.root}.Zone(tt.name)
		if loc.String() != tt.want || (warning != "") != tt.warns {
			t.Errorf("%s: zone %s, warning %q; want %s (warning: %v)", tt.reason, loc, warning, tt.want, tt.warns)
		}
	}
}

// The node's sources read its root: the ring buffer there, journalctl with --root, and the
// syslog files that exist.
func TestNodeSources(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "var/log"), 0o755)
	os.WriteFile(filepath.Join(root, "var/log/messages"), []byte("x\n"), 0o644)
	since := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	srcs, _ := Node{Root: root, Since: since, Journal: "journalctl", LogFiles: []string{"var/log/messages", "var/log/syslog"}}.Sources()
	if len(srcs) != 4 {
		t.Fatalf("%d sources, want kmsg, two journalctl runs and the one syslog file present", len(srcs))
	}
	if k := srcs[0].(*Kmsg); k.Since != since {
		t.Errorf("kmsg since %v", k.Since)
	}
	j := srcs[1].(*Command)
	if got := j.Args; len(got) < 7 || got[4] != "@1795737600" || got[5] != "--root" || got[6] != root {
		t.Errorf("journalctl args %q", got)
	}
	if f := srcs[3].(*Files); len(f.Paths) != 1 || f.Paths[0] != filepath.Join(root, "var/log/messages") {
		t.Errorf("files %q", f.Paths)
	}
}
