package parsers

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/sources"
)

// FuzzKernel feeds arbitrary text through the whole pipeline (framing, prefilter, report
// assembly). Seeds live in testdata/fuzz/FuzzKernel: real reports and broken halves of them.
func FuzzKernel(f *testing.F) {
	f.Add("[  100.000001] app invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n[  100.000400] Memory cgroup out of memory: Killed process 42 (app) total-vm:1000kB, anon-rss:900kB, file-rss:0kB\n")
	f.Fuzz(func(t *testing.T, text string) {
		in := &sources.Input{Name: "fuzz", Records: sources.Lines(strings.NewReader(text))}
		res := ParseInput(in, Options{}, func(e Event) {
			switch e := e.(type) {
			case *KernelOOM:
				if !e.Decided() || len(e.Lines) == 0 {
					t.Fatalf("report without a kill decision or lines: %+v", e)
				}
				_ = e.Decisive()
			case *IncompleteOOM:
				if len(e.Lines) == 0 {
					t.Fatalf("incomplete report without lines")
				}
			}
			_ = e.First()
		})
		if res.Lines < 0 || res.Kind == "" {
			t.Fatalf("bad result %+v", res)
		}
	})
}

// FuzzFramings runs every framing on arbitrary bytes. What holds for every framing: none
// panics; framing is a pure function of the line, which it does not keep (the same message
// again from a fresh copy, after the first buffer was overwritten); a time since boot is
// never negative; and the text comes from
// the line: the others copy it out of the line, journal-json decodes it from the line's
// MESSAGE field (escapes, byte arrays and invalid UTF-8 make it no substring of the line).
// Seed journal-json-escaped-message is the line that stopped the old substring check.
func FuzzFramings(f *testing.F) {
	for _, fr := range Framings {
		f.Add(fr.Example)
	}
	f.Fuzz(func(t *testing.T, line string) {
		for _, fr := range Framings {
			buf := []byte(line)
			var m Message
			if !fr.Frame(buf, &Clock{ModTime: time.Unix(1700000000, 0)}, &m) {
				continue
			}
			if m.HasBoot && m.Boot < 0 { // no clock counts back from the boot
				t.Fatalf("%s: %q is %v after the boot", fr.Name, line, m.Boot)
			}
			for i := range buf {
				buf[i] = 'x'
			}
			var again Message
			if !fr.Frame([]byte(line), &Clock{ModTime: time.Unix(1700000000, 0)}, &again) || !reflect.DeepEqual(m, again) {
				t.Fatalf("%s: %q framed as %+v, then as %+v", fr.Name, line, m, again)
			}
			if fr.Name == sources.KindJournalJSON {
				if !slices.Contains(journalMessages(line), m.Text) {
					t.Fatalf("%s: text %q is none of the MESSAGE values %q of %q", fr.Name, m.Text, journalMessages(line), line)
				}
			} else if !strings.Contains(line, m.Text) {
				t.Fatalf("%s: text %q is not part of %q", fr.Name, m.Text, line)
			}
		}
	})
}

// journalMessages decodes, independently of frameJournalJSON, every value the line's MESSAGE
// field can have: encoding/json matches struct fields case-insensitively and the journal
// writes non-UTF-8 values as arrays of bytes.
func journalMessages(line string) []string {
	var fields map[string]json.RawMessage
	if json.Unmarshal([]byte(line), &fields) != nil {
		return nil
	}
	var out []string
	for k, v := range fields {
		if !strings.EqualFold(k, "MESSAGE") {
			continue
		}
		var s string
		var ints []int
		if json.Unmarshal(v, &s) == nil {
			out = append(out, s)
		} else if json.Unmarshal(v, &ints) == nil {
			b := make([]byte, len(ints))
			for i, n := range ints {
				b[i] = byte(n)
			}
			out = append(out, string(b))
		}
	}
	return out
}

// FuzzKubeObjects feeds arbitrary text to the Kubernetes object decoder (JSON lists streamed
// item by item, YAML documents, JSON lines): it may warn, never panic or loop.
func FuzzKubeObjects(f *testing.F) {
	f.Add("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\"metadata\": {\"name\": \"a\"}, \"spec\": {\"containers\": []}}\n    ],\n    \"kind\": \"List\"\n}\n")
	f.Add("apiVersion: v1\nkind: Event\ninvolvedObject:\n  name: web\nreason: Evicted\n---\nkind: Pod\n")
	f.Add(`{"kind":"Event","involvedObject":{"name":"x"},"reason":"OOMKilling","lastTimestamp":"2025-03-29T06:48:51Z"}` + "\n")
	f.Fuzz(func(t *testing.T, text string) {
		in := &sources.Input{Name: "fuzz", Kind: sources.KindKubeObjects, Records: sources.Lines(strings.NewReader(text))}
		ParseInput(in, Options{}, func(e Event) { _ = e.First() })
	})
}

