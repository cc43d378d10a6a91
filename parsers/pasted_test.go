package parsers

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/k8s-coroner/coroner/sources"
)

// Whole inputs through the pipeline: real captures (golden/testdata/real) and excerpts
// (testdata/excerpts) passed on the ways people pass logs on.

// fedRecorder is a parser that keeps what reaches the parsers.
type fedRecorder struct{ texts []string }

func (r *fedRecorder) Busy() bool             { return false }
func (r *fedRecorder) Feed(m *Message, _ Out) { r.texts = append(r.texts, m.Text) }
func (r *fedRecorder) Flush(Out)              {}

type parsed struct {
	ooms       []*KernelOOM
	incomplete []*IncompleteOOM
	fed        []string
	events     []Event // every event, the kernel's included
	res        *InputResult
}

func parsePasted(t *testing.T, name, text string) parsed {
	t.Helper()
	in := &sources.Input{Name: name, Records: sources.Lines(strings.NewReader(text))}
	p := newRun(in, Options{Clock: Clock{Year: 2026}})
	rec := &fedRecorder{}
	p.parsers = append(p.parsers, rec)
	var out parsed
	out.res = p.parse(in, func(e Event) {
		out.events = append(out.events, e)
		switch e := e.(type) {
		case *KernelOOM:
			out.ooms = append(out.ooms, e)
		case *IncompleteOOM:
			out.incomplete = append(out.incomplete, e)
		}
	})
	out.fed = rec.texts
	return out
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func lines(text string) []string { return strings.Split(strings.TrimSuffix(text, "\n"), "\n") }

// sameReports compares reports as read from two renderings of one input: same content, the
// lines matched by their text (their line numbers differ).
var sameReports = cmp.Options{
	cmpopts.IgnoreFields(Evidence{}, "Pos"),
	cmpopts.SortSlices(func(a, b Evidence) bool { return a.Text < b.Text || a.Text == b.Text && a.Role < b.Role }),
}

// reverseRecords is journalctl -r: newest record first, a record's indented lines after it;
// export entries (blank-line separated) as a whole.
func reverseRecords(text string, export bool) string {
	var recs [][]string
	if export {
		for _, e := range strings.Split(strings.TrimSuffix(text, "\n"), "\n\n") {
			recs = append(recs, []string{e, ""})
		}
	} else {
		for _, l := range lines(text) {
			if len(recs) > 0 && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) {
				recs[len(recs)-1] = append(recs[len(recs)-1], l)
				continue
			}
			recs = append(recs, []string{l})
		}
	}
	slices.Reverse(recs)
	var b strings.Builder
	for _, r := range recs {
		for _, l := range r {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// TestReversedInputAssemblesTheSame reads every real capture forward and newest first: the
// reports must be the same, and the reversed input must say it was reversed.
func TestReversedInputAssemblesTheSame(t *testing.T) {
	files, _ := filepath.Glob("../golden/testdata/real/*/*.txt")
	if len(files) < 20 {
		t.Fatalf("only %d captures found", len(files))
	}
	for _, f := range files {
		text := readText(t, f)
		fwd := parsePasted(t, f, text)
		if len(fwd.ooms) == 0 {
			t.Errorf("%s: no report read forward", f)
			continue
		}
		rev := parsePasted(t, f, reverseRecords(text, strings.HasSuffix(f, "-export.txt")))
		if diff := cmp.Diff(fwd.ooms, rev.ooms, sameReports); diff != "" {
			t.Errorf("%s: reversed reports differ (-forward +reversed):\n%s", f, diff)
		}
		if len(rev.incomplete) != len(fwd.incomplete) {
			t.Errorf("%s: %d incomplete reports reversed, %d forward", f, len(rev.incomplete), len(fwd.incomplete))
		}
		if !hasWarning(rev.res, "newest first") || hasWarning(fwd.res, "newest first") {
			t.Errorf("%s: the reversed input is not said to be reversed, or the forward one is: %v / %v", f, rev.res.Warnings, fwd.res.Warnings)
		}
	}
}

func hasWarning(res *InputResult, part string) bool {
	for _, w := range res.Warnings {
		if strings.Contains(w.Message, part) {
			return true
		}
	}
	return false
}

func eachLine(text string, f func(string) string) string {
	var b strings.Builder
	for _, l := range lines(text) {
		b.WriteString(f(l))
	}
	return b.String()
}

// TestPastedReports: a report quoted in mail or Markdown, fenced after a prompt, in
// backticks or double-spaced reads as the plain one, without a warning.
func TestPastedReports(t *testing.T) {
	for _, f := range []string{"../golden/testdata/real/cgroupfs-burstable/dmesg.txt", "../golden/testdata/real/v2-oom-group/dmesg.txt",
		"../testdata/excerpts/kernel-5.0-transitional-memcg-syslog-pharos-1508.log"} {
		text := readText(t, f)
		plain := parsePasted(t, f, text)
		if len(plain.ooms) == 0 {
			t.Fatalf("%s: no report", f)
		}
		for _, v := range []struct{ reason, text string }{
			{"mail quote", eachLine(text, func(l string) string { return "> " + l + "\n" })},
			{"reply to a reply", eachLine(text, func(l string) string { return "> > " + l + "\n" })},
			{"Markdown fence after a prompt", "root@node1:~# dmesg | grep -A90 'invoked oom-killer'\n```text\n" + text + "```\n"},
			{"each line in backticks", eachLine(text, func(l string) string { return "`" + l + "`\n" })},
			{"double-spaced", eachLine(text, func(l string) string { return l + "\n\n" })},
			{"quoted and double-spaced", eachLine(text, func(l string) string { return "> " + l + "\n>\n" })},
		} {
			got := parsePasted(t, f, v.text)
			if diff := cmp.Diff(plain.ooms, got.ooms, sameReports); diff != "" {
				t.Errorf("%s, %s: reports differ (-plain +pasted):\n%s", f, v.reason, diff)
			}
			if len(got.res.Warnings) != len(plain.res.Warnings) {
				t.Errorf("%s, %s: warnings %v, plain %v", f, v.reason, got.res.Warnings, plain.res.Warnings)
			}
		}
	}
}

// wrapAt hard-wraps every line longer than columns: a terminal cuts at the width, an editor
// at the last space before it and drops the space.
func wrapAt(text string, columns int, atSpace bool) string {
	return eachLine(text, func(l string) string {
		var b strings.Builder
		for len(l) > columns {
			cut := columns
			if i := strings.LastIndexByte(l[:columns], ' '); atSpace && i > 0 {
				cut = i
			}
			b.WriteString(l[:cut] + "\n")
			l = l[cut:]
			if atSpace {
				l = strings.TrimPrefix(l, " ")
			}
		}
		return b.String() + l + "\n"
	})
}

// withoutTaskNames drops what a terminal may cut without a trace: the end of a task name, the
// last field of a row, which no format says is unfinished.
func withoutTaskNames(ooms []*KernelOOM) []KernelOOM {
	var out []KernelOOM
	for _, k := range ooms {
		c := *k
		c.Tasks = slices.Clone(c.Tasks)
		for i := range c.Tasks {
			c.Tasks[i].Name = ""
		}
		c.Lines = slices.DeleteFunc(slices.Clone(c.Lines), func(e Evidence) bool { return e.Role == "victim-task" })
		out = append(out, c)
	}
	return out
}

// TestHardWrappedReports: wrapped by a terminal or an editor, the report lines are joined
// again and the report is the same (but for task names a terminal cut); every join is said.
func TestHardWrappedReports(t *testing.T) {
	for _, f := range []string{"../golden/testdata/real/cgroupfs-burstable/dmesg.txt", "../golden/testdata/real/journal-systemd-containerd/journal-k-short.txt",
		"../testdata/excerpts/kernel-5.0-transitional-memcg-syslog-pharos-1508.log"} {
		text := readText(t, f)
		plain := parsePasted(t, f, text)
		for _, v := range []struct {
			reason string
			text   string
		}{
			{"terminal, 120 columns", wrapAt(text, 120, false)},
			{"editor, 100 columns", wrapAt(text, 100, true)},
			{"terminal, 80 columns", wrapAt(text, 80, false)},
			{"terminal, double-spaced", eachLine(wrapAt(text, 120, false), func(l string) string { return l + "\n\n" })},
		} {
			got := parsePasted(t, f, v.text)
			if diff := cmp.Diff(withoutTaskNames(plain.ooms), withoutTaskNames(got.ooms), sameReports); diff != "" {
				t.Errorf("%s, %s: reports differ (-plain +wrapped):\n%s", f, v.reason, diff)
			}
			if !hasWarning(got.res, "(hard-wrapped); read joined") {
				t.Errorf("%s, %s: no join said: %v", f, v.reason, got.res.Warnings)
			}
		}
	}
}

// TestJoinOnlyWhatIsCut: a continuation is joined only to a message that says it is cut,
// and only when the join makes it whole.
func TestJoinOnlyWhatIsCut(t *testing.T) {
	const stamp = "[5193605.506739] "
	tests := []struct {
		reason string
		text   string
		fed    string // a message that must reach the parsers
		warn   string
	}{
		{"the stats line of kubedirector#356 as pasted (testdata/excerpts), cut after rss:44",
			readText(t, "../testdata/excerpts/dmesg-4.19-hardwrapped-lines-kubedirector-356.log"),
			"Memory cgroup stats for /kubepods/pod951f6bc5-c5a5-11ea-8707-80e455f266a2/024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9: cache:507172KB rss:448KB rss_huge:0KB shmem:28KB mapped_file:0KB dirty:503316KB writeback:0KB swap:0KB inactive_anon:0KB active_anon:540KB inactive_file:253596KB active_file:253592KB unevictable:0KB",
			"line 4 continues on line 5 (hard-wrapped)"},
		{"a kill line cut before its task name; the space before it went with the trimmed line end",
			stamp + "Memory cgroup out of memory: Killed process 62769 \n(cp) total-vm:17528kB, anon-rss:312kB, file-rss:1332kB, shmem-rss:0kB\n",
			"Memory cgroup out of memory: Killed process 62769 (cp) total-vm:17528kB, anon-rss:312kB, file-rss:1332kB, shmem-rss:0kB", "read joined"},
		{"a Task in line cut inside the limit path, then inside a name",
			stamp + "Task in /kubepods/pod951f6bc5-c5a5-11ea-8707-80e455f266a2/024952d6 killed as a result of limit of /kubepo\nds/pod951f6bc5-c5a5-1\n1ea-8707-80e455f266a2\n",
			"Task in /kubepods/pod951f6bc5-c5a5-11ea-8707-80e455f266a2/024952d6 killed as a result of limit of /kubepods/pod951f6bc5-c5a5-11ea-8707-80e455f266a2", "read joined"},
		{"a whole line is never joined to the line after it",
			stamp + "Memory cgroup out of memory: Killed process 62769 (cp) total-vm:17528kB, anon-rss:312kB, file-rss:1332kB, shmem-rss:0kB\nGarbage after it\n",
			"Memory cgroup out of memory: Killed process 62769 (cp) total-vm:17528kB, anon-rss:312kB, file-rss:1332kB, shmem-rss:0kB", "line in no known log format"},
		{"a cut line no continuation completes is read as it is",
			stamp + "memory: usage 5242\n" + stamp + "memory+swap: usage 524288kB, limit 524288kB, failcnt 38\n",
			"memory: usage 5242", "line looks cut"},
		{"more pieces than a line is wrapped over",
			stamp + "memory: usage 5\n2\n4\n2\n8\n8\nk\nB\n, limit 524288kB, failcnt 0\n",
			"memory: usage 5", "line looks cut"},
	}
	for _, tt := range tests {
		got := parsePasted(t, "wrapped", tt.text)
		if !slices.Contains(got.fed, tt.fed) {
			t.Errorf("%s: %q not fed; fed %q", tt.reason, tt.fed, got.fed)
		}
		if !hasWarning(got.res, tt.warn) {
			t.Errorf("%s: no warning %q in %v", tt.reason, tt.warn, got.res.Warnings)
		}
	}
}

// TestShortenedLines: what is left of a line shortened with an ellipsis reaches the parsers
// without it (the pager rendering of the lab journal, golden/testdata/rendered).
func TestShortenedLines(t *testing.T) {
	got := parsePasted(t, "pager", readText(t, "../golden/testdata/rendered/journal-systemd-containerd/journal-k-short-pager160.txt"))
	for _, want := range []string{
		"Memory cgroup out of memory: Killed process 9122 (memhog) total-vm:1258940kB, anon-rss:32256kB, file-rss:1568kB, shmem-",
		"oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/kubepods.slice/kubepods-burstab",
	} {
		if !slices.Contains(got.fed, want) {
			t.Errorf("%q not fed", want)
		}
	}
	for _, f := range got.fed {
		if strings.Contains(f, "…") && strings.HasPrefix(f, "Memory cgroup") {
			t.Errorf("fed with its ellipsis: %q", f)
		}
	}
	if !hasWarning(got.res, "line shortened with '...'; what is left is read") || len(got.ooms) != 1 {
		t.Errorf("warnings %v, %d reports", got.res.Warnings, len(got.ooms))
	}
	// "..." in a task name of a whole line stays.
	whole := "[  100.000400] Memory cgroup out of memory: Killed process 42 (a...b) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB\n"
	if got := parsePasted(t, "dots", whole); hasWarning(got.res, "shortened") {
		t.Errorf("a whole line with dots in its task name was taken as shortened: %v", got.res.Warnings)
	}
}

// TestHeaderCutAfterName: a header wrapped right after the allocating task's name (the
// anchor words come after it) joins its rest; a short kernel line that no next line completes
// reads as it was, without a warning.
func TestHeaderCutAfterName(t *testing.T) {
	got := parsePasted(t, "lkml", "May 30 07:44:38 vicky kernel: [ 2283.369927] redis-server \n"+
		"invoked oom-killer: gfp_mask=0xd0, order=0, oom_adj=-17\n"+
		"May 30 07:44:38 vicky kernel: [ 2283.369939] Call Trace:\n"+
		"May 30 07:44:38 vicky kernel: [ 2283.369990] eth0: link up\n")
	if len(got.incomplete) != 1 || got.incomplete[0].Lines[0].Role != "header" {
		t.Fatalf("incomplete %+v, want one report opened by the joined header", got.incomplete)
	}
	for _, w := range got.res.Warnings {
		if strings.Contains(w.Message, "looks cut") {
			t.Errorf("warning %q for a short line nothing continues", w.Message)
		}
	}
}
