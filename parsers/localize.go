package parsers

import "time"

// Place is what the archive an input came from says about it: the node that wrote it and the
// node's time zone. Either may be unknown.
type Place struct {
	Host      string
	Loc       *time.Location
	Collected time.Time // when the archive was collected: year-less stamps lie before it
}

// Localize finishes events once every input has been read: an archive names its node and its
// zone in members that may come after the logs (a tar has no order), so events of its inputs
// learn them here. A line without a host gets the archive's node; a time read from a stamp
// without a zone (Floating) is re-read in the node's zone.
func Localize(events []Event, placeOf func(input string) Place) {
	for _, ev := range events {
		switch e := ev.(type) {
		case *KernelOOM:
			p := placeOf(e.Lines[0].Input)
			if e.Host == "" {
				e.Host = p.Host
			}
			for i := range e.Lines {
				localize(&e.Lines[i], p)
			}
			for i := range e.Kills {
				localize(&e.Kills[i].Evidence, p)
			}
			for i := range e.Reaped {
				localize(&e.Reaped[i].Evidence, p)
			}
		case *IncompleteOOM:
			p := placeOf(e.Lines[0].Input)
			if e.Host == "" {
				e.Host = p.Host
			}
			for i := range e.Lines {
				localize(&e.Lines[i], p)
			}
		case *KubeletLine:
			p := placeOf(e.Evidence.Input)
			if e.Host == "" {
				e.Host = p.Host
			}
			localize(&e.Evidence, p)
		case *RuntimeLine:
			p := placeOf(e.Evidence.Input)
			if e.Host == "" {
				e.Host = p.Host
			}
			localize(&e.Evidence, p)
		case *KubeEvent:
			if e.Line == nil {
				continue // Event objects carry zoned times and their own node names
			}
			p := placeOf(e.Line.Input)
			if e.Host == "" {
				e.Host = p.Host
			}
			if e.Line.YearGuessed && !p.Collected.IsZero() {
				e.FirstTime, e.LastTime = ReYear(e.FirstTime, p.Collected), ReYear(e.LastTime, p.Collected)
			}
			if e.Line.Floating && p.Loc != nil {
				e.FirstTime, e.LastTime = rezone(e.FirstTime, p.Loc), rezone(e.LastTime, p.Loc)
			}
			localize(e.Line, p)
			if e.Kernel != nil {
				readNPDKill(e) // its kill happened at the Event's time, now localized
			}
		}
	}
}

func localize(e *Evidence, p Place) {
	if e.Host == "" {
		e.Host = p.Host
	}
	if e.YearGuessed && !p.Collected.IsZero() && !e.Wall.IsZero() {
		e.Wall = ReYear(e.Wall, p.Collected)
	}
	if e.Floating && p.Loc != nil && !e.Wall.IsZero() {
		e.Wall, e.Floating = rezone(e.Wall, p.Loc), false
	}
}

// ReYear gives a year-less stamp the year that puts it closest before the collection (a
// December line in a report collected in January belongs to the year before); a day of slack
// absorbs the zone, which may not be known yet.
func ReYear(t, collected time.Time) time.Time {
	t = t.UTC()
	y := collected.UTC().Year()
	c := time.Date(y, t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	if c.After(collected.Add(24 * time.Hour)) {
		c = c.AddDate(-1, 0, 0)
	}
	return c
}

// rezone reads the wall-clock fields of t (held as UTC) in loc.
func rezone(t time.Time, loc *time.Location) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
}
