package batch

import (
	"io"
	"strings"
	"testing"
)

// endless is a body that never ends, as a misbehaving proxy's.
type endless struct{ read int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	e.read += int64(len(p))
	return len(p), nil
}

// TestReadAnswerIsBounded: an answer larger than maxAnswer is an error that says what to
// lower, read no further than the cap; an error body is cut to a quote. One 1.5 GB answer
// ended a run with "fatal error: out of memory".
func TestReadAnswerIsBounded(t *testing.T) {
	old := maxAnswer
	maxAnswer = 1 << 20
	defer func() { maxAnswer = old }()
	body := &endless{}
	data, err := ReadAnswer(body, true)
	if err == nil || data != nil || !strings.Contains(err.Error(), "--page-size") {
		t.Errorf("an endless answer gave %d bytes, err %v", len(data), err)
	}
	if body.read > maxAnswer+64<<10 {
		t.Errorf("read %d bytes of an endless answer, the cap is %d", body.read, maxAnswer)
	}
	data, err = ReadAnswer(&endless{}, false)
	if err != nil || len(data) != maxErrorBody {
		t.Errorf("an endless error body gave %d bytes, err %v; want the first %d", len(data), err, maxErrorBody)
	}
	data, err = ReadAnswer(io.LimitReader(&endless{}, 1000), true)
	if err != nil || len(data) != 1000 {
		t.Errorf("a small answer gave %d bytes, err %v", len(data), err)
	}
}
