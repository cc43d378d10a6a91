package parsers

import "strings"

// TriggerPattern is an extended regular expression (grep -E, LogQL |~) that matches every
// line some parser's prefilter lets through: the same words, so a pushed-down query and the
// parsers never drift apart.
func TriggerPattern() string {
	return triggerPattern(func(Spec) bool { return true })
}

// NodeTriggerPattern is TriggerPattern without the Event parser's words: the line filter of a
// query over node logs, whose Events are selected by reason in a query of their own.
func NodeTriggerPattern() string {
	return triggerPattern(func(s Spec) bool { return !s.Events })
}

func triggerPattern(keep func(Spec) bool) string {
	var alts []string
	for _, s := range Registry {
		if !keep(s) {
			continue
		}
		for _, t := range s.Triggers {
			alts = append(alts, quoteERE(t))
		}
	}
	return strings.Join(alts, "|")
}

func quoteERE(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\.+*?()|[]{}^$`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// phraseFixes rewrite trigger words whose bytes do not survive a search engine's standard
// analyzer as a phrase (docs/log-stores.md, addendum 2): Unicode word breaks keep "kill:constraint"
// one token, so "oom-kill:" must be asked as "oom-kill:constraint"; and a trigger that is part
// of a word ("viction manager", for both capitalisations) must be the whole word.
var phraseFixes = map[string]string{
	"oom-kill:":       "oom-kill:constraint",
	"viction manager": "eviction manager",
}

// TriggerPhrases are the node parsers' trigger words as match_phrase queries for
// Elasticsearch and OpenSearch: whole tokens, case folded by the analyzer.
func TriggerPhrases() []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range Registry {
		if s.Events { // Event documents are selected by their reason field
			continue
		}
		for _, t := range s.Triggers {
			p := strings.TrimSpace(t)
			if f, ok := phraseFixes[t]; ok {
				p = f
			}
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}
