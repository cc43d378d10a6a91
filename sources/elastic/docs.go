package elastic

import (
	"bytes"
	"cmp"
	"encoding/json"
	"strings"

	"github.com/k8s-coroner/coroner/sources"
	"github.com/k8s-coroner/coroner/sources/batch"
)

// nodeDoc reads a node-log document: its program is the kernel for kernel transport, else
// its unit, else its syslog identifier.
func (s *Store) nodeDoc(h Hit) (batch.Doc, bool) {
	src, ok := decodeSource(h)
	if !ok {
		return batch.Doc{}, false
	}
	f := s.Fields
	rec := sources.Record{Bytes: []byte(str(lookup(src, f.Message))), Bare: true}
	rec.Time, _ = parseTime(lookup(src, f.Time))
	for _, hf := range f.Hosts {
		if rec.Host = str(lookup(src, hf)); rec.Host != "" {
			break
		}
	}
	switch {
	case f.Program != "":
		rec.Program = f.Program
	case strings.EqualFold(str(lookup(src, f.Transport)), "kernel"), str(lookup(src, f.Identifier)) == "kernel":
		rec.Program = "kernel"
	case str(lookup(src, f.Unit)) != "":
		rec.Program = strings.TrimSuffix(str(lookup(src, f.Unit)), ".service")
	default:
		rec.Program = str(lookup(src, f.Identifier))
	}
	stream := strings.Trim(rec.Host+":"+rec.Program, ":")
	return batch.Doc{Stream: stream, Key: h.Index + "\x00" + h.ID, Record: rec}, len(rec.Bytes) > 0 && !rec.Time.IsZero()
}

// eventDoc reads an Event document: a whole Event goes to the Event decoder as it is;
// Metricbeat's fields become the record's fields, read by name, and its message the text.
func (s *Store) eventDoc(h Hit) (batch.Doc, bool) {
	src, ok := decodeSource(h)
	if !ok {
		return batch.Doc{}, false
	}
	ef := s.EventFields
	d := batch.Doc{Stream: "events", Key: h.Index + "\x00" + h.ID}
	d.Record.Time, _ = parseTime(lookup(src, ef.Time))
	if ef.Whole {
		d.Record.Bytes = h.Source
		return d, true
	}
	d.Record.Bare, d.Record.Program = true, "k8s-events"
	d.Record.Bytes = []byte(str(lookup(src, ef.Message)))
	d.Record.Fields = map[string]string{"name": str(lookup(src, ef.Name)), "kind": str(lookup(src, ef.Kind)),
		"reason": str(lookup(src, ef.Reason)), "type": str(lookup(src, ef.Type)), "count": cmp.Or(str(lookup(src, ef.Count)), "1"),
		"msg": str(lookup(src, ef.Message)), "namespace": str(lookup(src, ef.Namespace))}
	return d, !d.Record.Time.IsZero()
}

func decodeSource(h Hit) (map[string]any, bool) {
	var src map[string]any
	dec := json.NewDecoder(bytes.NewReader(h.Source))
	dec.UseNumber()
	return src, dec.Decode(&src) == nil
}
