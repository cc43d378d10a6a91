package main

import (
	"time"

	"github.com/k8s-coroner/coroner/parsers"
	"github.com/k8s-coroner/coroner/sources"
)

// collection is what the sources gave: one result per input and the events of all.
type collection struct {
	results    []*parsers.InputResult
	events     []parsers.Event
	unreadable []*parsers.InputResult
}

// collect streams every input of every source through the parsers. An input that cannot be
// opened or read at all is kept, with its error, for the report and the exit code.
func collect(optsFor func(input string) parsers.Options, srcs ...sources.Source) *collection {
	c := &collection{}
	for _, src := range srcs {
		for in, err := range src.Inputs() {
			var res *parsers.InputResult
			if err != nil {
				res = &parsers.InputResult{Name: in.Name, Kind: "unknown", Err: err}
			} else {
				res = parsers.ParseInput(in, optsFor(in.Name), func(e parsers.Event) { c.events = append(c.events, e) })
			}
			if res.Err != nil {
				c.unreadable = append(c.unreadable, res)
			}
			c.results = append(c.results, res)
		}
	}
	localize(c, optsFor)
	return c
}

// localize gives the events of archive members the node and zone their archive named, once
// the whole archive is read (the files that say them may come last). A zone the user gave
// with --tz wins.
func localize(c *collection, optsFor func(input string) parsers.Options) {
	places := map[string]parsers.Place{}
	for _, res := range c.results {
		a := res.Archive
		if a == nil {
			continue
		}
		opts := optsFor(res.Name)
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
	parsers.Localize(c.events, func(input string) parsers.Place { return places[input] })
}

func rezoneWall(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
}
