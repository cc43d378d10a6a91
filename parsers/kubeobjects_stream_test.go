package parsers

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/k8s-coroner/coroner/parsers/synth"
	"github.com/k8s-coroner/coroner/sources"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// parseRaw parses text as a file is read: from its raw stream.
func parseRaw(t *testing.T, text string) ([]Event, *InputResult) {
	t.Helper()
	var events []Event
	res := ParseInput(bytesInput("t", []byte(text)), Options{Clock: Clock{Year: 2025}}, func(e Event) { events = append(events, e) })
	return events, res
}

// synthPods are the Pods synth.PodList writes first, decoded whole with corev1.Pod: what the
// streamed List must give.
func synthPods(n, oomEvery int) []PodFacts {
	r := rand.New(rand.NewPCG(7, 11))
	var out []PodFacts
	for i := range n {
		p := synth.Pod(r, i, oomEvery)
		out = append(out, podFacts(&p))
	}
	return out
}

func podFactsOf(t *testing.T, events []Event) []PodFacts {
	t.Helper()
	var out []PodFacts
	for _, e := range events {
		ps, ok := e.(*PodStatus)
		if !ok {
			t.Fatalf("unexpected event %T", e)
		}
		out = append(out, ps.Pod)
	}
	return out
}

// A List is decoded item by item into the same Pod facts as decoding each Pod whole, at the
// same lines whether read from records or from the raw stream.
func TestListStreamedItemByItem(t *testing.T) {
	var buf bytes.Buffer
	n, ooms, err := synth.PodList(&buf, 200<<10, 5, false)
	if err != nil || ooms == 0 {
		t.Fatal(n, ooms, err)
	}
	lineEvents, lineRes := parseText(t, buf.String())
	rawEvents, rawRes := parseRaw(t, buf.String())
	want := synthPods(n, 5)
	if diff := cmp.Diff(want, podFactsOf(t, rawEvents)); diff != "" {
		t.Errorf("raw stream: pod facts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(summary(lineEvents), summary(rawEvents)); diff != "" {
		t.Errorf("records and raw stream differ (-records +raw):\n%s", diff)
	}
	if lineRes.Lines != rawRes.Lines || len(rawRes.Warnings) != 0 || len(lineRes.Warnings) != 0 {
		t.Errorf("lines %d and %d, warnings %v and %v", lineRes.Lines, rawRes.Lines, lineRes.Warnings, rawRes.Warnings)
	}
	// each Pod's line is its "{"
	text := buf.String()
	for i, e := range rawEvents[:3] {
		at := strings.Index(text, fmt.Sprintf(`"name": "%s"`, e.(*PodStatus).Pod.Name))
		start := strings.LastIndex(text[:at], "        {\n")
		if got, want := e.(*PodStatus).Pos.Line, strings.Count(text[:start], "\n")+1; got != want {
			t.Errorf("pod %d at line %d, want %d", i, got, want)
		}
	}
}

// A one-line List far longer than sources.MaxLineBytes (jq -c, the API's own output) is read
// whole from the raw stream, not cut at the line cap.
func TestOneLineListOfOneMegabyte(t *testing.T) {
	var buf bytes.Buffer
	n, _, err := synth.PodList(&buf, 1<<20, 5, true)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Count(buf.Bytes(), []byte("\n")) != 1 || buf.Len() < 1<<20 {
		t.Fatalf("not a one-line List of 1 MiB: %d bytes", buf.Len())
	}
	events, res := parseRaw(t, buf.String())
	if diff := cmp.Diff(synthPods(n, 5), podFactsOf(t, events)); diff != "" {
		t.Errorf("pod facts (-want +got):\n%s", diff)
	}
	if res.Lines != 1 || len(res.Warnings) != 0 || res.Kind != sources.KindKubeObjects {
		t.Errorf("%d lines, kind %s, warnings %v", res.Lines, res.Kind, res.Warnings)
	}
	for _, e := range events {
		if e.First().Line != 1 {
			t.Fatalf("pod at line %d", e.First().Line)
		}
	}
}

// yamlList prints a List the way kubectl -o yaml does (items at column 0), or with its items
// indented under items: (yaml.v3 style) when indent.
func yamlList(t *testing.T, items []any, indent bool) string {
	t.Helper()
	b, err := yaml.Marshal(map[string]any{"apiVersion": "v1", "kind": "List", "items": items, "metadata": map[string]any{"resourceVersion": ""}})
	if err != nil {
		t.Fatal(err)
	}
	if !indent {
		return string(b)
	}
	var out strings.Builder
	in := false
	for line := range strings.Lines(string(b)) {
		switch {
		case line == "items:\n":
			in = true
		case in && (strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "  ")):
			line = "  " + line
		default:
			in = false
		}
		out.WriteString(line)
	}
	return out.String()
}

