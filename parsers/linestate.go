package parsers

import (
	"strings"
	"sync"
)

// Whether a kernel OOM-report line is complete. Terminals, mail clients (format=flowed) and
// web editors hard-wrap long lines, and search indexes and pagers shorten them; a cut line
// must be recognised as cut so that the line after it can be joined to it, and only then.
// The shapes below follow the kernel's format strings (mm/oom_kill.c, mm/memcontrol.c; see
// docs/formats.md §3) from 2.6.18 to 6.x. This file stands alone on purpose: it
// does not share kernel.go's patterns, which change with the parser.

// LineState says whether a line is a complete OOM-report line, the start of one, or neither.
type LineState uint8

const (
	LineUnknown LineState = iota // not an OOM-report line, or one in a shape we do not know
	LineWhole                    // a complete line of a known shape
	LineCut                      // the start of a known shape whose end is missing
)

// maxStateLine bounds the lines examined: printk records are at most 1024 bytes.
const maxStateLine = 2048

// kernelLineState classifies the text of a kernel message (without envelope, trailing
// spaces trimmed).
func kernelLineState(text string) LineState {
	if len(text) > maxStateLine {
		return LineUnknown
	}
	g := kernelGrammar(text)
	if g == nil {
		return LineUnknown
	}
	st := matchGram(g.elems, text)
	if st == LineWhole && g.check != nil {
		st = g.check(text)
	}
	return st
}

// kernelAnchor reports that text starts like an OOM-report line, whether or not it is whole:
// the test for a bare kernel message with no envelope at all.
func kernelAnchor(text string) bool { return kernelGrammar(text) != nil }

// lineGrammar is the shape of one kind of report line, with a check of what the shape
// cannot say (a path that must be another's ancestor).
type lineGrammar struct {
	elems []gram
	check func(text string) LineState
}

// kernelGrammar picks the shape a line claims to have by its anchor words; nil when it names
// none. A line cut before its anchor cannot be recognised and stays unknown.
func kernelGrammar(text string) *lineGrammar {
	switch {
	case strings.HasPrefix(text, "oom-kill"):
		return &summaryGrammar
	case strings.HasPrefix(text, "Task in"):
		return &taskInGrammar
	case strings.HasPrefix(text, "Tasks in "):
		return &groupGrammar
	case strings.HasPrefix(text, "Memory cgroup stats for"):
		return &statsGrammar
	case strings.HasPrefix(text, "oom_reaper: "):
		return &reaperGrammar
	case counterAnchor(text):
		return &counterGrammar
	case killAnchor(text):
		return &killGrammar
	case strings.HasPrefix(text, "[") && strings.Contains(text[:min(len(text), 12)], "pid"):
		return &tableHeaderGrammar
	}
	if i := strings.Index(text, " invoked"); i > 0 && strings.HasPrefix(headerMarker, text[i:min(len(text), i+len(headerMarker))]) {
		return &headerGrammar
	}
	return nil
}

const headerMarker = " invoked oom-killer: "

func counterAnchor(text string) bool {
	for _, c := range []string{"memory: usage", "memory+swap: usage", "kmem: usage", "swap: usage"} {
		if strings.HasPrefix(text, c) {
			return true
		}
	}
	return false
}

// killReasons are the prefixes the kill and selection lines carry (5.1 added "%s: " before
// "Killed process"; the selection line had them before).
var killReasons = []string{"Memory cgroup out of memory: ", "Out of memory (oom_kill_allocating_task): ", "Out of memory: ", "Out of Memory: "}

// killAnchor: "Kill…" at the start, after one of the kernel's reasons, or a line that stops
// inside a reason.
func killAnchor(text string) bool {
	for _, r := range killReasons {
		if strings.HasPrefix(text, r) {
			rest := text[len(r):]
			return strings.HasPrefix(rest, "Kill") || strings.HasPrefix(rest, "kill") || strings.HasPrefix("Kill", rest)
		}
		if len(text) >= len("Out of memory") && strings.HasPrefix(r, text) {
			return true
		}
	}
	return strings.HasPrefix(text, "Killed process") || strings.HasPrefix(text, "Kill process") || strings.HasPrefix(text, "kill process")
}

