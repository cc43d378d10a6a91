package parsers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	"sigs.k8s.io/yaml"
)

// Kubernetes objects arrive as kubectl prints them: one object, a List or PodList/EventList
// (-o json), YAML documents separated by "---" (-o yaml, must-gathers), or one JSON object per
// line (event exporters). JSON lists are streamed item by item, so a 200 MB events dump needs
// the memory of one event; a YAML document is read whole (YAML has no streaming decoder here).

// isObjectStart recognises the first line of Kubernetes object input.
func isObjectStart(b []byte) bool {
	t := bytes.TrimSpace(b)
	switch {
	case bytes.Equal(t, []byte("{")), bytes.Equal(t, []byte("[")), bytes.Equal(t, []byte("---")):
		return true
	case bytes.HasPrefix(t, []byte("apiVersion:")), bytes.HasPrefix(t, []byte("kind:")):
		return true
	case len(t) > 0 && t[0] == '{':
		return bytes.HasPrefix(t, []byte(`{"kind":`)) || bytes.HasPrefix(t, []byte(`{"apiVersion":`)) ||
			bytes.Contains(t, []byte(`"involvedObject"`)) || bytes.Contains(t, []byte(`"regarding"`))
	}
	return false
}

// objectDecoder reads objects and emits events, warning about what it cannot use.
type objectDecoder struct {
	r     *recordReader
	input string
	emit  func(Event)
	warn  func(line int, msg string)
	used  int // objects that were evidence
}

func (d *objectDecoder) decode(yamlInput bool) {
	if yamlInput {
		d.decodeYAML()
		return
	}
	dec := json.NewDecoder(d.r)
	lineOf := func() int { return d.r.lineAt(dec.InputOffset() + leadingSpace(dec)) }
	for {
		err := d.decodeJSONValue(dec, lineOf)
		if err == io.EOF {
			return
		}
		if err != nil {
			d.warn(lineOf(), fmt.Sprintf("JSON not understood, the rest of the input is skipped: %v", err))
			return
		}
	}
}

// decodeJSONValue reads one top-level value: an object whose "items" are streamed, or an
// array of objects. lineOf tells the line the decoder is at.
func (d *objectDecoder) decodeJSONValue(dec *json.Decoder, lineOf func() int) error {
	line := lineOf()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('['):
		return d.streamItems(dec, "", lineOf)
	case json.Delim('{'):
	default:
		return fmt.Errorf("unexpected %v at the top level", tok)
	}
	fields := map[string]json.RawMessage{}
	isList := false
	for dec.More() {
		keyTok, err := dec.Token()
		if err != nil {
			return err
		}
		if key, _ := keyTok.(string); key == "items" {
			if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
				return fmt.Errorf("items is not a list")
			}
			var listKind string
			_ = json.Unmarshal(fields["kind"], &listKind)
			if err := d.streamItems(dec, strings.TrimSuffix(listKind, "List"), lineOf); err != nil {
				return err
			}
			isList = true
			continue
		} else {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return err
			}
			fields[key] = raw
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return err
	}
	if isList {
		return nil
	}
	whole, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	d.object(whole, "", line)
	return nil
}

// leadingSpace counts the white space the decoder will skip before its next value, so that
// a value's line is where it starts, not where the previous one ended.
func leadingSpace(dec *json.Decoder) int64 {
	var n int64
	buf := make([]byte, 1)
	r := dec.Buffered()
	for {
		if _, err := r.Read(buf); err != nil {
			return n
		}
		switch buf[0] {
		case ' ', '\t', '\r', '\n', ',':
			n++
		default:
			return n
		}
	}
}

// streamItems decodes list items one at a time; itemKind is the list's kind without "List"
// when it came before the items (a PodList's items carry no kind of their own).
func (d *objectDecoder) streamItems(dec *json.Decoder, itemKind string, lineOf func() int) error {
	for dec.More() {
		line := lineOf()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		d.object(raw, itemKind, line)
	}
	_, err := dec.Token() // the closing bracket
	return err
}

