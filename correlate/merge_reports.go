package correlate

import (
	"fmt"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// MergeReports joins the reports of several job instances (coroner loki --shard i/n, one per
// instance) into one: deaths, host kills, episodes, inputs and archives side by side, sorted
// again, with a fresh summary. Each shard covers its own nodes; reports that overlap anyway
// (one given twice, runs whose ranges touch) count each death, episode and input once
// (merge_identity.go), with a warning that says how many copies were dropped.
func MergeReports(reps []*report.Report) (*report.Report, error) {
	out := &report.Report{Schema: report.Schema, Deaths: []report.Death{}, HostKills: []report.Death{}, Incomplete: []report.Incomplete{}, Pressure: []report.Pressure{}, Inputs: []report.Input{}}
	for i, r := range reps {
		if r.Schema != report.Schema {
			return nil, fmt.Errorf("report %d has schema %q, not %q", i+1, r.Schema, report.Schema)
		}
		offset := len(out.Pressure)
		for _, d := range r.Deaths {
			if d.Eviction != nil && d.Eviction.Episode != nil {
				e := *d.Eviction
				idx := *e.Episode + offset // episodes are numbered in the merged list
				e.Episode = &idx
				d.Eviction = &e
			}
			out.Deaths = append(out.Deaths, d)
		}
		out.HostKills = append(out.HostKills, r.HostKills...)
		out.Incomplete = append(out.Incomplete, r.Incomplete...)
		out.Pressure = append(out.Pressure, r.Pressure...)
		out.Inputs = append(out.Inputs, r.Inputs...)
		out.Archives = append(out.Archives, r.Archives...)
		out.Warnings = append(out.Warnings, r.Warnings...)
		if t := r.Transfer; t != nil {
			if out.Transfer == nil {
				c := *t
				c.Shard = ""
				c.Missing = append([]report.MissingWindow{}, t.Missing...)
				out.Transfer = &c
				continue
			}
			m := out.Transfer
			m.Lines += t.Lines
			m.Bytes += t.Bytes
			m.ContextLines += t.ContextLines
			m.UnfilteredLines += t.UnfilteredLines
			m.UnfilteredBytes += t.UnfilteredBytes
			m.Pushed += t.Pushed
			m.Missing = append(m.Missing, t.Missing...)
			if t.From.Before(m.From) {
				m.From = t.From
			}
			if t.To.After(m.To) {
				m.To = t.To
			}
		}
	}
	dedupMerged(out)
	sortDeaths(out.Deaths)
	sortDeaths(out.HostKills)
	Summarize(out)
	return out, nil
}

// dedupMerged drops what several of the merged reports hold: the same episode, death, host
// kill, incomplete report or input. Deaths are renumbered onto the kept episodes.
func dedupMerged(out *report.Report) {
	var index []int
	out.Pressure, index = dedupByContent(out.Pressure)
	for i := range out.Deaths {
		if e := out.Deaths[i].Eviction; e != nil && e.Episode != nil && *e.Episode >= 0 && *e.Episode < len(index) {
			c := *e
			idx := index[*e.Episode]
			c.Episode = &idx
			out.Deaths[i].Eviction = &c
		}
	}
	var deaths, kills int
	out.Deaths, deaths = dedupDeaths(out.Deaths)
	out.HostKills, kills = dedupDeaths(out.HostKills)
	out.Incomplete, _ = dedupByContent(out.Incomplete)
	out.Inputs, _ = dedupByContent(out.Inputs)
	out.Archives, _ = dedupByContent(out.Archives)
	out.Warnings, _ = dedupByContent(out.Warnings)
	if deaths+kills > 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("%d deaths and %d host kills were in more than one of the merged reports: each is counted once", deaths, kills))
	}
}
