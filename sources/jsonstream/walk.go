// Package jsonstream walks a JSON document token by token, so that a log store's answer of
// hundreds of megabytes is decoded item by item as it arrives: the caller decodes each item
// it keeps into its own small value and skips the rest, and nothing holds the whole answer.
// encoding/json's Decoder does the scanning; this package only gives its Token stream the
// shape of objects and arrays.
package jsonstream

import (
	"encoding/json"
	"fmt"
	"io"
)

// A Walker reads one JSON document from a stream.
type Walker struct {
	dec     *json.Decoder
	started bool // a token was read: an end of the stream now cuts the document
}

// New walks r. Numbers decode as json.Number where an any is decoded, as the stores' sort
// values and metadata must keep their digits.
func New(r io.Reader) *Walker {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	return &Walker{dec: dec}
}

// Offset is the byte offset in the stream of the walker, for a message that says where an
// answer went wrong.
func (w *Walker) Offset() int64 { return w.dec.InputOffset() }

// Object reads an object, calling member for each key; member must consume the key's value,
// with Decode, Skip, Object or Array. A null is an object without members, as encoding/json
// leaves a struct alone for a null. Any other value is a *ShapeError.
func (w *Walker) Object(what string, member func(key string) error) error {
	ok, err := w.open('{', what)
	if err != nil || !ok {
		return err
	}
	for w.dec.More() {
		tok, err := w.token()
		if err != nil {
			return err
		}
		key, isKey := tok.(string)
		if !isKey { // the Decoder itself refuses a non-string key; kept for safety
			return &ShapeError{What: what, Want: "an object", Offset: w.Offset()}
		}
		if err := member(key); err != nil {
			return err
		}
	}
	_, err = w.token() // '}'
	return err
}

// Array reads an array, calling item for each element; item must consume it. A null is an
// empty array.
func (w *Walker) Array(what string, item func() error) error {
	ok, err := w.open('[', what)
	if err != nil || !ok {
		return err
	}
	for w.dec.More() {
		if err := item(); err != nil {
			return err
		}
	}
	_, err = w.token() // ']'
	return err
}

// More says whether the array or object being read has another element.
func (w *Walker) More() bool { return w.dec.More() }

// Decode reads the next value into v, as json.Decoder.Decode does: one value is held while
// it is decoded, so only the items worth keeping should be decoded whole.
func (w *Walker) Decode(v any) error { return w.cut(w.dec.Decode(v)) }

// token reads the next token; the end of the stream inside the document is
// io.ErrUnexpectedEOF, as the Decoder says it inside a value, so that a cut answer is never
// taken for a whole one.
func (w *Walker) token() (json.Token, error) {
	tok, err := w.dec.Token()
	err = w.cut(err)
	w.started = true
	return tok, err
}

func (w *Walker) cut(err error) error {
	if err == io.EOF && w.started {
		return io.ErrUnexpectedEOF
	}
	w.started = true
	return err
}

// Skip consumes the next value token by token, holding no more than one scalar of it.
func (w *Walker) Skip() error {
	tok, err := w.token()
	if err != nil {
		return err
	}
	if d, isDelim := tok.(json.Delim); isDelim && (d == '{' || d == '[') {
		return w.skipOpened()
	}
	return nil
}

// open reads the token that opens a value of the kind want ('{' or '['): true when it did,
// false for a null.
func (w *Walker) open(want json.Delim, what string) (bool, error) {
	start := w.Offset()
	tok, err := w.token()
	if err != nil {
		return false, err
	}
	switch tok {
	case want:
		return true, nil
	case nil:
		return false, nil
	}
	kind := "an object"
	if want == '[' {
		kind = "an array"
	}
	if d, isDelim := tok.(json.Delim); isDelim && (d == '{' || d == '[') {
		// Keep the stream whole for a caller that goes on: consume the rest of the value.
		if err := w.skipOpened(); err != nil {
			return false, err
		}
	}
	return false, &ShapeError{What: what, Want: kind, Got: describe(tok), Offset: start}
}

// skipOpened consumes the rest of a value whose opening delimiter was read.
func (w *Walker) skipOpened() error {
	depth := 1
	for depth > 0 {
		tok, err := w.token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

// A ShapeError says that a value is not of the kind the answer's format gives it.
type ShapeError struct {
	What, Want, Got string
	Offset          int64
}

func (e *ShapeError) Error() string {
	got := ""
	if e.Got != "" {
		got = " but " + e.Got
	}
	return fmt.Sprintf("%s is not %s%s (near byte %d)", e.What, e.Want, got, e.Offset)
}

func describe(tok json.Token) string {
	switch tok.(type) {
	case json.Delim:
		if tok == json.Delim('{') {
			return "an object"
		}
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
}
