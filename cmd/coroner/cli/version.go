package cli

import (
	"runtime/debug"
	"strings"
)

// versionString is the version this binary was built as: the -ldflags value when the release
// build set one, else the module version `go install …@v1.2.3` records, else the VCS revision a
// build from a checkout records, so that no installed binary calls itself just "dev".
func versionString() string {
	if version != "dev" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return version
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	if rev == "" {
		return version
	}
	return version + " (" + strings.TrimSpace(rev[:min(12, len(rev))]) + modified + ")"
}
