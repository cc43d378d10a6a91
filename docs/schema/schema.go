// Package schema holds the published JSON Schema of coroner's report (report.v1.json, the
// coroner/v1 contract) and compiles it, so the tests of every command that writes a report
// validate what it writes against the same file the users read.
package schema

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ReportV1 is docs/schema/report.v1.json.
//
//go:embed report.v1.json
var ReportV1 []byte

// ID is the schema's $id, under which its definitions are named.
const ID = "https://github.com/k8s-coroner/coroner/docs/schema/report.v1.json"

// Schemas are the compiled report schema and the schema of one --format jsonl line.
type Schemas struct {
	Report, JSONLine *jsonschema.Schema
}

// Compile compiles the schema with formats (date-time) asserted, not only annotated.
func Compile() (*Schemas, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(ReportV1))
	if err != nil {
		return nil, fmt.Errorf("report.v1.json: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(ID, doc); err != nil {
		return nil, err
	}
	var s Schemas
	if s.Report, err = c.Compile(ID); err != nil {
		return nil, err
	}
	if s.JSONLine, err = c.Compile(ID + "#/$defs/jsonlRecord"); err != nil {
		return nil, err
	}
	return &s, nil
}

// Validate checks one JSON document against a compiled schema.
func Validate(sch *jsonschema.Schema, doc string) error {
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return sch.Validate(inst)
}
