package cli

import "github.com/k8s-coroner/coroner/parsers"

// faultOf is what the fault warning of an input says: where the read stopped and why, so the
// message on standard error and the one in the report are the same words.
func faultOf(in *parsers.InputResult) string {
	for _, w := range in.Warnings {
		if w.Fault {
			return w.Message
		}
	}
	return in.Fault.Error()
}
