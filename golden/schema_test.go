package golden

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/docs/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/tools/txtar"
)

// schemaPath is the published JSON contract (docs/report-json.md explains it); the tests
// compile the copy docs/schema embeds, which is this file.
const schemaPath = "../docs/schema/report.v1.json"

var (
	schemaOnce sync.Once
	compiled   *schema.Schemas
	schemaErr  error
)

func schemas(t *testing.T) (report, jsonl *jsonschema.Schema) {
	t.Helper()
	schemaOnce.Do(func() { compiled, schemaErr = schema.Compile() })
	if schemaErr != nil {
		t.Fatalf("%s: %v", schemaPath, schemaErr)
	}
	return compiled.Report, compiled.JSONLine
}

// validateJSON checks one JSON document against a schema.
func validateJSON(t *testing.T, sch *jsonschema.Schema, what, doc string) {
	t.Helper()
	if err := schema.Validate(sch, doc); err != nil {
		t.Errorf("%s does not follow %s:\n%v", what, schemaPath, err)
	}
}

// validateJSONLines checks every line of --format jsonl output.
func validateJSONLines(t *testing.T, what, out string) {
	t.Helper()
	_, jsonl := schemas(t)
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line != "" {
			validateJSON(t, jsonl, what+" line "+strconv.Itoa(i+1), line)
		}
	}
}

// checkSchema validates a case's JSON report and its JSON lines.
func checkSchema(t *testing.T, report, lines string) {
	t.Helper()
	rep, _ := schemas(t)
	validateJSON(t, rep, "the JSON report", report)
	validateJSONLines(t, "the JSON lines", lines)
}

// goldenReports are the want.json outputs of the golden cases that hold a report (a case whose
// run fails before the analysis has none).
func goldenReports(t *testing.T) map[string]string {
	t.Helper()
	cases, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases found: %v", err)
	}
	out := map[string]string{}
	for _, path := range cases {
		ar, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if want := fileOf(ar, "want.json"); strings.TrimSpace(want) != "" {
			out[filepath.Base(path)] = want
		}
	}
	return out
}

// TestSchemaGoldens validates every golden JSON report as committed against the schema.
func TestSchemaGoldens(t *testing.T) {
	report, _ := schemas(t)
	reps := goldenReports(t)
	if len(reps) < 50 {
		t.Fatalf("only %d golden JSON reports found", len(reps))
	}
	for name, doc := range reps {
		validateJSON(t, report, name, doc)
	}
}

// TestSchemaRejects shows the validation can fail: an undocumented field, a field of the wrong
// type, and an unlimited limit written as the kernel's number instead of null.
func TestSchemaRejects(t *testing.T) {
	report, _ := schemas(t)
	doc := goldenReports(t)["v2-oom-group.txtar"]
	if doc == "" {
		t.Fatal("golden case v2-oom-group has no JSON report")
	}
	for _, c := range []struct{ what, old, new string }{
		{"undocumented field", `"mechanism":`, `"bogus": 1, "mechanism":`},
		{"wrong type", `"confidence": "high"`, `"confidence": 3`},
		{"unknown mechanism", `"mechanism": "cgroup-oom"`, `"mechanism": "gremlins"`},
		{"unlimited as a number", `"swapLimitKiB": null`, `"swapLimitKiB": 9007199254740988`},
		{"bad time", `"time": "2026-`, `"time": "yesterday-`},
	} {
		bad := strings.Replace(doc, c.old, c.new, 1)
		if bad == doc {
			t.Errorf("%s: %q is not in the golden report", c.what, c.old)
			continue
		}
		if schema.Validate(report, bad) == nil {
			t.Errorf("%s: the schema accepts it", c.what)
		}
	}
}

