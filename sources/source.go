// Package sources reads evidence: it turns files, standard input and (later) archives, Loki
// and Elasticsearch into a stream of raw records that know where they came from. Sources never
// interpret a line; that is the job of package parsers.
package sources

import (
	"bufio"
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

	// Raw, when set, reads the same bytes unsplit: it calls read once with the input's
	// decompressed stream, buffered by at least MaxLineBytes so that its first line can be
	// peeked, and returns read's error or why the stream could not be opened. It is for
	// decoders that need the bytes whole whatever a line's length (Kubernetes objects: a
	// one-line List is far longer than MaxLineBytes). A consumer uses Records or Raw, once;
	// nil when the source only has lines (Loki, Elasticsearch, kmsg, commands).
	Raw func(read func(*bufio.Reader) error) error

	// Detached says that Raw and Records open the input themselves (a regular file, a file
	// of a directory), so they may be read after the source has gone on to the next input:
	// several such inputs can be parsed at once. Inputs that are a part of a stream (a tar
	// member, stdin) are read before the source goes on.
	Detached bool
}

// RawLines gives the lines of a Raw stream as Records do: both views of an input are one
// stream. A stream that cannot be opened yields its error as a record at line 0.
func RawLines(raw func(read func(*bufio.Reader) error) error) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		stopped := false
		err := raw(func(br *bufio.Reader) error {
			for rec, err := range Lines(br) {
				if !yield(rec, err) {
					stopped = true
					return nil
				}
			}
			return nil
		})
		if err != nil && !stopped {
			yield(Record{}, err)
		}
	}
}

// A Source yields inputs. A non-nil error means one input could not be opened at all (a
// missing file); the source carries on with the next one.
type Source interface {
	Inputs() iter.Seq2[*Input, error]
}
