package jsonstream

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestWalk: objects, arrays, nulls and skipped members in the shapes the stores write.
func TestWalk(t *testing.T) {
	w := New(strings.NewReader(`{"skip":{"a":[1,{"b":null}],"c":"d"},"list":[{"n":1},null,{"n":2}],"none":null,"n":3.25}`))
	var got []int
	var n json.Number
	err := w.Object("the answer", func(key string) error {
		switch key {
		case "list":
			return w.Array("the list", func() error {
				var item struct{ N int }
				err := w.Decode(&item)
				got = append(got, item.N)
				return err
			})
		case "none":
			return w.Array("none", func() error { t.Error("an item in null"); return w.Skip() })
		case "n":
			var v any
			err := w.Decode(&v)
			n, _ = v.(json.Number)
			return err
		}
		return w.Skip()
	})
	if err != nil || len(got) != 3 || got[0] != 1 || got[1] != 0 || got[2] != 2 || n != "3.25" {
		t.Errorf("got %v, n %q, err %v", got, n, err)
	}
}

// TestWalkShapes: a value of the wrong kind is a ShapeError naming it and where, and it is
// consumed whole, so that the caller may go on.
func TestWalkShapes(t *testing.T) {
	w := New(strings.NewReader(`{"a":[1,[2]],"b":"x","c":{"d":1}}`))
	var shapes []string
	err := w.Object("it", func(key string) error {
		var err error
		switch key {
		case "a", "b":
			err = w.Object(key, func(string) error { return w.Skip() })
		case "c":
			err = w.Array(key, func() error { return w.Skip() })
		}
		var se *ShapeError
		if errors.As(err, &se) {
			shapes = append(shapes, se.Error())
			return nil
		}
		return err
	})
	want := []string{"a is not an object but an array (near byte 4)", "b is not an object but a string (near byte 16)", "c is not an array but an object (near byte 24)"}
	if err != nil || strings.Join(shapes, "|") != strings.Join(want, "|") {
		t.Errorf("err %v, shapes %q, want %q", err, shapes, want)
	}
}

// TestWalkCut: a document cut anywhere after its first byte is io.ErrUnexpectedEOF, never a
// whole document; an empty stream is io.EOF.
func TestWalkCut(t *testing.T) {
	doc := `{"a":[1,{"b":"c"}],"d":"e"}`
	for cut := 1; cut < len(doc); cut++ {
		if err := New(strings.NewReader(doc[:cut])).Skip(); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("cut at %d (%q): %v", cut, doc[:cut], err)
		}
		w := New(strings.NewReader(doc[:cut]))
		err := w.Object("it", func(key string) error {
			if key == "a" {
				return w.Array("a", func() error { return w.Skip() })
			}
			return w.Skip()
		})
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("walking the cut at %d (%q): %v", cut, doc[:cut], err)
		}
	}
	if err := New(strings.NewReader("")).Skip(); err != io.EOF {
		t.Errorf("empty: %v", err)
	}
}

// FuzzWalk: Skip consumes exactly one value of any JSON the standard decoder accepts, and any
// other input is an error, never a panic or a document taken whole; a walk of objects and
// arrays over it agrees.
func FuzzWalk(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":null}],"c":"d"}`, `[[[]]]`, `"x"`, `{"a":`, `[1,]`, `{"a" 1}`, `null`, `{}{}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		dec := json.NewDecoder(strings.NewReader(doc))
		var raw json.RawMessage
		wantErr := dec.Decode(&raw)
		w := New(strings.NewReader(doc))
		err := w.Skip()
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%q: Skip says %v, the decoder %v", doc, err, wantErr)
		}
		if err == nil && w.Offset() != dec.InputOffset() {
			t.Fatalf("%q: Skip stopped at %d, the decoder at %d", doc, w.Offset(), dec.InputOffset())
		}
		// Objects are walked member by member, anything else is a ShapeError that consumed
		// the value, after which the walk goes on.
		var walk func() error
		walk = func() error {
			err := w.Object("v", func(string) error { return walk() })
			var se *ShapeError
			if errors.As(err, &se) {
				return nil
			}
			return err
		}
		w = New(strings.NewReader(doc))
		err = walk()
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%q: the walk says %v, the decoder %v", doc, err, wantErr)
		}
	})
}