// TestSchemaMerge validates what coroner merge writes from golden reports, and that an
// unlimited swap limit stays null through the read and write.
func TestSchemaMerge(t *testing.T) {
	report, _ := schemas(t)
	reps := goldenReports(t)
	dir := t.TempDir()
	var args []string
	for _, name := range []string{"k8s-two-nodes.txtar", "v2-oom-group.txtar", "sos-two-nodes-must-gather.txtar"} {
		p := filepath.Join(dir, strings.TrimSuffix(name, ".txtar")+".json")
		if err := os.WriteFile(p, []byte(reps[name]), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	out, stderr, code := runCoroner(t, dir, append([]string{"merge", "--format", "json"}, args...))
	if code != 0 {
		t.Fatalf("coroner merge exited %d: %s", code, stderr)
	}
	validateJSON(t, report, "coroner merge output", out)
	if !strings.Contains(out, `"swapLimitKiB": null`) {
		t.Error("the merged report lost the unlimited swap limit (null) of v2-oom-group")
	}
}

// TestSchemaCoversReportTypes walks the Go types of the report by reflection beside the
// schema: every JSON field must be a property of the matching schema object, with a
// description; every property must be a field; a field is required in the schema exactly when
// it is always written (no omitempty/omitzero); and a field that can be null (a pointer
// without omitempty) must allow null. So a new field without its documentation fails here.
func TestSchemaCoversReportTypes(t *testing.T) {
	var root map[string]any
	if err := json.Unmarshal(schema.ReportV1, &root); err != nil {
		t.Fatal(err)
	}
	w := &schemaWalk{t: t, root: root, seen: map[reflect.Type]bool{}}
	w.object(reflect.TypeOf(report.Report{}), root, "report")
	defs, _ := root["$defs"].(map[string]any)
	for name := range defs {
		if !w.usedDefs[name] && name != "jsonlRecord" {
			t.Errorf("$defs/%s is not reached from the report's types", name)
		}
	}
}

type schemaWalk struct {
	t        *testing.T
	root     map[string]any
	seen     map[reflect.Type]bool
	usedDefs map[string]bool
}

var (
	marshaler = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
	timeType  = reflect.TypeOf(report.Transfer{}.From)
)

// resolve follows $ref (and an anyOf of a $ref and null) to the schema object it names,
// merging the properties and required lists met on the way.
func (w *schemaWalk) resolve(s map[string]any) (props map[string]any, required map[string]bool) {
	props, required = map[string]any{}, map[string]bool{}
	for s != nil {
		if p, ok := s["properties"].(map[string]any); ok {
			for k, v := range p {
				props[k] = v
			}
		}
		if r, ok := s["required"].([]any); ok {
			for _, k := range r {
				required[k.(string)] = true
			}
		}
		s = w.deref(s)
	}
	return props, required
}

// deref is the schema a $ref (or an anyOf holding one) points to; nil when none.
func (w *schemaWalk) deref(s map[string]any) map[string]any {
	ref, _ := s["$ref"].(string)
	if ref == "" {
		if alts, ok := s["anyOf"].([]any); ok {
			for _, a := range alts {
				if m, ok := a.(map[string]any); ok && m["$ref"] != nil {
					ref = m["$ref"].(string)
				}
			}
		}
	}
	name, ok := strings.CutPrefix(ref, "#/$defs/")
	if !ok {
		return nil
	}
	if w.usedDefs == nil {
		w.usedDefs = map[string]bool{}
	}
	w.usedDefs[name] = true
	defs, _ := w.root["$defs"].(map[string]any)
	d, _ := defs[name].(map[string]any)
	if d == nil {
		w.t.Errorf("%s: no $defs/%s", ref, name)
	}
	return d
}

// types are the JSON types a schema allows ("type" as a string or a list, or the members of
// an anyOf; a $ref to an object is "object").
func (w *schemaWalk) types(s map[string]any) map[string]bool {
	out := map[string]bool{}
	switch t := s["type"].(type) {
	case string:
		out[t] = true
	case []any:
		for _, x := range t {
			out[x.(string)] = true
		}
	}
	if s["$ref"] != nil {
		out["object"] = true
	}
	if alts, ok := s["anyOf"].([]any); ok {
		for _, a := range alts {
			for k := range w.types(a.(map[string]any)) {
				out[k] = true
			}
		}
	}
	return out
}

type jsonField struct {
	name   string
	omit   bool
	typ    reflect.Type
	goName string
}

// fieldsOf lists the JSON fields of a struct as encoding/json writes them, embedded structs
// flattened.
func fieldsOf(typ reflect.Type) []jsonField {
	var out []jsonField
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, fieldsOf(f.Type)...)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		omit := strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")
		out = append(out, jsonField{name, omit, f.Type, typ.Name() + "." + f.Name})
	}
	return out
}

func (w *schemaWalk) object(typ reflect.Type, s map[string]any, where string) {
	if w.seen[typ] {
		return
	}
	w.seen[typ] = true
	props, required := w.resolve(s)
	fields := map[string]bool{}
	for _, f := range fieldsOf(typ) {
		fields[f.name] = true
		at := where + "." + f.name
		p, ok := props[f.name].(map[string]any)
		if !ok {
			w.t.Errorf("%s (%s) is not in the schema", at, f.goName)
			continue
		}
		if d, _ := p["description"].(string); strings.TrimSpace(d) == "" {
			w.t.Errorf("%s has no description in the schema", at)
		}
		if required[f.name] == f.omit {
			w.t.Errorf("%s: required in the schema is %v, but the field is always written: %v", at, required[f.name], !f.omit)
		}
		if f.typ.Kind() == reflect.Pointer && !f.omit && !w.types(p)["null"] {
			w.t.Errorf("%s can be null (a %s without omitempty), the schema does not allow it", at, f.typ)
		}
		w.value(f.typ, p, at)
	}
	for name := range props {
		if !fields[name] {
			w.t.Errorf("%s.%s is in the schema but %s has no such field", where, name, typ)
		}
	}
}

// value checks a field's Go type against its schema: the JSON type, and arrays, maps and
// objects inside.
func (w *schemaWalk) value(typ reflect.Type, s map[string]any, where string) {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	types := w.types(s)
	want := ""
	switch {
	case typ == timeType:
		want = "string"
	case typ.Implements(marshaler) || reflect.PointerTo(typ).Implements(marshaler):
		return // its own encoding: the golden reports check it
	}
	if want == "" {
		switch typ.Kind() {
		case reflect.String:
			want = "string"
		case reflect.Bool:
			want = "boolean"
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			want = "integer"
		case reflect.Float32, reflect.Float64:
			want = "number"
		case reflect.Slice, reflect.Array:
			want = "array"
		case reflect.Map:
			want = "object"
		case reflect.Struct:
			want = "object"
		}
	}
	if !types[want] {
		w.t.Errorf("%s is a JSON %s (Go %s); the schema says %v", where, want, typ, keys(types))
		return
	}
	switch typ.Kind() {
	case reflect.Slice, reflect.Array:
		items, _ := s["items"].(map[string]any)
		if items == nil {
			w.t.Errorf("%s: an array without items in the schema", where)
			return
		}
		w.value(typ.Elem(), items, where+"[]")
	case reflect.Map:
		vals, _ := s["additionalProperties"].(map[string]any)
		if vals == nil {
			w.t.Errorf("%s: a map without additionalProperties in the schema", where)
			return
		}
		w.value(typ.Elem(), vals, where+"{}")
	case reflect.Struct:
		if typ != timeType {
			target := w.deref(s)
			if target == nil {
				target = s
			}
			if target["additionalProperties"] != false && target["unevaluatedProperties"] != false {
				w.t.Errorf("%s: the schema object is open (no additionalProperties: false)", where)
			}
			w.object(typ, s, where)
		}
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
