package sources

import (
	"bytes"
	"fmt"
	"iter"
	"os/exec"
	"strings"
)

// Command reads the standard output of a program as one input, streaming: journalctl on
// the node. The program's standard error and a non-zero exit become the input's error after
// the lines it did print.
type Command struct {
	Name string   // what the report calls the input, e.g. "journalctl -k"
	Kind Kind     // the kind of its output, e.g. KindJournalJSON
	Path string   // the program
	Args []string // its arguments
}

var _ Source = (*Command)(nil)

// Inputs yields the one input; an error when the program cannot be found.
func (c *Command) Inputs() iter.Seq2[*Input, error] {
	return func(yield func(*Input, error) bool) {
		path, err := exec.LookPath(c.Path)
		if err != nil {
			yield(&Input{Name: c.Name}, err)
			return
		}
		yield(&Input{Name: c.Name, Kind: c.Kind, Records: c.records(path)}, nil)
	}
}

func (c *Command) records(path string) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		cmd := exec.Command(path, c.Args...)
		var stderr bytes.Buffer
		cmd.Stderr = &limitedWriter{w: &stderr, n: 4096}
		out, err := cmd.StdoutPipe()
		if err == nil {
			err = cmd.Start()
		}
		if err != nil {
			yield(Record{}, fmt.Errorf("%s: %w", c.Name, err))
			return
		}
		stopped := false
		for rec, rerr := range Lines(out) {
			if !yield(rec, rerr) {
				stopped = true
				break
			}
		}
		if stopped {
			cmd.Process.Kill()
		}
		if err := cmd.Wait(); err != nil && !stopped {
			yield(Record{}, fmt.Errorf("%s: %w: %s", c.Name, err, strings.TrimSpace(stderr.String())))
		}
	}
}

// limitedWriter keeps the first n bytes: enough of a program's complaint to quote.
type limitedWriter struct {
	w interface{ Write([]byte) (int, error) }
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