// YAML documents are each decoded alone; a List document's items, at column 0 or indented,
// are cut one by one, with comments and blank lines among them.
func TestYAMLSeveralDocuments(t *testing.T) {
	pod, err := yaml.Marshal(oomPod("api-1"))
	if err != nil {
		t.Fatal(err)
	}
	ev2 := evictedEvent()
	ev2.InvolvedObject.Name = "web-2"
	events := yamlList(t, []any{evictedEvent(), ev2}, false)
	events = strings.Replace(events, "\n- ", "\n\n# the second\n- ", 1)
	pods := yamlList(t, []any{oomPod("api-2"), oomPod("api-3")}, true)
	text := string(pod) + "---\n" + events + "---\n" + pods + "---\n"
	at := func(doc string) string { return itoaTest(strings.Count(text[:strings.Index(text, doc)], "\n") + 1) }
	want := []string{"pod payments/api-1 line 1",
		"event Evicted web on node1 at 2025-03-29T06:48:51Z line " + at(events),
		"event Evicted web-2 on node1 at 2025-03-29T06:48:51Z line " + at(events),
		"pod payments/api-2 line " + at(pods), "pod payments/api-3 line " + at(pods)}
	for name, parse := range map[string]func(*testing.T, string) ([]Event, *InputResult){"records": parseText, "raw": parseRaw} {
		got, res := parse(t, text)
		if diff := cmp.Diff(want, summary(got)); diff != "" {
			t.Errorf("%s: events (-want +got):\n%s", name, diff)
		}
		if len(res.Warnings) != 0 || res.Lines != strings.Count(text, "\n") {
			t.Errorf("%s: %d lines, warnings %v", name, res.Lines, res.Warnings)
		}
	}
	// the whole-document decoder gives the same facts as the item by item one
	got, _ := parseRaw(t, events)
	whole, _ := parseRaw(t, string(mustYAMLToJSON(t, events)))
	if diff := cmp.Diff(whole, got, cmp.Comparer(func(a, b Pos) bool { return true })); diff != "" {
		t.Errorf("streamed items differ from the document decoded whole (-whole +streamed):\n%s", diff)
	}
}