var (
	// "%s invoked oom-killer: gfp_mask=%#x[(%pGg)], [nodemask=%*pbl, ]order=%d, [oom_adj=%d, ]oom_score_adj=%hd";
	// 2.6.18–2.6.35 end in "oomkilladj=%d" or "oom_adj=%d"; 4.13/4.14 print two spaces before "order". The
	// nodemask word takes the comma after it (bitmap lists hold commas).
	headerGrammar = lineGrammar{elems: gSeq(
		gComm(), gLit(headerMarker+"gfp_mask="), gHex(), gOpt(gLit("("), gWord("),"), gLit(")")), gLit(","),
		gOpt(gLit(" nodemask="), gWord("")), gSpaces(), gLit("order="), gNum(), gLit(","),
		gAlt(gSeq(gLit(" oomkilladj="), gNum()),
			gSeq(gLit(" oom_adj="), gNum(), gOpt(gLit(", oom_score_adj="), gNum())),
			gSeq(gLit(" oom_score_adj="), gNum())))}
	// >= 5.0 dump_oom_summary: always ends ",task=%s,pid=%d,uid=%d"; the fields before it
	// vary (cpuset, oom_memcg or global_oom, task_memcg) and hold commas.
	// 3.10 vendor backports print it without constraint and nodemask: "oom-kill:,cpuset=…".
	summaryGrammar = lineGrammar{elems: gSeq(gLit("oom-kill:"), gOpt(gLit("constraint="), gWord(",")), gLit(","), gTextOrCut(),
		gLit(",pid="), gNum(), gLit(",uid="), gNum())}
	// < 5.0: "Task in %s killed as a result of limit of %s".
	taskInGrammar = lineGrammar{elems: gSeq(gLit("Task in "), gWord(""), gLit(" killed as a result of limit of "), gWord("")),
		check: limitIsAncestor}
	groupGrammar = lineGrammar{elems: gSeq(gLit("Tasks in "), gWord(""), gLit(" are going to be killed due to memory.oom.group set"))}
	// "memory: usage %llukB, limit %llukB, failcnt %lu" and its memory+swap:, kmem:, swap: kin.
	counterGrammar = lineGrammar{elems: gSeq(gAlt(gSeq(gLit("memory")), gSeq(gLit("memory+swap")), gSeq(gLit("kmem")), gSeq(gLit("swap"))),
		gLit(": usage "), gNum(), gLit("kB, limit "), gNum(), gLit("kB, failcnt "), gNum())}
	// < 5.3 cgroup v1 prints " %s:%ldKB" per stat on one line, the LRU lists last (ending
	// with unevictable); >= 5.3 and v2 print the header alone, the stats as separate lines.
	statsGrammar = lineGrammar{elems: gSeq(gLit("Memory cgroup stats for "), gWord(":"), gLit(":"),
		gRep(gLit(" "), gWord(":"), gLit(":"), gNum(), gLit("KB"))), check: statsEndWithLRU}
	// The task table's header names its columns ("[ pid ]   uid  tgid total_vm      rss
	// nr_ptes swapents oom_score_adj name" in 3.10, "[  pid  ]   uid  tgid total_vm      rss
	// pgtables_bytes swapents oom_score_adj name" since 4.19, rss_anon rss_file rss_shmem in
	// 6.x); every layout ends with name.
	tableHeaderGrammar = lineGrammar{elems: gSeq(gLit("["), gSpaces(), gLit("pid"), gSpaces(), gLit("]"), gRep(gSpaces(), gWord(""))),
		check: tableHeaderState}
	reaperGrammar = lineGrammar{elems: gSeq(gLit("oom_reaper: "), gAlt(
		gSeq(gLit("reaped process "), gNum(), gLit(" ("), gComm(), gLit("), now anon-rss:"), gNum(), gLit("kB, file-rss:"), gNum(),
			gLit("kB, shmem-rss:"), gNum(), gLit("kB")),
		gSeq(gLit("unable to reap pid:"), gNum(), gLit(" ("), gComm(), gLit(")"))))}
	// The selection line (<= 5.0) and the kill line in every version since 2.6.31: 2.6.32
	// "Killed process %d, UID %d, (%s) …", RHEL 7 "(%s), UID %u, total-vm…", 4.5 ", shmem-rss",
	// 5.4 ", UID:%u pgtables:%lukB oom_score_adj:%hd". Before 2.6.31 the line ended after the
	// task name; a line that does so today was cut there (editors break it at that space),
	// and read as it is when nothing completes it.
	killGrammar = lineGrammar{elems: gSeq(
		gOpt(gAlt(gSeq(gLit(killReasons[0])), gSeq(gLit(killReasons[1])), gSeq(gLit(killReasons[2])), gSeq(gLit(killReasons[3])))),
		gAlt(
			// 2.6.36–5.0 "Kill process %d (%s) score %u or sacrifice child"; before 2.6.36
			// "kill process %d (%s) score %li or a child"; 2.6–4.x "Kill process %d (%s)
			// sharing same memory" for the tasks that die with the victim.
			gSeq(gAlt(gSeq(gLit("Kill process ")), gSeq(gLit("kill process "))), gNum(), gLit(" ("), gComm(), gAlt(
				gSeq(gLit(") "), gOpt(gLit("with ")), gLit("score "), gNum(), gLit(" or "), gAlt(gSeq(gLit("sacrifice child")), gSeq(gLit("a child")))),
				gSeq(gLit(") sharing same memory")))),
			gSeq(gLit("Killed process "), gNum(), gAlt(
				gSeq(gLit(" ("), gComm(), gLit(").")), // 2.4 to 2.6.18: "%s: Killed process %d (%s).", no sizes
				gJoin(gSeq(gLit(" ("), gComm(), gLit(")"), gOpt(gLit(", UID "), gNum(), gLit(","))), killLineFields()),
				gJoin(gSeq(gLit(", UID "), gNum(), gLit(", ("), gComm(), gLit(")")), killLineFields())))))}
)

