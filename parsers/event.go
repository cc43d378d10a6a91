package parsers

// An Event is what a parser recognised: one OOM kill block, later one eviction, one Event
// object. The concrete types are listed here so that a type switch over them is exhaustive.
//
//	*KernelOOM      a kernel OOM-killer invocation with its kill(s)
//	*IncompleteOOM  an OOM invocation whose kill line the input does not show
type Event interface {
	// First is the first line of evidence, used for ordering and messages.
	First() Pos
}

var (
	_ Event = (*KernelOOM)(nil)
	_ Event = (*IncompleteOOM)(nil)
)