// FuzzKubelet feeds arbitrary text through the whole pipeline, where the kubelet and runtime
// parsers read klog text, klog JSON and logrus lines in any framing. Seeds in
// testdata/fuzz/FuzzKubelet are real lines from testdata/excerpts/{kubelet,runtime}.
func FuzzKubelet(f *testing.F) {
	f.Add(`I0329 14:48:51.123456    1234 eviction_manager.go:366] "Eviction manager: pods ranked for eviction" pods=["a/b","c/d"]` + "\n")
	f.Add(`{"ts":1753121331919.76,"caller":"eviction/eviction_manager.go:627","msg":"Eviction manager: pod is evicted successfully","pod":"ns/x"}` + "\n")
	f.Fuzz(func(t *testing.T, text string) {
		in := &sources.Input{Name: "fuzz", Records: sources.Lines(strings.NewReader(text))}
		ParseInput(in, Options{}, func(e Event) {
			switch e := e.(type) {
			case *KubeletLine:
				if e.Evidence.Line < 1 || e.Kind == "" {
					t.Fatalf("kubelet line without position or kind: %+v", e)
				}
				if e.Pod.Name != "" && strings.ContainsAny(e.Pod.Name, " /") {
					t.Fatalf("pod name %q holds a separator", e.Pod.Name)
				}
			case *RuntimeLine:
				if e.ContainerID == "" && e.Unit == "" {
					t.Fatalf("runtime line names no container: %+v", e)
				}
			case *KubeEvent:
				// A status message pasted alone ("yq .status.message") names no pod, and is
				// still evidence of an eviction; every other event names its object.
				bareMessage := e.Human == humanPastedEviction && e.Reason == "Evicted"
				if e.Reason == "" || (e.Object.Name == "" && !bareMessage) {
					t.Fatalf("kubelet event line without reason or object: %+v", e)
				}
			}
		})
	})
}

// FuzzKV checks klog's key=value reader never loops or panics and never invents keys that
// are not in the text.
func FuzzKV(f *testing.F) {
	f.Add(` pod="ns/a" podUID=1234 pods=["a/b","c/d"] event=&{ID:x Type:ContainerDied} output=<`)
	f.Fuzz(func(t *testing.T, s string) {
		for k := range parseKV(s) {
			if !strings.Contains(s, k+"=") {
				t.Fatalf("key %q not in %q", k, s)
			}
		}
	})
}

// FuzzLineState checks the promise the re-joining of wrapped lines rests on: every start of
// a whole OOM-report line that still names its kind is whole or cut, never unknown, and
// cutting it anywhere and joining it back gives the line again (up to the one space a join
// cannot tell). Seeds in testdata/fuzz/FuzzLineState are real report lines of every kind.
func FuzzLineState(f *testing.F) {
	f.Add("Memory cgroup out of memory: Killed process 143 (memhog) total-vm:1259696kB, anon-rss:32412kB, file-rss:4kB, shmem-rss:1636kB, UID:0 pgtables:148kB oom_score_adj:938")
	f.Fuzz(func(t *testing.T, line string) {
		st := kernelLineState(line)
		if st != LineWhole || strings.ContainsAny(line, "\n\t") || strings.HasSuffix(line, " ") {
			return
		}
		for k := 1; k < len(line); k++ {
			head := strings.TrimRight(line[:k], " ")
			if kernelGrammar(head) == nil {
				continue
			}
			if kernelLineState(head) == LineUnknown {
				t.Fatalf("%q is whole, but its start %q is unknown", line, head)
			}
			if kernelLineState(head) == LineWhole {
				continue
			}
			w := newWrapped(entry{m: Message{Text: head, Raw: head}})
			whole, _ := w.take([]byte(line[k:]), kernelLineState)
			if whole == nil {
				t.Fatalf("%q cut at %d does not join back", line, k)
			}
			if strings.ReplaceAll(whole.text, " ", "") != strings.ReplaceAll(line, " ", "") {
				t.Fatalf("%q cut at %d joined as %q", line, k, whole.text)
			}
		}
	})
}

// FuzzPaste: taking a paste's wrapping off only ever removes bytes, and a shell prompt's
// command is what follows the prompt.
func FuzzPaste(f *testing.F) {
	f.Add("> > `[  374.309521] memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0`")
	f.Add("\x1b[32m\x1b[1m[Nov27 18:33] \x1b[0m\x1b[33mmemhog invoked oom-killer: \x1b[0m")
	f.Add("[root@node ~]# journalctl -k --no-pager")
	f.Fuzz(func(t *testing.T, line string) {
		var scratch []byte
		out, skip := unpaste([]byte(line), &scratch)
		if !skip && len(out) > len(line) {
			t.Fatalf("unpaste(%q) = %q grew", line, out)
		}
		if rest, ok := shellPrompt([]byte(line)); ok && !strings.HasSuffix(line, string(rest)) {
			t.Fatalf("shellPrompt(%q) = %q is not the end of the line", line, rest)
		}
	})
}