func killLineFields() []gram {
	return gSeq(gLit(" total-vm:"), gNum(), gLit("kB, anon-rss:"), gNum(), gLit("kB, file-rss:"), gNum(), gLit("kB"),
		gOpt(gLit(", shmem-rss:"), gNum(), gLit("kB")),
		gOpt(gOpt(gLit(",")), gLit(" UID:"), gNum(), gLit(" pgtables:"), gNum(), gLit("kB oom_score_adj:"), gNum()))
}

// limitIsAncestor: the memcg whose limit was hit is the victim's or one above it, so a limit
// path that is not the task path or a parent of it was cut short.
func limitIsAncestor(text string) LineState {
	task, limit, _ := strings.Cut(strings.TrimPrefix(text, "Task in "), " killed as a result of limit of ")
	if limit == task || limit == "/" || strings.HasPrefix(task, limit+"/") {
		return LineWhole
	}
	return LineCut
}

// statsEndWithLRU: a one-line stats dump ends with the last LRU list, "unevictable".
func statsEndWithLRU(text string) LineState {
	_, stats, _ := strings.Cut(text, ": ")
	if stats == "" {
		return LineWhole // the >= 5.3 header line
	}
	last := stats[strings.LastIndexByte(stats, ' ')+1:]
	if strings.HasPrefix(last, "unevictable:") {
		return LineWhole
	}
	return LineCut
}

// A small grammar of sequences, literals, numbers and free text, matched against a whole
// line. Running out of line in the middle of the grammar is LineCut; text that departs from
// it is LineUnknown.
type gramKind uint8

const (
	gramLit    gramKind = iota
	gramNum             // -?[0-9]+
	gramHex             // 0x[0-9a-fA-F]+
	gramWord            // a run without spaces or stop bytes
	gramText            // anything, up to the literal that follows
	gramSpaces          // one or more spaces
	gramOpt             // sub, or nothing
	gramAlt             // one of subs
	gramRep             // sub, zero or more times
)

type gram struct {
	kind   gramKind
	s      string // gramLit: the literal; gramWord: its stop bytes besides space
	orCut  bool   // gramText: a text whose end is not on the line is cut, not unknown
	max    int    // gramText: its longest length, 0 for any (a task name: TASK_COMM_LEN-1)
	subs   [][]gram
	nested []gram
}

