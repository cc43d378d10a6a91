package correlate

import "github.com/k8s-coroner/coroner/correlate/report"

// internTexts makes the deaths share one copy of each sentence they have in common. The
// summary, advice, notes and reasons are written per death, and the deaths of a crash-looping
// container, thousands of them, say the same words: the report then holds each once.
func internTexts(ds []report.Death) {
	seen := map[string]string{}
	one := func(s *string) {
		if len(*s) < 32 { // short words are cheaper to keep than to look up
			return
		}
		if t, ok := seen[*s]; ok {
			*s = t
			return
		}
		seen[*s] = *s
	}
	all := func(list []string) {
		for i := range list {
			one(&list[i])
		}
	}
	for i := range ds {
		d := &ds[i]
		one(&d.Summary)
		all(d.Advice)
		all(d.Notes)
		all(d.RuledOut)
		all(d.Missing)
		if f := d.Fix; f != nil {
			one(&f.Basis)
			one(&f.Command)
		}
	}
}
