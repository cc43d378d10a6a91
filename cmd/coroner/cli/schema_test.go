package cli

import (
	"sync"
	"testing"

	"github.com/k8s-coroner/coroner/docs/schema"
)

var (
	schemaOnce sync.Once
	schemas    *schema.Schemas
	schemaErr  error
)

// checkSchema validates a JSON report a command wrote against docs/schema/report.v1.json:
// coroner node's live node state and the log stores' transfer are only written here, not by
// the golden cases.
func checkSchema(t *testing.T, what, report string) {
	t.Helper()
	schemaOnce.Do(func() { schemas, schemaErr = schema.Compile() })
	if schemaErr != nil {
		t.Fatal(schemaErr)
	}
	if err := schema.Validate(schemas.Report, report); err != nil {
		t.Errorf("%s does not follow docs/schema/report.v1.json:\n%v", what, err)
	}
}