func gSeq(g ...gram) []gram  { return g }
func gLit(s string) gram     { return gram{kind: gramLit, s: s} }
func gNum() gram             { return gram{kind: gramNum} }
func gHex() gram             { return gram{kind: gramHex} }
func gWord(stop string) gram { return gram{kind: gramWord, s: stop} }
func gText() gram            { return gram{kind: gramText} }
func gTextOrCut() gram       { return gram{kind: gramText, orCut: true} }
func gComm() gram            { return gram{kind: gramText, max: maxComm} }

// maxComm is the longest task name the kernel prints (TASK_COMM_LEN - 1).
const maxComm = 15

func gSpaces() gram            { return gram{kind: gramSpaces} }
func gOpt(g ...gram) gram      { return gram{kind: gramOpt, nested: g} }
func gRep(g ...gram) gram      { return gram{kind: gramRep, nested: g} }
func gAlt(subs ...[]gram) gram { return gram{kind: gramAlt, subs: subs} }

func better(a, b LineState) LineState {
	if a == LineWhole || b == LineWhole {
		return LineWhole
	}
	if a == LineCut || b == LineCut {
		return LineCut
	}
	return LineUnknown
}

// gJoin builds a grammar from two parts.
func gJoin(a []gram, b []gram) []gram {
	out := make([]gram, 0, len(a)+len(b))
	return append(append(out, a...), b...)
}

// gramCont is what follows the sequence being matched: an optional or repeated part, or an
// alternative, is matched against its own elements and then its continuation, so no joined
// copy of the rest is made for every line (that made a kernel log's parse allocate as much
// as the rest of the pipeline). The continuations are a stack of indexes into one slice,
// reused from line to line.
type gramCont struct {
	g    []gram
	next int // index of the continuation after this one; -1 for the end of the line
}

type gramMatcher struct{ conts []gramCont }

var gramMatchers = sync.Pool{New: func() any { return &gramMatcher{} }}

func matchGram(g []gram, s string) LineState {
	m := gramMatchers.Get().(*gramMatcher)
	st := m.seq(g, -1, s)
	m.conts = m.conts[:0]
	gramMatchers.Put(m)
	return st
}

// sub matches g, then rest, then the continuation k.
func (m *gramMatcher) sub(g, rest []gram, k int, s string) LineState {
	n := len(m.conts)
	m.conts = append(m.conts, gramCont{rest, k})
	st := m.seq(g, n, s)
	m.conts = m.conts[:n]
	return st
}

func (m *gramMatcher) seq(g []gram, k int, s string) LineState {
	if len(g) == 0 {
		if k >= 0 {
			return m.seq(m.conts[k].g, m.conts[k].next, s)
		}
		if s == "" {
			return LineWhole
		}
		return LineUnknown
	}
	e, rest := g[0], g[1:]
	switch e.kind {
	case gramLit:
		if strings.HasPrefix(s, e.s) {
			return m.seq(rest, k, s[len(e.s):])
		}
		if len(s) < len(e.s) && strings.HasPrefix(e.s, s) {
			return LineCut
		}
	case gramNum, gramHex, gramWord, gramSpaces:
		n, cut := span(e, s)
		if cut {
			return LineCut
		}
		if n > 0 {
			return m.seq(rest, k, s[n:])
		}
	case gramText:
		return m.text(e, rest, k, s)
	case gramOpt:
		return better(m.sub(e.nested, rest, k, s), m.seq(rest, k, s))
	case gramRep:
		st := m.seq(rest, k, s)
		if st != LineWhole && s != "" {
			st = better(st, m.sub(e.nested, g, k, s))
		}
		return st
	case gramAlt:
		st := LineUnknown
		for _, alt := range e.subs {
			if st = better(st, m.sub(alt, rest, k, s)); st == LineWhole {
				break
			}
		}
		return st
	}
	return LineUnknown
}

// following is the first element after rest, looking into what follows it.
func (m *gramMatcher) following(rest []gram, k int) gram {
	for len(rest) == 0 && k >= 0 {
		rest, k = m.conts[k].g, m.conts[k].next
	}
	return rest[0] // the grammars never end in free text
}

