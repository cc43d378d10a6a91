package lokitest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// query is the LogQL subset the fake understands: a stream selector with =, !=, =~ and !~
// matchers, then line filters |=, !=, |~ and !~ with "quoted" or `raw` strings.
type query struct {
	matchers []matcher
	filters  []filter
}

type matcher struct {
	name, op, value string
	re              *regexp.Regexp
}

type filter struct {
	op, value string
	re        *regexp.Regexp
}

func (q query) matches(set map[string]string) bool {
	for _, m := range q.matchers {
		v := set[m.name]
		switch m.op {
		case "=":
			if v != m.value {
				return false
			}
		case "!=":
			if v == m.value {
				return false
			}
		case "=~":
			if !m.re.MatchString(v) {
				return false
			}
		case "!~":
			if m.re.MatchString(v) {
				return false
			}
		}
	}
	return true
}

func (q query) keeps(line string) bool {
	for _, f := range q.filters {
		switch f.op {
		case "|=":
			if !strings.Contains(line, f.value) {
				return false
			}
		case "!=":
			if strings.Contains(line, f.value) {
				return false
			}
		case "|~":
			if !f.re.MatchString(line) {
				return false
			}
		case "!~":
			if f.re.MatchString(line) {
				return false
			}
		}
	}
	return true
}

func parseQuery(s string) (query, error) {
	var q query
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "{") {
		return q, fmt.Errorf("a query starts with a stream selector {…}")
	}
	end := strings.IndexByte(s, '}')
	if end < 0 {
		return q, fmt.Errorf("unclosed selector")
	}
	body := s[1:end]
	for body = strings.TrimSpace(body); body != ""; body = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(body), ",")) {
		i := strings.IndexAny(body, "=!")
		if i <= 0 {
			return q, fmt.Errorf("bad matcher %q", body)
		}
		name := strings.TrimSpace(body[:i])
		rest := body[i:]
		op := ""
		for _, o := range []string{"=~", "!~", "!=", "="} {
			if strings.HasPrefix(rest, o) {
				op = o
				break
			}
		}
		val, n, err := quoted(strings.TrimSpace(rest[len(op):]))
		if err != nil {
			return q, err
		}
		m := matcher{name: name, op: op, value: val}
		if op == "=~" || op == "!~" {
			if m.re, err = regexp.Compile("^(?:" + val + ")$"); err != nil {
				return q, err
			}
		}
		q.matchers = append(q.matchers, m)
		body = strings.TrimSpace(rest[len(op):])[n:]
	}
	if len(q.matchers) == 0 {
		return q, fmt.Errorf("queries require at least one matcher")
	}
	rest := strings.TrimSpace(s[end+1:])
	for rest != "" {
		op := ""
		for _, o := range []string{"|=", "!=", "|~", "!~"} {
			if strings.HasPrefix(rest, o) {
				op = o
				break
			}
		}
		if op == "" {
			return q, fmt.Errorf("unsupported pipeline %q", rest)
		}
		val, n, err := quoted(strings.TrimSpace(rest[2:]))
		if err != nil {
			return q, err
		}
		f := filter{op: op, value: val}
		if op == "|~" || op == "!~" {
			if f.re, err = regexp.Compile(val); err != nil {
				return q, err
			}
		}
		q.filters = append(q.filters, f)
		rest = strings.TrimSpace(strings.TrimSpace(rest[2:])[n:])
	}
	return q, nil
}

// quoted reads a "Go-quoted" or `raw` string at the start of s, returning it and its length.
func quoted(s string) (string, int, error) {
	if strings.HasPrefix(s, "`") {
		end := strings.IndexByte(s[1:], '`')
		if end < 0 {
			return "", 0, fmt.Errorf("unclosed raw string")
		}
		return s[1 : 1+end], end + 2, nil
	}
	q, err := strconv.QuotedPrefix(s)
	if err != nil {
		return "", 0, fmt.Errorf("bad string at %q", s)
	}
	v, _ := strconv.Unquote(q)
	return v, len(q), nil
}
