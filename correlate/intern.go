package correlate

import "github.com/k8s-coroner/coroner/correlate/report"

// sentences lets the deaths share one copy of each sentence they have in common. The
// summary, advice, notes and reasons are written per death, and the deaths of a crash-looping
// container, thousands of them, say the same words: the report then holds each once. The
// judge and explain phases share each death's words as soon as they are written, so the
// copies never pile up (with 45k deaths they were 30 MB at the peak).
type sentences struct{ seen map[string]string }

// share makes s the shared copy of its words.
func (t *sentences) share(s *string) {
	if len(*s) < 32 { // short words are cheaper to keep than to look up
		return
	}
	if t.seen == nil {
		t.seen = map[string]string{}
	}
	if u, ok := t.seen[*s]; ok {
		*s = u
		return
	}
	t.seen[*s] = *s
}

func (t *sentences) shareAll(list []string) {
	for i := range list {
		t.share(&list[i])
	}
}

// death shares every sentence of d.
func (t *sentences) death(d *report.Death) {
	t.share(&d.Summary)
	t.shareAll(d.Advice)
	t.shareAll(d.Notes)
	t.shareAll(d.RuledOut)
	t.shareAll(d.Missing)
	if f := d.Fix; f != nil {
		t.share(&f.Basis)
		t.share(&f.Command)
	}
}