// span returns how many bytes of s a number, word or run of spaces takes, and whether s
// ends before one could start.
func span(e gram, s string) (int, bool) {
	i := 0
	switch e.kind {
	case gramNum:
		if i < len(s) && s[i] == '-' {
			i++
		}
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start {
			return 0, i == len(s)
		}
	case gramHex:
		if !strings.HasPrefix(s, "0x") {
			return 0, strings.HasPrefix("0x", s)
		}
		i = 2
		for i < len(s) && isHexDigit(s[i]) {
			i++
		}
		if i == 2 {
			return 0, i == len(s)
		}
	case gramWord:
		for i < len(s) && s[i] != ' ' && strings.IndexByte(e.s, s[i]) < 0 {
			i++
		}
		return i, i == 0 && s == ""
	case gramSpaces:
		for i < len(s) && s[i] == ' ' {
			i++
		}
		return i, s == ""
	}
	return i, false
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// matchText lets free text (a task name, a cgroup list) end wherever the literal after it
// occurs. When no place works, the text may simply go on past the end of the line: it is
// cut when its literal could still follow (none of it is on the line, or the line ends in
// its beginning), or always for text marked orCut.
func (m *gramMatcher) text(e gram, rest []gram, k int, s string) LineState {
	term := m.following(rest, k).s
	st := LineUnknown
	for i := 0; i <= len(s); {
		at := strings.Index(s[i:], term)
		if at < 0 || (e.max > 0 && i+at > e.max) {
			break
		}
		if st = better(st, m.seq(rest, k, s[i+at:])); st == LineWhole {
			return st
		}
		i += at + 1
	}
	if st != LineUnknown {
		return st
	}
	for j := 1; j < len(term) && j <= len(s); j++ {
		if strings.HasSuffix(s, term[:j]) && (e.max == 0 || len(s)-j <= e.max) {
			return LineCut // cut inside the literal after the text
		}
	}
	if e.max > 0 {
		// A task name may hold its own terminator (')'): when no occurrence ends it, a rest
		// no longer than a name is a name the line was cut in.
		if len(s) <= e.max {
			return LineCut
		}
		return LineUnknown
	}
	if e.orCut || strings.IndexByte(s, term[0]) < 0 {
		return LineCut
	}
	return LineUnknown
}

// tableColumnNames are the columns task tables have had.
var tableColumnNames = map[string]bool{"uid": true, "tgid": true, "total_vm": true, "rss": true, "rss_anon": true,
	"rss_file": true, "rss_shmem": true, "nr_ptes": true, "nr_pmds": true, "pgtables_bytes": true, "swapents": true,
	"oom_score_adj": true, "name": true}

// tableHeaderState: a header names known columns and ends with name; one that stops in a
// column's name was cut.
func tableHeaderState(text string) LineState {
	_, cols, _ := strings.Cut(text, "]")
	words := strings.Fields(cols)
	for i, w := range words {
		if !tableColumnNames[w] {
			if i < len(words)-1 || strings.HasSuffix(cols, " ") {
				return LineUnknown
			}
			for name := range tableColumnNames {
				if strings.HasPrefix(name, w) {
					return LineCut
				}
			}
			return LineUnknown
		}
	}
	if len(words) > 0 && words[len(words)-1] == "name" {
		return LineWhole
	}
	return LineCut
}

// tableColumns returns how many numeric columns a task table header names (all but name),
// 0 for a line that is no whole header.
func tableColumns(text string) int {
	if kernelGrammar(text) != &tableHeaderGrammar || kernelLineState(text) != LineWhole {
		return 0
	}
	_, cols, _ := strings.Cut(text, "]")
	return len(strings.Fields(cols)) - 1
}

// taskRowState classifies a row of the task table whose header named numeric columns: a row
// with fewer fields than those and a name, all of them numbers, was cut. A name cut short
// cannot be told from a short name.
func taskRowState(text string, numeric int) LineState {
	if numeric <= 0 || !strings.HasPrefix(text, "[") {
		return LineUnknown
	}
	end := strings.IndexByte(text, ']')
	if end < 2 || strings.Trim(text[1:end], " 0123456789") != "" {
		return LineUnknown
	}
	fields := strings.Fields(text[end+1:])
	for i, f := range fields {
		if i == numeric {
			return LineWhole
		}
		if strings.Trim(f, "-0123456789") != "" {
			return LineUnknown
		}
	}
	return LineCut
}
