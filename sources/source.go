// Package sources reads evidence: it turns files, standard input and (later) archives, Loki
// and Elasticsearch into a stream of raw records that know where they came from. Sources never
// interpret a line; that is the job of package parsers.
package sources

import (
	"io"
	"iter"
	"time"
)

// A Record is one raw line of evidence.
//
// Bytes is only valid until the iterator advances (like bufio.Scanner.Bytes): a consumer that
// keeps a line must copy it. This keeps a multi-gigabyte input from allocating per line.
type Record struct {
	Line  int       // 1-based line number within the input
	Bytes []byte    // the raw line without its line terminator
	Time  time.Time // a wall-clock time carried by the transport (Loki, journal JSON); zero for plain files

	// Cut is the number of bytes dropped from the end of an over-long line (see MaxLineBytes).
	Cut int

	// Bare marks a line that is only a message, without the envelope a file would give it (a
	// journal entry shipped to Loki or Elasticsearch): Program and Host come from the
	// transport's labels instead, and Time must be set.
	Bare    bool
	Program string
	Host    string
	// Labels are the transport's labels of the line's stream (Loki) or fields (Elasticsearch),
	// nil for files.
	Labels map[string]string
	// Fields are a structured document's fields (a log store's Event document), read by name
	// instead of being written into the text for a parser to read back; nil for lines.
	Fields map[string]string
}

// Input is one named stream of records: a file, an archive member, a Loki stream.
type Input struct {
	Name    string    // what the user calls it: a path, "-" for stdin, "archive.tar.xz:var/log/messages"
	Kind    Kind      // a kind the user forced with --kind, or KindDetect to detect from content
	ModTime time.Time // the modification time of the file, used to infer missing years; zero if unknown

	// Archive is the sosreport, must-gather or directory the input came from (nil for a plain
	// file); what it says about the node and its clock is complete once its inputs are read.
	Archive *ArchiveInfo
	Role    InputRole // what the archive layout says the input is (RoleKernel, RoleSyslog, …)

	// Records yields the input's lines in order. A non-nil error ends the input: the records
	// already yielded stay valid and the error says why the rest could not be read (for
	// example a truncated gzip stream).
	Records iter.Seq2[Record, error]

	// Stream, when set, gives the same input as its decoded bytes instead of records, for a
	// reader that splits lines itself in large blocks (the parsers scan those on every
	// core). It opens the input, calls read with it and closes it; an error from opening or
	// decoding is returned (a read error also reaches read's reader). nil for inputs that
	// are not one byte stream of lines (a journal export, a log store's entries).
	Stream func(read func(io.Reader) error) error
}

// A Source yields inputs. A non-nil error means one input could not be opened at all (a
// missing file); the source carries on with the next one.
type Source interface {
	Inputs() iter.Seq2[*Input, error]
}
