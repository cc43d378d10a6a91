package estest

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
)

// eval answers whether a document matches the query subset: match_all, bool (filter, must,
// should with minimum_should_match, must_not), range on dates, match_phrase on text analysed
// like the standard analyzer, term, terms and exists.
func eval(q map[string]any, src map[string]any) (bool, error) {
	if len(q) == 0 {
		return true, nil
	}
	for kind, body := range q {
		b, _ := body.(map[string]any)
		switch kind {
		case "match_all":
			return true, nil
		case "bool":
			return evalBool(b, src)
		case "range":
			for field, spec := range b {
				return inRange(lookup(src, field), spec.(map[string]any))
			}
		case "match_phrase":
			for field, v := range b {
				phrase := fmt.Sprint(v)
				if m, ok := v.(map[string]any); ok {
					phrase = fmt.Sprint(m["query"])
				}
				return containsPhrase(fmt.Sprint(lookup(src, field)), phrase), nil
			}
		case "term":
			for field, v := range b {
				if m, ok := v.(map[string]any); ok {
					v = m["value"]
				}
				return fmt.Sprint(lookup(src, field)) == fmt.Sprint(v), nil
			}
		case "terms":
			for field, v := range b {
				have := fmt.Sprint(lookup(src, field))
				for _, x := range v.([]any) {
					if fmt.Sprint(x) == have {
						return true, nil
					}
				}
				return false, nil
			}
		case "exists":
			return lookup(src, fmt.Sprint(b["field"])) != nil, nil
		default:
			return false, fmt.Errorf("unknown query [%s]", kind)
		}
	}
	return false, nil
}

func evalBool(b map[string]any, src map[string]any) (bool, error) {
	clauses := func(k string) []map[string]any {
		var out []map[string]any
		switch v := b[k].(type) {
		case []any:
			for _, c := range v {
				out = append(out, c.(map[string]any))
			}
		case map[string]any:
			out = append(out, v)
		}
		return out
	}
	for _, k := range []string{"filter", "must"} {
		for _, c := range clauses(k) {
			if ok, err := eval(c, src); !ok || err != nil {
				return false, err
			}
		}
	}
	for _, c := range clauses("must_not") {
		if ok, err := eval(c, src); ok || err != nil {
			return false, err
		}
	}
	should := clauses("should")
	if len(should) == 0 {
		return true, nil
	}
	min := 1
	if v, ok := b["minimum_should_match"]; ok {
		fmt.Sscan(fmt.Sprint(v), &min)
	} else if len(clauses("filter"))+len(clauses("must")) > 0 {
		min = 0
	}
	n := 0
	for _, c := range should {
		ok, err := eval(c, src)
		if err != nil {
			return false, err
		}
		if ok {
			n++
		}
	}
	return n >= min, nil
}

func inRange(v any, spec map[string]any) (bool, error) {
	t, ok := asTime(v)
	if !ok {
		return false, nil
	}
	for op, bound := range spec {
		if op == "format" {
			continue
		}
		b, ok := asTime(bound)
		if !ok {
			return false, fmt.Errorf("failed to parse date field [%v]", bound)
		}
		switch op {
		case "gte":
			if t.Before(b) {
				return false, nil
			}
		case "gt":
			if !t.After(b) {
				return false, nil
			}
		case "lt":
			if !t.Before(b) {
				return false, nil
			}
		case "lte":
			if t.After(b) {
				return false, nil
			}
		}
	}
	return true, nil
}

// tokens approximates the standard analyzer: Unicode word breaks (letters and digits, joined
// across ':', '.', '\” between letters and '_' anywhere), lower-cased. So
// "oom-kill:constraint=X" gives [oom kill:constraint x], which is why a phrase must be built
// from whole tokens (docs/log-stores.md, addendum 2).
func tokens(s string) []string {
	var out []string
	rs := []rune(s)
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = nil
		}
	}
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }
	for i, r := range rs {
		switch {
		case word(r):
			cur = append(cur, r)
		case (r == ':' || r == '.' || r == '\'') && len(cur) > 0 && i+1 < len(rs) && word(rs[i+1]):
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

func containsPhrase(text, phrase string) bool {
	t, p := tokens(text), tokens(phrase)
	if len(p) == 0 {
		return false
	}
	for i := 0; i+len(p) <= len(t); i++ {
		ok := true
		for j := range p {
			if t[i+j] != p[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// lookup reads a field by its dotted path, through nested objects or flat dotted keys.
func lookup(src map[string]any, path string) any {
	if v, ok := src[path]; ok {
		return v
	}
	for i := strings.IndexByte(path, '.'); i > 0; i = nextDot(path, i) {
		if m, ok := src[path[:i]].(map[string]any); ok {
			if v := lookup(m, path[i+1:]); v != nil {
				return v
			}
		}
	}
	return nil
}

func nextDot(path string, i int) int {
	j := strings.IndexByte(path[i+1:], '.')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// project keeps the _source includes asked for.
func project(src map[string]any, spec json.RawMessage) map[string]any {
	var s struct {
		Includes []string `json:"includes"`
	}
	if len(spec) == 0 || json.Unmarshal(spec, &s) != nil || len(s.Includes) == 0 {
		return src
	}
	out := map[string]any{}
	for _, f := range s.Includes {
		if v := lookup(src, f); v != nil {
			set(out, f, v)
		}
	}
	return out
}

func set(m map[string]any, path string, v any) {
	head, rest, ok := strings.Cut(path, ".")
	if !ok {
		m[path] = v
		return
	}
	sub, _ := m[head].(map[string]any)
	if sub == nil {
		sub = map[string]any{}
		m[head] = sub
	}
	set(sub, rest, v)
}
