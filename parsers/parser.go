package parsers

// A Parser assembles Messages of one input into Events. A parser is made per input, so it may
// keep state across lines (a multi-line OOM report); it is not safe for concurrent use.
type Parser interface {
	// Busy reports that a multi-line event is open: until it closes, every line of the input
	// must reach Feed, not only the lines that pass the trigger prefilter.
	Busy() bool
	// Feed takes one message; it sends out each event the message completes, and a warning
	// for each relevant line it could not read in full.
	Feed(m *Message, out Out)
	// Flush is called at the end of the input and sends out whatever is still open.
	Flush(out Out)
}

// Out is where a parser's results go, in two streams. An event is evidence for the
// correlator. A warning is a line the parser recognised as relevant but could not read in
// full: it is reported with its input and line, and never used as evidence.
type Out struct {
	Event func(Event)
	Warn  func(Warning)
}

// send passes on what one line gave: an event, a warning, or neither.
func (o Out) send(ev Event, w *Warning) {
	if w != nil {
		o.Warn(*w)
	}
	if ev != nil {
		o.Event(ev)
	}
}

// Spec describes a parser for the registry.
type Spec struct {
	Name string
	Help string
	// Triggers are byte strings of which one occurs in every line that can start or complete
	// an event while the parser is not Busy. They drive the cheap prefilter that runs before
	// any framing or regex, and later the queries pushed down to Loki and Elasticsearch.
	Triggers []string
	// Events marks a parser of Kubernetes Events shipped as log lines: log stores select
	// those by their reason field, so its trigger words stay out of the node-log queries.
	Events bool
	New    func() Parser
}
