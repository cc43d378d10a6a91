package batch

import (
	"io"
)

// maxAnswer bounds the body of one answer of a log store that coroner holds in memory. A
// page of thousands of log lines is a few megabytes; one 1.5 GB answer (a misbehaving
// proxy, a page of huge documents) ended the run with "fatal error: out of memory".
// (A variable, so that a test can lower it.)
var maxAnswer int64 = 256 << 20

// maxErrorBody bounds the body of an error answer: enough to quote the server's words.
const maxErrorBody = 64 << 10

// ReadAnswer reads a store's answer: a 2xx body up to maxAnswer, an error body up to a few
// kilobytes (the rest is dropped, the status says enough). A larger 2xx body is an error
// that says what to lower, never a truncated answer.
func ReadAnswer(body io.Reader, ok bool) ([]byte, error) {
	limit := maxAnswer
	if !ok {
		limit = maxErrorBody
	}
	data, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		if !ok {
			return data[:limit], nil
		}
		return nil, errAnswerTooLarge()
	}
	return data, nil
}
