package parsers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"sigs.k8s.io/yaml"
)

// People paste the part of a Pod that answers their question: "status:" and below, a
// container's "lastState:", the "message:" and "reason:" of an evicted pod, as YAML
// (folded ">-" scalars included) or as JSON cut out of a larger document, without
// apiVersion, kind or even the outer braces. A fragment is gathered while its lines look like
// YAML or JSON, then decoded and placed by its keys into the Pod (or Event) it came from.

// fragmentKeys are the keys a Pod status fragment starts with.
var fragmentKeys = map[string]bool{
	"status": true, "containerStatuses": true, "initContainerStatuses": true, "lastState": true,
	"state": true, "terminated": true, "reason": true, "message": true, "phase": true, "qosClass": true,
	"exitCode": true, "finishedAt": true, "restartCount": true, "containerID": true, "conditions": true,
	"lastTerminationState": true, "metadata": true, "spec": true, "involvedObject": true,
}

var reFragmentKey = regexp.MustCompile(`^\s*(?:- )?"?([A-Za-z][A-Za-z0-9]*)"?\s*:(?:\s|$)`)

// maxFragmentLines bounds a fragment: beyond it the text is not a pasted piece but a whole
// document, which belongs in kube-objects input.
const maxFragmentLines = 20000

type fragment struct {
	line  int
	lines []string
	json  bool
	cut   bool
}

// startFragment opens a fragment at a Pod status key.
func startFragment(line int, s, t string) *fragment {
	sm := reFragmentKey.FindStringSubmatch(s)
	if sm == nil || !fragmentKeys[sm[1]] {
		return nil
	}
	isJSON := strings.HasPrefix(strings.TrimLeft(t, "- "), `"`)
	if !isJSON && !strings.HasPrefix(t, sm[1]) && !strings.HasPrefix(t, "- "+sm[1]) {
		return nil
	}
	return &fragment{line: line, lines: []string{s}, json: isJSON}
}

// feed takes the fragment's next line; false ends it (the line is not part of it).
func (f *fragment) feed(s, t string) bool {
	switch {
	case t == "":
		return false
	case len(f.lines) >= maxFragmentLines:
		f.cut = true
		return false
	case f.json:
		if !(strings.HasPrefix(t, `"`) || strings.HasPrefix(t, "}") || strings.HasPrefix(t, "]") || strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")) {
			return false
		}
	default:
		if !(s[0] == ' ' || s[0] == '\t' || reFragmentKey.MatchString(s) || strings.HasPrefix(t, "- ")) {
			return false
		}
	}
	f.lines = append(f.lines, s)
	return true
}

// decode reads the fragment into a map; nil when it is neither YAML nor JSON after all.
func (f *fragment) decode() (map[string]any, error) {
	var m map[string]any
	if f.json {
		text := strings.TrimRight(strings.TrimSpace(strings.Join(f.lines, "\n")), ",")
		if !strings.HasPrefix(text, "{") {
			text = "{" + text + "}"
		}
		// A fragment cut out of a larger document closes more braces than it opens, or fewer.
		open, closed := strings.Count(text, "{")+strings.Count(text, "["), strings.Count(text, "}")+strings.Count(text, "]")
		for ; closed > open && (strings.HasSuffix(text, "}") || strings.HasSuffix(text, "]")); closed-- {
			text = strings.TrimRight(strings.TrimSpace(text[:len(text)-1]), ",")
		}
		if err := json.Unmarshal([]byte(text), &m); err != nil {
			return nil, err
		}
		return m, nil
	}
	if err := yaml.Unmarshal([]byte(dedent(f.lines)), &m); err != nil {
		return nil, err
	}
	return m, nil
}

