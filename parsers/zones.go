package parsers

import (
	"fmt"
	"strings"
	"time"
)

// Zones are the time zones forced on inputs (coroner's --tz): one for every input, and
// NAME=ZONE for the inputs whose name (a file, an archive, an archive member) starts with
// NAME, so that one run can read a node in Europe/Berlin next to one in UTC.
type Zones struct {
	All   *time.Location // the bare zone, nil when none was given
	named []namedZone
}

type namedZone struct {
	prefix string
	loc    *time.Location
}

// ParseZones reads ZONE and NAME=ZONE values; a later bare zone replaces an earlier one.
func ParseZones(values []string) (Zones, error) {
	var z Zones
	for _, v := range values {
		name, zone, per := strings.Cut(v, "=")
		if !per {
			zone, name = v, ""
		}
		loc, err := time.LoadLocation(zone)
		if err != nil {
			return z, fmt.Errorf("%q: %w", v, err)
		}
		if per {
			z.named = append(z.named, namedZone{name, loc})
		} else {
			z.All = loc
		}
	}
	return z, nil
}

// For returns the zone forced on an input, nil when none is (learn it from the archive, else
// read zone-less stamps as UTC). The longest matching name wins.
func (z Zones) For(input string) *time.Location {
	best, loc := -1, z.All
	for _, n := range z.named {
		if strings.HasPrefix(input, n.prefix) && len(n.prefix) > best {
			best, loc = len(n.prefix), n.loc
		}
	}
	return loc
}

// Options gives each input its clock: the year and the zone forced on it, and the moment
// kubectl's relative ages count back from.
func (z Zones) Options(year int, now time.Time) func(input string) Options {
	return func(input string) Options {
		return Options{Clock: Clock{Year: year, Loc: z.For(input), Now: now}}
	}
}
