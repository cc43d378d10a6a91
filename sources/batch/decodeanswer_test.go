package batch

import (
	"errors"
	"io"
	"strings"
	"syscall"
	"testing"
)

// dropped is a body whose connection is reset after its first bytes.
type dropped struct{ r io.Reader }

func (d *dropped) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err == io.EOF {
		return n, syscall.ECONNRESET
	}
	return n, err
}

// TestDecodeAnswerIsBounded: an answer decoded as it arrives is still read no further than
// maxAnswer, and past it the error says what to lower, whatever the decoder makes of the cut.
func TestDecodeAnswerIsBounded(t *testing.T) {
	old := maxAnswer
	maxAnswer = 1 << 20
	defer func() { maxAnswer = old }()
	body := &endless{}
	err := DecodeAnswer(body, func(r io.Reader) error {
		_, err := io.Copy(io.Discard, r)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "--page-size") {
		t.Errorf("an endless answer gave %v", err)
	}
	if body.read > maxAnswer+64<<10 {
		t.Errorf("read %d bytes of an endless answer, the cap is %d", body.read, maxAnswer)
	}
	// A body of exactly the cap is whole.
	err = DecodeAnswer(io.LimitReader(&endless{}, maxAnswer), func(r io.Reader) error {
		n, err := io.Copy(io.Discard, r)
		if n != maxAnswer {
			t.Errorf("read %d of %d bytes", n, maxAnswer)
		}
		return err
	})
	if err != nil {
		t.Errorf("an answer of the cap's size: %v", err)
	}
}

// TestDecodeAnswerSaysTheConnection: a connection reset while an answer is decoded is
// returned as itself, for the retry rules, not as the decoder's complaint about cut JSON; a
// decoder's own error is returned when the body was whole.
func TestDecodeAnswerSaysTheConnection(t *testing.T) {
	decodeErr := errors.New("unexpected end of JSON")
	err := DecodeAnswer(&dropped{strings.NewReader(`{"hits":[`)}, func(r io.Reader) error {
		_, _ = io.ReadAll(r)
		return decodeErr
	})
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("a reset connection gave %v", err)
	}
	err = DecodeAnswer(strings.NewReader(`{"hits":[`), func(r io.Reader) error {
		_, _ = io.ReadAll(r)
		return decodeErr
	})
	if err != decodeErr {
		t.Errorf("a whole body that does not decode gave %v", err)
	}
	// What follows the document is read, for the connection's next request.
	rest := strings.NewReader("{}\n\n")
	if err := DecodeAnswer(rest, func(r io.Reader) error { _, err := r.Read(make([]byte, 2)); return err }); err != nil || rest.Len() != 0 {
		t.Errorf("err %v, %d bytes left unread", err, rest.Len())
	}
}
