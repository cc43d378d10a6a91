package analysis

import (
	"time"

	"github.com/k8s-coroner/coroner/parsers"
)

// localize gives the events of archive members the node and zone their archive named, once
// the whole archive is read (the files that say them may come last). A zone the user gave
// with --tz wins.
func localize(results []*parsers.InputResult, events []parsers.Event, parseOptions func(string) parsers.Options) {
	places := map[string]parsers.Place{}
	for _, res := range results {
		a := res.Archive
		if a == nil {
			continue
		}
		opts := parseOptions(res.Name)
		p := parsers.Place{Host: a.Host}
		if opts.Clock.Year == 0 {
			p.Collected = a.Collected
		}
		if opts.Clock.Loc == nil {
			p.Loc = a.Location()
		}
		places[res.Name] = p
		if p.Loc != nil && res.Floating {
			res.First, res.Last = rezoneWall(res.First, p.Loc), rezoneWall(res.Last, p.Loc)
			res.Floating = false
		}
	}
	parsers.Localize(events, func(input string) parsers.Place { return places[input] })
}

// rezoneWall reads a floating wall-clock time (kept as UTC) as a time in loc.
func rezoneWall(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
}
