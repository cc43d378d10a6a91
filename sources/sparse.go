package sources

import (
	"archive/tar"
	"strings"
)

// isSparse tells a sparse tar member (GNU's old 'S' type, or GNU's PAX sparse records on a
// regular member). archive/tar expands a sparse member's holes into zeros up to the size it
// claims, so a 10 KB tar can claim terabytes that cost nothing to store and years to read;
// logs are never sparse, so such a member is skipped, with a warning, and only its stored
// bytes are passed over.
func isSparse(hdr *tar.Header) bool {
	if hdr.Typeflag == tar.TypeGNUSparse {
		return true
	}
	for k := range hdr.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return true
		}
	}
	return false
}
