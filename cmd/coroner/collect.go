package main

import (
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
func collect(opts parsers.Options, srcs ...sources.Source) *collection {
	c := &collection{}
	for _, src := range srcs {
		for in, err := range src.Inputs() {
			var res *parsers.InputResult
			if err != nil {
				res = &parsers.InputResult{Name: in.Name, Kind: "unknown", Err: err}
			} else {
				res = parsers.ParseInput(in, opts, func(e parsers.Event) { c.events = append(c.events, e) })
			}
			if res.Err != nil {
				c.unreadable = append(c.unreadable, res)
			}
			c.results = append(c.results, res)
		}
	}
	return c
}
