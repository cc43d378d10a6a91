package secret

import (
	"io"
	"sync"
)

// Writer scrubs what passes through it to the writer underneath. A secret may arrive split
// over two writes (a buffered report flushes every 4 KiB), so the end of a write that could
// begin a secret is held back until the next write or Flush; everything else goes out at
// once, so progress lines still show as they happen.
type Writer struct {
	s       *Scrubber
	w       io.Writer
	mu      sync.Mutex
	pending []byte
}

// Writer wraps w. Call Flush when done.
func (s *Scrubber) Writer(w io.Writer) *Writer { return &Writer{s: s, w: w} }

func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pending) == 0 && w.s.replacer() == nil {
		return w.w.Write(p)
	}
	text := w.s.String(string(append(w.pending, p...)))
	keep := w.s.held(text)
	w.pending = append(w.pending[:0], text[len(text)-keep:]...)
	if _, err := io.WriteString(w.w, text[:len(text)-keep]); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what was held back.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pending) == 0 {
		return nil
	}
	text := w.s.String(string(w.pending))
	w.pending = w.pending[:0]
	_, err := io.WriteString(w.w, text)
	return err
}

// Unwrap is the writer underneath, so that a terminal is still seen as one (colour, width,
// progress lines).
func (w *Writer) Unwrap() io.Writer { return w.w }
