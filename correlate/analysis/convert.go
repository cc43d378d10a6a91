package analysis

import (
	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/sources"
)

// reportArchives copies what each archive said into the report; the source's clock state
// stays behind.
func reportArchives(as []*sources.ArchiveInfo) []report.Archive {
	if len(as) == 0 {
		return nil
	}
	out := make([]report.Archive, len(as))
	for i, a := range as {
		out[i] = a.Archive
	}
	return out
}
