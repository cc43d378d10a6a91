package loki

import "time"

// These are Loki's wire types as coroner uses them: the shape of github.com/grafana/loki/pkg/push,
// declared here because that package also holds the gRPC service of the push API, and
// importing it compiles gRPC and protobuf (about 100 packages) into a binary that speaks only
// HTTP and JSON.

// An Entry is one log line of a stream.
type Entry struct {
	Timestamp          time.Time
	Line               string
	StructuredMetadata LabelsAdapter // query_range's structuredMetadata (or a flat third element)
	Parsed             LabelsAdapter // labels a parser stage of the query extracted
}

// LabelAdapter is one name and value, in the order Loki sends them.
type LabelAdapter struct {
	Name, Value string
}

// LabelsAdapter is a sorted list of labels.
type LabelsAdapter []LabelAdapter