func mustYAMLToJSON(t *testing.T, s string) []byte {
	t.Helper()
	j, err := yaml.YAMLToJSON([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// A YAML document larger than the cap is skipped with a warning naming its line, and so is a
// List item; the other documents and items are still read.
func TestYAMLDocumentOverCap(t *testing.T) {
	big := oomPod("big")
	big.Annotations = map[string]string{"kubectl.kubernetes.io/last-applied-configuration": strings.Repeat("x", 5000)}
	y := func(v any) string {
		b, err := yaml.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	list := yamlList(t, []any{oomPod("api-2"), big, oomPod("api-3")}, false)
	text := y(oomPod("api-1")) + "---\n" + y(big) + "---\n" + y(evictedEvent()) + "---\n" + list
	bigLine := strings.Count(text[:strings.Index(text, "---\n")], "\n") + 2
	listLine := strings.Count(text[:strings.Index(text, list)], "\n") + 1
	itemLine := listLine + strings.Count(list[:strings.LastIndex(list[:strings.Index(list, "xxxx")], "\n- ")+1], "\n")
	var events []Event
	var warns []string
	br := bufio.NewReaderSize(strings.NewReader(text), sources.MaxLineBytes)
	d := &objectDecoder{r: newRawStream(br), input: "t", yamlCap: 4096,
		emit: func(e Event) { events = append(events, e) },
		warn: func(line int, msg string) { warns = append(warns, itoaTest(line)+": "+msg) }}
	d.decode(true)
	want := []string{"pod payments/api-1 line 1", "event Evicted web on node1 at 2025-03-29T06:48:51Z line " + itoaTest(bigLine+strings.Count(y(big), "\n")+1),
		"pod payments/api-2 line " + itoaTest(listLine), "pod payments/api-3 line " + itoaTest(listLine)}
	if diff := cmp.Diff(want, summary(events)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	wantWarns := []string{
		itoaTest(bigLine) + ": YAML document at line " + itoaTest(bigLine) + " is larger than 4096 bytes (the most YAML held whole for decoding), skipped",
		itoaTest(itemLine) + ": YAML List item at line " + itoaTest(itemLine) + " is larger than 4096 bytes (the most YAML held whole for decoding), skipped",
	}
	if diff := cmp.Diff(wantWarns, warns); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

// A List item decoded straight from the stream gives the same event as the object decoded
// from its bytes, whatever its kind and whether it names it.
func TestListItemSameAsObject(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	series := eventsv1.Event{TypeMeta: metav1.TypeMeta{Kind: "Event", APIVersion: "events.k8s.io/v1"},
		ObjectMeta: metav1.ObjectMeta{Name: "x", Namespace: "payments", Annotations: map[string]string{"a": "b"}},
		EventTime:  metav1.NewMicroTime(t0.Time), ReportingController: "kubelet", ReportingInstance: "node2",
		Series: &eventsv1.EventSeries{Count: 4, LastObservedTime: metav1.NewMicroTime(t0.Add(time.Minute))},
		Reason: "Killing", Regarding: corev1.ObjectReference{Kind: "Pod", Name: "db"}, Note: "Stopping container db", Type: "Normal",
		DeprecatedSource: corev1.EventSource{Component: "kubelet", Host: "node3"}, DeprecatedCount: 2}
	core := evictedEvent()
	core.Series = &corev1.EventSeries{Count: 3, LastObservedTime: metav1.NewMicroTime(t0.Add(time.Hour))}
	core.ReportingController, core.ReportingInstance = "kubelet", "node1"
	core.Annotations = map[string]string{"offending_containers": "app"}
	kindless := core
	kindless.TypeMeta = metav1.TypeMeta{}
	kindlessNew := series
	kindlessNew.TypeMeta = metav1.TypeMeta{}
	pod := synth.Pod(r, 0, 1)
	kindlessPod := synth.Pod(r, 1, 1)
	kindlessPod.TypeMeta = metav1.TypeMeta{}
	items := []any{pod, kindlessPod, core, kindless, series, kindlessNew, synth.Event(3, 1),
		map[string]any{"type": "ADDED", "object": core}, map[string]any{"verb": "UPDATED", "event": series},
		map[string]any{"kind": "Node", "apiVersion": "v1"}, map[string]any{"metadata": map[string]any{"name": "x"}}}
	for i, it := range items {
		raw, err := json.Marshal(it)
		if err != nil {
			t.Fatal(err)
		}
		var fromObject, fromItem []Event
		var warnObject, warnItem []string
		d := &objectDecoder{input: "t", emit: func(e Event) { fromObject = append(fromObject, e) }, warn: func(_ int, m string) { warnObject = append(warnObject, m) }}
		d.object(raw, "", 7)
		var item listItem
		if err := json.Unmarshal(raw, &item); err != nil {
			t.Fatal(err)
		}
		d = &objectDecoder{input: "t", emit: func(e Event) { fromItem = append(fromItem, e) }, warn: func(_ int, m string) { warnItem = append(warnItem, m) }}
		d.item(&item, "", 7)
		if diff := cmp.Diff(fromObject, fromItem); diff != "" || len(fromObject)+len(warnObject) == 0 && i != 9 {
			t.Errorf("item %d: object and item differ (-object +item):\n%s", i, diff)
		}
		if diff := cmp.Diff(warnObject, warnItem); diff != "" {
			t.Errorf("item %d: warnings (-object +item):\n%s", i, diff)
		}
	}
}

// A source that only gives lines (no raw stream) cuts a one-line List at the line cap: that
// is said, with the line, rather than left to a JSON error.
func TestCutListFromLinesOnlySource(t *testing.T) {
	var buf bytes.Buffer
	if _, _, err := synth.PodList(&buf, 200<<10, 5, true); err != nil {
		t.Fatal(err)
	}
	_, res := parseText(t, buf.String())
	found := false
	for _, w := range res.Warnings {
		found = found || w.Line == 1 && strings.Contains(w.Message, "line longer than 64 KiB, cut by a source that only gives lines")
	}
	if !found {
		t.Errorf("no warning of the cut line: %v", res.Warnings)
	}
}

// A List of several batches (itemBatch) gives its items in order, and an item that does not
// decode is a warning at its own line, between the items around it.
func TestListAcrossBatches(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	n, bad := 2*batchItems+40, batchItems+17
	var want []PodFacts
	var b strings.Builder
	b.WriteString("{\n\"kind\": \"List\",\n\"items\": [\n")
	badLine := 0
	for i := range n + 1 {
		if i > 0 {
			b.WriteString(",\n")
		}
		if i == bad {
			badLine = strings.Count(b.String(), "\n") + 1
			b.WriteString(`{"kind": "Pod", "metadata": "not an object"}`)
			continue
		}
		p := synth.Pod(r, i, 5)
		want = append(want, podFacts(&p))
		j, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(j)
	}
	b.WriteString("\n]\n}\n")
	events, res := parseRaw(t, b.String())
	if diff := cmp.Diff(want, podFactsOf(t, events)); diff != "" {
		t.Errorf("pod facts (-want +got):\n%s", diff)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Line != badLine || !strings.Contains(res.Warnings[0].Message, "object not understood") {
		t.Errorf("warnings %+v, want one at line %d", res.Warnings, badLine)
	}
}

// A YAML List of several batches gives its items in order; an item that is not YAML says so
// at its own line, and what follows the List in the next document comes after every item.
func TestYAMLListAcrossBatches(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	var items []any
	var want []PodFacts
	for i := range 2*batchItems + 40 {
		p := synth.Pod(r, i, 5)
		want = append(want, podFacts(&p))
		items = append(items, p)
	}
	text := yamlList(t, items, false)
	// one item that YAML cannot read, in the second batch
	entries := strings.SplitAfter(text, "\n- ")
	badAt := batchItems + 17
	entries[badAt] = "key: [unclosed\n- " + entries[badAt]
	text = strings.Join(entries, "")
	badLine := strings.Count(strings.Join(entries[:badAt], ""), "\n") + 1
	last := synth.Pod(r, 10_000, 5)
	want = append(want, podFacts(&last))
	doc, err := yaml.Marshal(last)
	if err != nil {
		t.Fatal(err)
	}
	events, res := parseRaw(t, text+"---\n"+string(doc))
	if diff := cmp.Diff(want, podFactsOf(t, events)); diff != "" {
		t.Errorf("pod facts (-want +got):\n%s", diff)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Line != badLine || !strings.Contains(res.Warnings[0].Message, "YAML List item not understood") {
		t.Errorf("warnings %+v, want one at line %d", res.Warnings, badLine)
	}
}

// JSON that breaks early is skipped to its end: the line count is the input's on both paths,
// however far the decoder had read ahead, and a read fault past the break is still reported
// (FuzzStream found the two paths counting 2 and 101 lines of "[\n0[\n0…").
func TestBrokenJSONIsReadToItsEnd(t *testing.T) {
	text := "[\n0[\n" + strings.Repeat("0[\n", 5000) + "0"
	records, stream := parseBoth(t, []byte(text), 4<<10, nil)
	if diff := cmp.Diff(records, stream); diff != "" {
		t.Errorf("the stream differs from the records (-records +stream):\n%s", diff)
	}
	for _, size := range []int{64, 4 << 10, 1 << 20} {
		saved := blockSize
		blockSize = size
		fault := errors.New("gzip: invalid checksum")
		for name, in := range map[string]*sources.Input{
			"records": {Name: "in", Records: sources.Lines(io.MultiReader(strings.NewReader(text), errReader{fault}))},
			"raw": {Name: "in", Raw: func(read func(*bufio.Reader) error) error {
				return read(bufio.NewReaderSize(io.MultiReader(strings.NewReader(text), errReader{fault}), sources.MaxLineBytes))
			}},
		} {
			res := ParseInput(in, Options{}, func(Event) {})
			if res.Lines != 5003 || !errors.Is(res.Fault, fault) {
				t.Errorf("%s in blocks of %d: %d lines, fault %v; want 5003 lines and the checksum fault", name, size, res.Lines, res.Fault)
			}
		}
		blockSize = saved
	}
}