// decodeYAML reads "---"-separated documents, each whole.
func (d *objectDecoder) decodeYAML() {
	var doc bytes.Buffer
	docLine := 1
	flush := func() {
		if len(bytes.TrimSpace(doc.Bytes())) == 0 {
			return
		}
		j, err := yaml.YAMLToJSON(doc.Bytes())
		if err == nil {
			err = d.decodeJSONValue(json.NewDecoder(bytes.NewReader(j)), func() int { return docLine })
		}
		if err != nil && err != io.EOF {
			d.warn(docLine, fmt.Sprintf("YAML document not understood, skipped: %v", err))
		}
	}
	for line := 1; ; line++ {
		b, ok := d.r.nextLine()
		if !ok {
			break
		}
		if bytes.Equal(bytes.TrimRight(b, " \t\r"), []byte("---")) {
			flush()
			doc.Reset()
			docLine = line + 1
			continue
		}
		doc.Write(b)
		doc.WriteByte('\n')
	}
	flush()
}

// object decodes one object by its kind and emits what matters.
func (d *objectDecoder) object(raw json.RawMessage, itemKind string, line int) {
	var head struct {
		Kind       string `json:"kind"`
		APIVersion string `json:"apiVersion"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		d.warn(line, fmt.Sprintf("object not understood, skipped: %v", err))
		return
	}
	kind := head.Kind
	if kind == "" && itemKind == "" {
		if inner, ok := watchEventObject(raw); ok { // {"type":"ADDED","object":{…}}, eventrouter's {"verb":…,"event":{…}}
			d.object(inner, "", line)
			return
		}
	}
	if kind == "" {
		kind = itemKind
	}
	if kind == "" {
		kind, head.APIVersion = sniffKind(raw)
	}
	pos := Pos{Input: d.input, Line: line}
	switch {
	case kind == "Pod":
		var p corev1.Pod
		if err := json.Unmarshal(raw, &p); err != nil {
			d.warn(line, fmt.Sprintf("Pod not understood, skipped: %v", err))
			return
		}
		d.used++
		d.emit(newPodStatus(pos, &p, ""))
	case kind == "Event" && head.APIVersion == "events.k8s.io/v1":
		var e eventsv1.Event
		if err := json.Unmarshal(raw, &e); err != nil {
			d.warn(line, fmt.Sprintf("Event not understood, skipped: %v", err))
			return
		}
		d.used++
		d.emit(fromEventsV1(pos, &e))
	case kind == "Event":
		var e corev1.Event
		if err := json.Unmarshal(raw, &e); err != nil {
			d.warn(line, fmt.Sprintf("Event not understood, skipped: %v", err))
			return
		}
		d.used++
		d.emit(fromCoreEvent(pos, &e))
	case kind == "":
		d.warn(line, "object without kind skipped")
	}
	// Other kinds (Node, Deployment, …) are not evidence of a death; they are passed over.
}

// sniffKind tells a kindless object by its fields: kubectl prints a list's "items" before
// its "kind", so the items of a PodList are read before the list says what they are.
func sniffKind(raw json.RawMessage) (kind, apiVersion string) {
	switch {
	case bytes.Contains(raw, []byte(`"containers"`)):
		return "Pod", "v1"
	case bytes.Contains(raw, []byte(`"involvedObject"`)):
		return "Event", "v1"
	case bytes.Contains(raw, []byte(`"regarding"`)):
		return "Event", "events.k8s.io/v1"
	}
	return "", ""
}

// watchEventObject unwraps a watch event: the API's and kubectl get -w -o json's
// {"type":"ADDED","object":{…}}, and eventrouter's {"verb":"ADDED","event":{…}}.
func watchEventObject(raw json.RawMessage) (json.RawMessage, bool) {
	var w struct {
		Type   string          `json:"type"`
		Verb   string          `json:"verb"`
		Object json.RawMessage `json:"object"`
		Event  json.RawMessage `json:"event"`
	}
	if json.Unmarshal(raw, &w) != nil || w.Type == "" && w.Verb == "" {
		return nil, false
	}
	for _, inner := range []json.RawMessage{w.Object, w.Event} {
		if len(inner) > 0 && inner[0] == '{' {
			return inner, true
		}
	}
	return nil, false
}
