package parsers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// Kubernetes objects arrive as kubectl prints them: one object, a List or PodList/EventList
// (-o json), YAML documents separated by "---" (-o yaml, must-gathers), or one JSON object per
// line (event exporters). JSON lists are streamed item by item, so a 300 MB pods dump needs
// the memory of two batches of items (itemBatch). YAML is split into documents at "---"
// lines and each document decoded alone; a List document's block sequence of items is cut
// item by item as the lines come, and batched the same way. What must be held whole (a
// document that is not a List, one item) is bounded by maxYAMLDocument.

// maxYAMLDocument bounds the YAML held whole for decoding: a document, or one item of a List
// document. YAML has no streaming decoder here and a decoded document takes many times its
// size, so a larger one is skipped with a warning instead of exhausting memory.
const maxYAMLDocument = 64 << 20

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
	r     objectStream
	input string
	emit  func(Event)
	warn  func(line int, msg string)
	used  int // objects that were evidence
	// sawEvent is set once an Event was emitted: of the Events whose reason says nothing of
	// memory, only the first is (emitEvent).
	sawEvent bool
	// yamlCap is the most YAML held whole, maxYAMLDocument when 0 (tests lower it).
	yamlCap int
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
			d.skipRest()
			return
		}
	}
}

// skipRest reads the rest of the input without decoding it, so that its line count is the
// input's whatever the decoder had read ahead, and a read fault further on is still reported.
func (d *objectDecoder) skipRest() {
	if d.r.err() != nil {
		return
	}
	for {
		if _, _, ok := d.r.nextLine(0); !ok {
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

// streamItems decodes list items in order; itemKind is the list's kind without "List"
// when it came before the items (a PodList's items carry no kind of their own). The items
// are cut from the stream in order and decoded in batches on the other cores while the next
// batch is cut (itemBatch); they are emitted in order, from this goroutine.
func (d *objectDecoder) streamItems(dec *json.Decoder, itemKind string, lineOf func() int) error {
	pipe := itemPipe{emit: func(b *itemBatch) { d.emitBatch(b, itemKind) }}
	defer pipe.flush() // the items cut before a fault are kept
	for dec.More() {
		line := lineOf()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		pipe.add(raw, line, line)
	}
	pipe.flush()
	_, err := dec.Token() // the closing bracket
	return err
}

// emitBatch emits a decoded batch's items in order; an item that is no listItem says so.
func (d *objectDecoder) emitBatch(b *itemBatch, itemKind string) {
	for i := range b.items {
		switch {
		case b.yamlErrs[i] != nil:
			d.warn(b.lines[i], fmt.Sprintf("YAML List item not understood, skipped: %v", b.yamlErrs[i]))
		case b.errs[i] != nil && b.yaml:
			d.object(b.raws[i], "", b.at[i]) // says what is wrong as for any object
		case b.errs[i] != nil:
			d.warn(b.lines[i], fmt.Sprintf("object not understood, skipped: %v", b.errs[i]))
		default:
			d.item(&b.items[i], itemKind, b.at[i])
		}
	}
}

// decodeYAML reads "---"-separated documents, each alone; a List document's items are cut
// from its block sequence one at a time (see yamlDoc) and decoded in batches (itemPipe).
func (d *objectDecoder) decodeYAML() {
	if d.yamlCap == 0 {
		d.yamlCap = maxYAMLDocument
	}
	pipe := &itemPipe{yaml: true, emit: func(b *itemBatch) { d.emitBatch(b, "") }}
	y := &yamlDoc{d: d, pipe: pipe, start: 1}
	for line := 1; ; line++ {
		b, cut, ok := d.r.nextLine(d.yamlCap - y.held() + 1)
		if !ok {
			break
		}
		if cut == 0 && bytes.Equal(bytes.TrimRight(b, " \t\r"), []byte("---")) {
			y.end()
			*y = yamlDoc{d: d, pipe: pipe, start: line + 1}
			continue
		}
		y.line(line, b, cut)
	}
	y.end()
}

// yamlDoc is the YAML document being read. Until a top-level "items:" key opens a block
// sequence its lines are held (head); from then each sequence entry is held (item),
// decoded when the next begins, with the entry's indentation taken off. After the sequence
// the rest of a List (kind, metadata) is not needed and not held: a List's other fields are
// never evidence, in JSON either.
type yamlDoc struct {
	d     *objectDecoder
	pipe  *itemPipe // the items, decoded on the other cores
	start int       // the document's first line, the line of its objects
	head  bytes.Buffer
	// the items' block sequence: afterItems from the "items:" line to its first entry,
	// inItems while entries follow (indent is their "- "'s indentation), pastItems after
	afterItems, inItems, pastItems bool
	indent                         int
	item                           bytes.Buffer
	itemLine                       int
	skip                           bool // the document or the current item is over the cap
}

func (y *yamlDoc) held() int { return y.head.Len() + y.item.Len() }

func (y *yamlDoc) line(n int, b []byte, cut int) {
	if y.skip {
		if !y.inItems || !y.isEntry(b) {
			return
		}
		y.skip = false // a new item begins: it may fit
	}
	switch {
	case y.pastItems:
		return
	case y.inItems:
		switch {
		case y.isEntry(b):
			y.endItem()
			y.itemLine = n
			b = b[y.indent+1:]
			if len(b) > 0 { // "- key: value" is "  key: value" under the entry
				b = b[1:]
			}
		case len(b) >= y.indent+2 && isBlanks(b[:y.indent+2]):
			b = b[y.indent+2:]
		case isBlanks(b):
			b = nil
		case len(bytes.TrimLeft(b, " ")) > 0 && bytes.TrimLeft(b, " ")[0] == '#':
			return // a comment less indented than the entries
		default: // the sequence ended: the rest of the List is not needed
			y.endItem()
			y.inItems, y.pastItems = false, true
			return
		}
		if y.over(n, b, cut, "YAML List item at line %d") {
			y.item.Reset()
			y.itemLine = 0
			return
		}
		y.item.Write(b)
		y.item.WriteByte('\n')
		return
	case y.afterItems:
		if t := bytes.TrimLeft(b, " "); len(t) > 0 && t[0] != '#' {
			y.afterItems = false
			if t[0] == '-' && (len(t) == 1 || t[1] == ' ') {
				y.inItems, y.indent = true, len(b)-len(t)
				y.head.Reset() // a List: only its items are read
				y.line(n, b, cut)
				return
			}
		}
	case bytes.Equal(bytes.TrimRight(b, " \t\r"), []byte("items:")):
		y.afterItems = true
	}
	if y.over(n, b, cut, "YAML document at line %d") {
		y.head.Reset()
		return
	}
	y.head.Write(b)
	y.head.WriteByte('\n')
}

// isEntry tells a line that begins an entry of the items' sequence.
func (y *yamlDoc) isEntry(b []byte) bool {
	return len(b) > y.indent && isBlanks(b[:y.indent]) && b[y.indent] == '-' &&
		(len(b) == y.indent+1 || b[y.indent+1] == ' ')
}

func isBlanks(b []byte) bool { return len(bytes.Trim(b, " \t\r")) == 0 }

// over tells whether line n makes what is held larger than maxYAMLDocument, or was cut by a
// source that has no raw stream; then it warns once and the document (or item) is skipped.
func (y *yamlDoc) over(n int, b []byte, cut int, what string) bool {
	if y.skip {
		return true
	}
	first := y.start
	if y.inItems {
		first = y.itemLine
	}
	if y.held()+len(b)+cut > y.d.yamlCap || cut > 0 {
		y.pipe.flush() // the items before it are said first
	}
	switch {
	case y.held()+len(b)+cut > y.d.yamlCap:
		y.d.warn(first, fmt.Sprintf(what+" is larger than %s (the most YAML held whole for decoding), skipped", first, sizeText(y.d.yamlCap)))
	case cut > 0:
		y.d.warn(first, fmt.Sprintf(what+" skipped: its line %d was cut at %d bytes by the source", first, n, len(b)))
	default:
		return false
	}
	y.skip = true
	return true
}

// endItem hands the item held, if any, to be decoded; it is emitted at the document's line,
// as a JSON List's items are at theirs.
func (y *yamlDoc) endItem() {
	defer y.item.Reset()
	if y.skip || y.itemLine == 0 {
		return
	}
	y.pipe.add(bytes.Clone(y.item.Bytes()), y.itemLine, y.start)
}

// end decodes what is left of the document at its end.
func (y *yamlDoc) end() {
	if y.inItems {
		y.endItem()
	}
	y.pipe.flush()
	if y.inItems {
		return
	}
	if y.skip || y.pastItems || len(bytes.TrimSpace(y.head.Bytes())) == 0 {
		return
	}
	j, err := yaml.YAMLToJSON(y.head.Bytes())
	if err == nil {
		err = y.d.decodeJSONValue(json.NewDecoder(bytes.NewReader(j)), func() int { return y.start })
	}
	if err != nil && err != io.EOF {
		y.d.warn(y.start, fmt.Sprintf("YAML document not understood, skipped: %v", err))
	}
}

// object decodes one object by its kind and emits what matters.
func (d *objectDecoder) object(raw json.RawMessage, itemKind string, line int) {
	var head objectHead
	if !head.quick(raw) {
		if err := json.Unmarshal(raw, &head); err != nil {
			d.warn(line, fmt.Sprintf("object not understood, skipped: %v", err))
			return
		}
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
		var p podObject
		if err := json.Unmarshal(raw, &p); err != nil {
			d.warn(line, fmt.Sprintf("Pod not understood, skipped: %v", err))
			return
		}
		d.used++
		d.emit(newPodStatus(pos, p.pod(), ""))
	case kind == "Event" && head.APIVersion == "events.k8s.io/v1":
		var e eventsv1.Event
		if err := json.Unmarshal(raw, &e); err != nil {
			d.warn(line, fmt.Sprintf("Event not understood, skipped: %v", err))
			return
		}
		d.used++
		d.emitEvent(fromEventsV1(pos, &e))
	case kind == "Event":
		var e corev1.Event
		if err := json.Unmarshal(raw, &e); err != nil {
			d.warn(line, fmt.Sprintf("Event not understood, skipped: %v", err))
			return
		}
		d.used++
		d.emitEvent(fromCoreEvent(pos, &e))
	case kind == "":
		d.warn(line, "object without kind skipped")
	}
	// Other kinds (Node, Deployment, …) are not evidence of a death; they are passed over.
}

// emitEvent emits an Event object. One whose reason says nothing of memory (Pulled,
// Scheduled: most of a must-gather's events.yaml) is no evidence, and the correlator passes
// over it; it is emitted only when it is the input's first Event, which tells the correlator
// that Events are among the inputs. Kept, the others held memory in proportion to the input:
// 48k of the 85k Events of a 50 MiB events.yaml.
func (d *objectDecoder) emitEvent(e *KubeEvent) {
	if !MemoryEventReasons[e.Reason] && d.sawEvent {
		return
	}
	d.sawEvent = true
	d.emit(e)
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

// objectHead is an object's type.
type objectHead struct {
	Kind       string `json:"kind"`
	APIVersion string `json:"apiVersion"`
}

// quick reads the type from the object's first two fields when they are kind and
// apiVersion as plain strings, in either order, as the API server writes every object; it
// reports false for anything else, for json.Unmarshal to read. raw is valid JSON (the
// decoder scanned it), so this saves a scan of each object. (A top-level field repeated
// further on, which json.Unmarshal would let win, is not looked for: the API server and
// kubectl never write one.)
func (h *objectHead) quick(raw []byte) bool {
	b := bytes.TrimLeft(raw, " \t\r\n")
	if len(b) == 0 || b[0] != '{' {
		return false
	}
	b = b[1:]
	for range 2 {
		key, rest, ok := plainString(b)
		if !ok {
			return false
		}
		rest = bytes.TrimLeft(rest, " \t\r\n")
		if len(rest) == 0 || rest[0] != ':' {
			return false
		}
		val, rest, ok := plainString(rest[1:])
		if !ok {
			return false
		}
		switch string(key) {
		case "kind":
			h.Kind = string(val)
		case "apiVersion":
			h.APIVersion = string(val)
		default:
			return false
		}
		rest = bytes.TrimLeft(rest, " \t\r\n")
		if len(rest) == 0 || rest[0] != ',' {
			return false
		}
		b = rest[1:]
	}
	return h.Kind != "" && h.APIVersion != ""
}

// plainString reads a JSON string without escapes after optional white space, returning its
// contents and what follows.
func plainString(b []byte) (s, rest []byte, ok bool) {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 || b[0] != '"' {
		return nil, nil, false
	}
	end := bytes.IndexAny(b[1:], `"\`)
	if end < 0 || b[1+end] != '"' {
		return nil, nil, false
	}
	return b[1 : 1+end], b[2+end:], true
}

// sizeText writes a byte count in MiB, or in bytes when smaller.
func sizeText(n int) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// listItem is a List item decoded into the fields the decoder uses of each kind it reads
// (Pods, core/v1 and events.k8s.io/v1 Events, watch events), and nothing else. Items are
// cut from the stream as raw bytes and decoded on other cores (itemBatch): that costs a copy
// and a scan more than decoding from the stream, and on two cores a 300 MiB List still takes
// 3.6-4.3 s against 4.1-4.5 s in one goroutine (paired runs; every pair was faster). What
// the fields cannot tell (a watch event's object) is decoded by object from the raw bytes
// kept.
type listItem struct {
	objectHead
	Metadata objectMetaFields `json:"metadata"`
	Spec     podSpecObject    `json:"spec"`
	Status   podStatusObject  `json:"status"`

	// Events, core/v1 and events.k8s.io/v1
	InvolvedObject           *corev1.ObjectReference `json:"involvedObject"`
	Regarding                *corev1.ObjectReference `json:"regarding"`
	Reason                   string                  `json:"reason"`
	Message                  string                  `json:"message"`
	Note                     string                  `json:"note"`
	Type                     string                  `json:"type"` // also a watch event's
	Source                   corev1.EventSource      `json:"source"`
	DeprecatedSource         corev1.EventSource      `json:"deprecatedSource"`
	FirstTimestamp           metav1.Time             `json:"firstTimestamp"`
	LastTimestamp            metav1.Time             `json:"lastTimestamp"`
	DeprecatedFirstTimestamp metav1.Time             `json:"deprecatedFirstTimestamp"`
	DeprecatedLastTimestamp  metav1.Time             `json:"deprecatedLastTimestamp"`
	EventTime                metav1.MicroTime        `json:"eventTime"`
	Series                   *corev1.EventSeries     `json:"series"`
	Count                    int32                   `json:"count"`
	DeprecatedCount          int32                   `json:"deprecatedCount"`
	ReportingComponent       string                  `json:"reportingComponent"`  // core/v1's ReportingController
	ReportingController      string                  `json:"reportingController"` // events.k8s.io/v1's
	ReportingInstance        string                  `json:"reportingInstance"`

	// watch events: {"type":"ADDED","object":{…}}, eventrouter's {"verb":…,"event":{…}}
	Verb   string          `json:"verb"`
	Object json.RawMessage `json:"object"`
	Event  json.RawMessage `json:"event"`
}

// item emits what a List item holds, as object does for raw bytes: the kinds are told the
// same way, a kindless item by its fields (spec.containers for a Pod, involvedObject or
// regarding for an Event) where object looks for their names in the bytes.
func (d *objectDecoder) item(it *listItem, itemKind string, line int) {
	kind, apiVersion := it.Kind, it.APIVersion
	if kind == "" && itemKind == "" && (it.Type != "" || it.Verb != "") {
		for _, inner := range []json.RawMessage{it.Object, it.Event} {
			if len(inner) > 0 && inner[0] == '{' {
				d.object(inner, "", line)
				return
			}
		}
	}
	if kind == "" {
		kind = itemKind
	}
	if kind == "" {
		switch {
		case it.Spec.Containers != nil:
			kind, apiVersion = "Pod", "v1"
		case it.InvolvedObject != nil:
			kind, apiVersion = "Event", "v1"
		case it.Regarding != nil:
			kind, apiVersion = "Event", "events.k8s.io/v1"
		}
	}
	pos := Pos{Input: d.input, Line: line}
	meta := it.Metadata.objectMeta()
	ref := func(r *corev1.ObjectReference) corev1.ObjectReference {
		if r == nil {
			return corev1.ObjectReference{}
		}
		return *r
	}
	switch {
	case kind == "Pod":
		d.used++
		d.emit(newPodStatus(pos, podOf(meta, &it.Spec, &it.Status), ""))
	case kind == "Event" && apiVersion == "events.k8s.io/v1":
		e := eventsv1.Event{ObjectMeta: meta, Regarding: ref(it.Regarding), Reason: it.Reason, Note: it.Note, Type: it.Type,
			ReportingController: it.ReportingController, ReportingInstance: it.ReportingInstance,
			DeprecatedFirstTimestamp: it.DeprecatedFirstTimestamp, DeprecatedLastTimestamp: it.DeprecatedLastTimestamp,
			DeprecatedCount: it.DeprecatedCount, DeprecatedSource: it.DeprecatedSource, EventTime: it.EventTime}
		if it.Series != nil {
			e.Series = &eventsv1.EventSeries{Count: it.Series.Count, LastObservedTime: it.Series.LastObservedTime}
		}
		d.used++
		d.emitEvent(fromEventsV1(pos, &e))
	case kind == "Event":
		e := corev1.Event{ObjectMeta: meta, InvolvedObject: ref(it.InvolvedObject), Reason: it.Reason, Message: it.Message,
			Type: it.Type, Source: it.Source, FirstTimestamp: it.FirstTimestamp, LastTimestamp: it.LastTimestamp,
			Count: it.Count, EventTime: it.EventTime, Series: it.Series,
			ReportingController: it.ReportingComponent, ReportingInstance: it.ReportingInstance}
		d.used++
		d.emitEvent(fromCoreEvent(pos, &e))
	case kind == "":
		d.warn(line, "object without kind skipped")
	}
}
