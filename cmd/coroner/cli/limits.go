package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/k8s-coroner/coroner/sources"
)

// limitFlags are the caps on what one path named to analyze may cost, with all it nests
// (sources.Limits): a hostile or broken archive stops at a cap with a warning, and the run's
// exit code says its result is partial.
type limitFlags struct {
	MaxDepth   int    `default:"${maxdepth}" help:"Archives inside archives read at most (a sos-collector tarball of sosreports is 1); a deeper one is named in a warning and not read."`
	MaxMembers int    `default:"${maxmembers}" help:"Archive members and directory entries read at most per path named, nested archives included; the rest are not read, with a warning."`
	MaxBytes   string `default:"${maxbytes}" help:"Decompressed bytes read at most per path named, all its decoders together (units KiB, MiB, GiB, TiB, or K, M, G, T); the rest is not read, with a warning."`
	MaxRatio   int    `default:"${maxratio}" help:"Decompressed bytes one decoder may produce per compressed byte, checked past its first 64 MiB; a decompression bomb stops there, with a warning."`
}

// limitVars gives the flags sources.DefaultLimits as defaults, so that --help shows them.
func limitVars() map[string]string {
	d := sources.DefaultLimits
	return map[string]string{
		"maxdepth":   strconv.Itoa(d.Depth),
		"maxmembers": strconv.Itoa(d.Members),
		"maxbytes":   formatSize(d.Bytes),
		"maxratio":   strconv.Itoa(d.Ratio),
	}
}

func (l limitFlags) limits() (sources.Limits, error) {
	n, err := parseSize(l.MaxBytes)
	if err != nil {
		return sources.Limits{}, fmt.Errorf("--max-bytes %w", err)
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"--max-depth", l.MaxDepth}, {"--max-members", l.MaxMembers}, {"--max-ratio", l.MaxRatio}} {
		if f.v < 1 {
			return sources.Limits{}, fmt.Errorf("%s %d: must be at least 1", f.name, f.v)
		}
	}
	return sources.Limits{Depth: l.MaxDepth, Members: l.MaxMembers, Bytes: n, Ratio: l.MaxRatio}, nil
}

var sizeUnits = []struct {
	suffix string
	shift  uint
}{{"T", 40}, {"G", 30}, {"M", 20}, {"K", 10}}

// parseSize reads "64GiB", "64G", "512MiB", "1048576": binary units, as sizes of files are
// usually counted.
func parseSize(s string) (int64, error) {
	t := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(s), "B"), "i")
	shift := uint(0)
	for _, u := range sizeUnits {
		if v, ok := strings.CutSuffix(strings.ToUpper(t), u.suffix); ok {
			t, shift = v, u.shift
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
	if err != nil || n < 1 || n > (1<<62)>>shift {
		return 0, fmt.Errorf("%q: not a size (say 64GiB, 512MiB or a number of bytes)", s)
	}
	return n << shift, nil
}

func formatSize(n int64) string {
	for _, u := range sizeUnits {
		if n%(1<<u.shift) == 0 {
			return strconv.FormatInt(n>>u.shift, 10) + u.suffix + "iB"
		}
	}
	return strconv.FormatInt(n, 10)
}
