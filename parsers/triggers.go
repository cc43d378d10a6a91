package parsers

import "strings"

// TriggerPattern is an extended regular expression (grep -E, LogQL |~) that matches every
// line some parser's prefilter lets through: the same words, so a pushed-down query and the
// parsers never drift apart.
func TriggerPattern() string {
	var alts []string
	for _, s := range Registry {
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
