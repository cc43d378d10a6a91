package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/parsers"
)

// zoneFlags are the --tz values: one bare zone for every input, and NAME=ZONE for the inputs
// whose name (a file, an archive, an archive member) starts with NAME, so that one command can
// read a node in Europe/Berlin next to one in UTC.
type zoneFlags struct {
	all   *time.Location
	named []namedZone
}

type namedZone struct {
	prefix string
	loc    *time.Location
}

func parseZones(values []string) (zoneFlags, error) {
	var z zoneFlags
	for _, v := range values {
		name, zone, per := strings.Cut(v, "=")
		if !per {
			zone, name = v, ""
		}
		loc, err := time.LoadLocation(zone)
		if err != nil {
			return z, fmt.Errorf("--tz %q: %w", v, err)
		}
		if per {
			z.named = append(z.named, namedZone{name, loc})
		} else {
			z.all = loc
		}
	}
	return z, nil
}

// forInput returns the zone forced for an input, nil when none is (learn it from the archive,
// else read zone-less stamps as UTC). The longest matching name wins.
func (z zoneFlags) forInput(name string) *time.Location {
	best, loc := -1, z.all
	for _, n := range z.named {
		if strings.HasPrefix(name, n.prefix) && len(n.prefix) > best {
			best, loc = len(n.prefix), n.loc
		}
	}
	return loc
}

// optionsFor gives each input its clock: the year and the zone the flags force for it.
func optionsFor(year int, z zoneFlags, now time.Time) func(name string) parsers.Options {
	return func(name string) parsers.Options {
		return parsers.Options{Clock: parsers.Clock{Year: year, Loc: z.forInput(name), Now: now}}
	}
}

// parseNow reads --now: the moment kubectl printed the ages of a pasted table; zero when unset.
func parseNow(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("--now %q is not an RFC 3339 time (e.g. 2024-05-28T16:10:00Z): %w", v, err)
	}
	return t, nil
}