// dedent removes the indentation all lines share, so a fragment cut from a nested document
// parses as a top-level map.
func dedent(lines []string) string {
	least := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " "))
		if least < 0 || n < least {
			least = n
		}
	}
	var b strings.Builder
	for _, l := range lines {
		if len(l) >= least && least > 0 {
			l = l[least:]
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// podOfFragment places a fragment's keys where they belong in a Pod, or returns an Event or a
// whole object as it is; nil when the keys say nothing of a pod.
func podOfFragment(m map[string]any) map[string]any {
	has := func(keys ...string) bool {
		for _, k := range keys {
			if _, ok := m[k]; ok {
				return true
			}
		}
		return false
	}
	switch {
	case has("kind", "apiVersion", "involvedObject", "regarding"):
		return m
	case has("metadata", "spec") || has("status") && len(m) <= 3:
		if st, ok := m["status"].(map[string]any); ok && len(m) == 1 {
			return map[string]any{"kind": "Pod", "status": st}
		}
		m["kind"] = "Pod"
		return m
	case has("containerStatuses", "initContainerStatuses", "phase", "qosClass") || has("reason", "message") && !has("exitCode", "state", "lastState"):
		return map[string]any{"kind": "Pod", "status": m}
	case has("lastState", "state", "lastTerminationState", "restartCount", "containerID"):
		return map[string]any{"kind": "Pod", "status": map[string]any{"containerStatuses": []any{oldContainerStatus(m)}}}
	case has("terminated", "termination"):
		return map[string]any{"kind": "Pod", "status": map[string]any{"containerStatuses": []any{map[string]any{"state": oldState(m)}}}}
	case has("exitCode", "finishedAt"):
		return map[string]any{"kind": "Pod", "status": map[string]any{"containerStatuses": []any{map[string]any{"state": map[string]any{"terminated": oldTermination(m)}}}}}
	}
	// The pre-1.0 API keyed container info by name: {"app": {"state": {"termination": …}}}.
	var statuses []any
	for name, v := range m {
		if c, ok := v.(map[string]any); ok {
			if _, ok := c["state"]; ok {
				c = oldContainerStatus(c)
				c["name"] = name
				statuses = append(statuses, c)
			}
		}
	}
	if len(statuses) > 0 {
		return map[string]any{"kind": "Pod", "status": map[string]any{"containerStatuses": statuses}}
	}
	return nil
}

// oldContainerStatus turns the 2014 API's "lastTerminationState" and "termination" into
// today's names.
func oldContainerStatus(c map[string]any) map[string]any {
	if v, ok := c["lastTerminationState"]; ok && c["lastState"] == nil {
		c["lastState"] = v
	}
	for _, k := range []string{"state", "lastState"} {
		if st, ok := c[k].(map[string]any); ok {
			c[k] = oldState(st)
		}
	}
	return c
}

func oldState(st map[string]any) map[string]any {
	if v, ok := st["termination"].(map[string]any); ok && st["terminated"] == nil {
		st["terminated"] = oldTermination(v)
		delete(st, "termination")
	} else if v, ok := st["terminated"].(map[string]any); ok {
		st["terminated"] = oldTermination(v)
	}
	return st
}

// oldTermination: the 2014 API wrote the reason "OOM Killed".
func oldTermination(t map[string]any) map[string]any {
	if r, ok := t["reason"].(string); ok && r == "OOM Killed" {
		t["reason"] = "OOMKilled"
	}
	return t
}

// endFragment decodes the fragment and emits what it holds.
func (k *kubectlReader) endFragment() {
	f := k.frag
	k.frag = nil
	if f == nil {
		return
	}
	if f.cut {
		k.warn(f.line, fmt.Sprintf("status fragment longer than %d lines: read as far as that", maxFragmentLines))
	}
	m, err := f.decode()
	if err != nil {
		k.warn(f.line, fmt.Sprintf("pasted status fragment not understood, skipped: %v", err))
		return
	}
	obj := podOfFragment(m)
	if obj == nil {
		return
	}
	raw, err := json.Marshal(obj)
	if err != nil {
		return
	}
	d := &objectDecoder{input: k.input, emit: func(ev Event) {
		if ps, ok := ev.(*PodStatus); ok && !bytes.Contains(raw, []byte(`"apiVersion"`)) {
			ps.Human = "a pasted status fragment"
		}
		k.emit(ev)
	}, warn: k.warn}
	d.object(raw, "", f.line)
}
