// Package render writes a correlate.Report for people (text) and for programs (JSON).
package render

import (
	"encoding/json"
	"io"

	"github.com/k8s-coroner/coroner/correlate"
)

// Formats lists the output formats, for the CLI's enum and help.
var Formats = []string{"text", "json"}

// Write renders rep in the named format.
func Write(w io.Writer, format string, rep *correlate.Report) error {
	if format == "json" {
		return JSON(w, rep)
	}
	return Text(w, rep)
}

// JSON writes the report as indented JSON: the coroner/v1 contract.
func JSON(w io.Writer, rep *correlate.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
