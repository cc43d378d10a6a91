package parsers

// A Parser assembles Messages of one input into Events. A parser is made per input, so it may
// keep state across lines (a multi-line OOM report); it is not safe for concurrent use.
type Parser interface {
	// Busy reports that a multi-line event is open: until it closes, every line of the input
	// must reach Feed, not only the lines that pass the trigger prefilter.
	Busy() bool
	// Feed takes one message; it calls emit for each event the message completes.
	Feed(m *Message, emit func(Event))
	// Flush is called at the end of the input and emits whatever is still open.
	Flush(emit func(Event))
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
