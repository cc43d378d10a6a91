package cli

import (
	"strings"

	"github.com/k8s-coroner/coroner/parsers"
)

// faultOf is what the fault warning of an input says, led by the input's name: where the
// read stopped and why, so the message on standard error and the one in the report are the
// same words.
func faultOf(in *parsers.InputResult) string {
	msg := in.Fault.Error()
	for _, w := range in.Warnings {
		if w.Fault {
			msg = w.Message
			break
		}
	}
	if strings.HasPrefix(msg, in.Name+": ") {
		return msg
	}
	return in.Name + ": " + msg
}
