package batch

import (
	"errors"
	"fmt"
	"io"
)

// DecodeAnswer decodes a store's 2xx answer as it arrives, instead of reading it whole first:
// decode reads the body item by item and keeps only what it returns, so the memory of a page
// is the page's evidence, not its bytes. The body is still bounded by maxAnswer: past it the
// read fails with an error that says what to lower (a server that never ends its answer must
// not hold the run). A read error of the connection is returned as it is, not as the
// decoder's complaint about the JSON it cut, so that the stores' retry rules still see a
// dropped connection.
func DecodeAnswer(body io.Reader, decode func(io.Reader) error) error {
	capped := &cappedBody{r: body, left: maxAnswer}
	err := decode(capped)
	switch {
	case capped.over:
		return errAnswerTooLarge()
	case capped.err != nil:
		return capped.err
	case err != nil:
		return err
	}
	// What follows the document (a newline) is read, a little of it, so that the connection
	// can be used again; a server that sends more is not read further.
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	return nil
}

func errAnswerTooLarge() error {
	return fmt.Errorf("the answer is larger than %d MiB, more than coroner reads of one page: lower --page-size", maxAnswer>>20)
}

// cappedBody reads a body up to left bytes and remembers why a read failed.
type cappedBody struct {
	r    io.Reader
	left int64
	over bool  // the body went on past the cap
	err  error // the connection's read error, io.EOF aside
}

// errCapped stops the decoder at the cap; DecodeAnswer turns it into its own message.
var errCapped = errors.New("answer cap reached")

func (c *cappedBody) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One byte more tells a body of exactly the cap from a longer one.
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			c.over = true
			return 0, errCapped
		}
		return 0, c.note(err)
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, c.note(err)
}

func (c *cappedBody) note(err error) error {
	if err != nil && err != io.EOF && c.err == nil {
		c.err = err
	}
	return err
}
