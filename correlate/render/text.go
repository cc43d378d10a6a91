package render

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// Text writes the report for a person at a terminal: the answer first (one row per death),
// then one block per death with its decisive proof, the host kills, the pressure episodes,
// incomplete reports, and what became of each input. opts.Verbose shows everything.
func Text(w io.Writer, rep *report.Report, opts Options) error {
	rep = escaped(rep)
	bw := bufio.NewWriter(w)
	t := &textWriter{w: bw, colors: opts.Color, verbose: opts.Verbose, width: opts.Width}
	t.headline(rep)
	t.deathTable(rep.Deaths)
	t.summary(rep)
	// Several nodes: one heading per node, its deaths in time order below it.
	nodes := deathNodes(rep.Deaths)
	for _, n := range nodes {
		if len(nodes) > 1 {
			t.printf("\n── node %s ──\n", cmp.Or(n, "(unknown)"))
		}
		for i := range rep.Deaths {
			if rep.Deaths[i].Node == n {
				t.death(&rep.Deaths[i], "")
			}
		}
	}
	if len(rep.HostKills) > 0 {
		t.printf("\nKills not tied to a container\n")
		for i := range rep.HostKills {
			t.death(&rep.HostKills[i], killLabel(&rep.HostKills[i]))
		}
	}
	if len(rep.Pressure) > 0 {
		t.printf("\nNode pressure\n")
		for _, p := range rep.Pressure {
			t.printf("\n")
			t.short = shortNames(p.Evidence)
			t.wrapped("◆ ", p.Summary)
			if len(p.RankedPods) > 0 {
				t.field("ranked", t.list(p.RankedPods))
			}
			if len(p.AdmissionRefused) > 0 {
				t.field("refused", t.list(p.AdmissionRefused))
			}
			if len(p.Thresholds) > 0 {
				t.field("config", "hard thresholds "+strings.Join(p.Thresholds, ", "))
			}
			t.evidenceList(p.Evidence)
		}
	}
	for _, inc := range rep.Incomplete {
		t.printf("\n")
		t.short = shortNames(inc.Evidence)
		t.wrapped("? ", fmt.Sprintf("incomplete OOM report in %s: %s", t.name(inc.Input), inc.Reason))
		t.evidenceList(inc.Evidence)
	}
	t.archives(rep.Archives)
	t.inputs(rep.Inputs)
	t.node(rep)
	t.footer()
	return bw.Flush()
}

// footer says what the default view left out or cut, so nothing is hidden without a word.
func (t *textWriter) footer() {
	var parts []string
	if t.omitted > 0 {
		parts = append(parts, fmt.Sprintf("%s left out", plural(t.omitted, "proof line")))
	}
	if t.cut > 0 {
		parts = append(parts, fmt.Sprintf("%s cut to fit %d columns", plural(t.cut, "line"), t.width))
	}
	if len(parts) > 0 {
		t.printf("\n")
		t.wrapped("", "("+strings.Join(parts, "; ")+": -v shows everything, -o json keeps every field)")
	}
}

// node prints the live state coroner node read, and the run's warnings.
func (t *textWriter) node(rep *report.Report) {
	if n := rep.Node; n != nil {
		t.printf("\nNode %s (kernel %s, %s memory, cgroup %s)\n", cmp.Or(n.Hostname, "?"), cmp.Or(n.Kernel, "?"), report.Quantity(n.MemTotalKiB), cmp.Or(n.CgroupVersion, "?"))
		if k := n.Kubelet; k != nil {
			t.printf("  kubelet   cgroup driver %s, evictionHard %v, evictionSoft %v, kubeReserved %v, systemReserved %v\n",
				cmp.Or(k.CgroupDriver, "?"), k.EvictionHard, k.EvictionSoft, k.KubeReserved, k.SystemReserved)
		}
		for _, c := range n.Cgroups {
			if c.OOMKills > 0 {
				limit := "unlimited"
				if c.LimitKiB != nil {
					limit = report.Quantity(*c.LimitKiB)
				}
				t.printf("  cgroup    %s: limit %s, usage %s, %d OOM kills so far\n", c.Path, limit, report.Quantity(c.UsageKiB), c.OOMKills)
			}
		}
	}
	for _, w := range rep.Warnings {
		t.printf("warning: %s\n", w)
	}
}

type textWriter struct {
	w       *bufio.Writer
	colors  bool
	verbose bool
	width   int               // columns; 0: no limit
	short   map[string]string // input name → the short name, for the block being printed

	omitted int // proof lines the default view left out
	cut     int // lines cut to the width
}

func (t *textWriter) printf(format string, args ...any) { fmt.Fprintf(t.w, format, args...) }

// name is how an input is called in a proof line: its short name by default, whole with -v.
func (t *textWriter) name(input string) string {
	if t.verbose {
		return input
	}
	if s, ok := t.short[input]; ok {
		return s
	}
	return baseName(input)
}

// list joins names, at most 5 of them by default.
func (t *textWriter) list(names []string) string {
	if t.verbose || len(names) <= 5 {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
}

func (t *textWriter) headline(rep *report.Report) {
	t.para("", "  ", fmt.Sprintf("coroner: %s, %s in %s", plural(len(rep.Deaths), "container death"),
		plural(len(rep.HostKills), "host kill"), plural(len(rep.Inputs), "input")))
}

// summary tallies the deaths when the table is too long to count by eye, names the
// workloads that died again and again, and points to the pressure episodes.
func (t *textWriter) summary(rep *report.Report) {
	s := rep.Summary
	if s == nil || s.Deaths < 2 && s.Pressure == 0 {
		return
	}
	var fields [][2]string
	if s.Deaths >= 5 || t.verbose {
		for _, row := range []struct {
			name  string
			tally map[string]int
		}{{"mechanism", s.ByMechanism}, {"namespace", s.ByNamespace}, {"node", s.ByNode}} {
			if len(row.tally) > 0 {
				fields = append(fields, [2]string{row.name, counts(row.tally)})
			}
		}
	}
	for _, w := range s.TopWorkloads {
		fields = append(fields, [2]string{"repeat", fmt.Sprintf("%s/%s container %s died %s (%s)", w.Namespace, w.Name, w.Container, plural(w.Deaths, "time"), counts(w.ByMech))})
	}
	if s.Pressure > 0 {
		fields = append(fields, [2]string{"pressure", plural(s.Pressure, "node pressure episode") + " (listed after the deaths)"})
	}
	if len(fields) == 0 {
		return
	}
	t.printf("\nSummary\n")
	for _, f := range fields {
		t.field(f[0], f[1])
	}
}

// counts renders a tally as "kubelet-eviction 3, cgroup-oom 1", largest first.
func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// ANSI colours of the mechanisms, used only on a terminal that did not ask for NO_COLOR.
func mechColor(m report.Mechanism) string {
	switch m {
	case report.CgroupOOM:
		return "33" // yellow
	case report.KernelOOM:
		return "31" // red
	case report.KubeletEviction:
		return "35" // magenta
	case report.NotMemory:
		return "32" // green
	}
	return "36" // cyan
}

func (t *textWriter) color(code, s string) string {
	if !t.colors {
		return s
	}
	return "\x1b[1;" + code + "m" + s + "\x1b[0m"
}

// death writes one death: its heading, how it came about, the facts of the kill and what to
// do, then the lines that prove it.
func (t *textWriter) death(d *report.Death, label string) {
	t.short = shortNames(d.Evidence)
	t.heading(d, label)
	t.story(d)
	t.facts(d)
	for _, n := range d.Notes {
		t.field("note", n)
	}
	for _, m := range d.Missing {
		t.field("missing", m)
	}
	for _, a := range d.Advice {
		t.field("advice", a)
	}
	if t.verbose {
		t.evidenceList(d.Evidence)
		return
	}
	t.proof(selectProof(d))
}

// heading is the death's first line: mechanism, who, confidence, when and where, wrapped to
// the width with the mechanism coloured.
func (t *textWriter) heading(d *report.Death, label string) {
	if label == "" {
		label = string(d.Mechanism)
	}
	at := when(d.Time, d.BootTime)
	if !t.verbose {
		at = shortWhen(d)
	}
	if d.Age != "" {
		at = d.Age + " before kubectl printed it (--now dates it)"
	}
	parts := []string{label, who(d), d.Confidence + " confidence", at}
	if d.Node != "" {
		parts = append(parts, "node "+d.Node)
	}
	lines := wrapParts(parts, t.width-2)
	if first := lines[0]; strings.HasPrefix(first, label) {
		t.printf("\n%s%s\n", t.color(mechColor(d.Mechanism), "● "+label), first[len(label):])
	} else { // a label wider than the line: it was wrapped itself
		t.printf("\n%s\n", t.color(mechColor(d.Mechanism), "● "+first))
	}
	for _, l := range lines[1:] {
		t.printf("  %s\n", l)
	}
}

// story is how the death came about: the summary, the node's local time, the history of
// restarts, the lead-up and what was ruled out.
func (t *textWriter) story(d *report.Death) {
	t.field("what", d.Summary)
	if d.LocalTime != "" {
		t.field("local", d.LocalTime+" on the node")
	}
	if d.Repeats > 1 || d.Restarts > 0 {
		t.field("history", history(d))
	}
	if t.verbose {
		for _, l := range d.LeadUp {
			t.field("lead-up", l.Time.Format("15:04:05")+"  "+l.What)
		}
	} else {
		for _, l := range leadUpLines(d.LeadUp) {
			t.field("lead-up", l)
		}
	}
	for _, r := range d.RuledOut {
		t.field("ruled out", r)
	}
	if t.verbose {
		t.identity(d)
	}
}

// facts are the kill's particulars: exit, eviction, kill, victims, memory and limits.
func (t *textWriter) facts(d *report.Death) {
	if d.ExitCode != nil || d.Reason != "" {
		code := "?"
		if d.ExitCode != nil {
			code = fmt.Sprint(*d.ExitCode)
		}
		t.field("exit", fmt.Sprintf("code %s, reason %s", code, cmp.Or(d.Reason, "?")))
	}
	if e := d.Eviction; e != nil {
		t.field("eviction", evictionLine(e))
		if len(e.RankedPods) > 0 {
			t.field("ranked", t.list(e.RankedPods))
		}
		if len(e.Others) > 0 {
			shown := e.Others
			if !t.verbose && len(shown) > 5 {
				shown = shown[:5]
			}
			others := strings.Join(shown, ", ")
			if more := max(e.OthersCount, len(e.Others)) - len(shown); more > 0 {
				others += fmt.Sprintf(" and %d more", more) // the episode lists them all
			}
			t.field("also", "evicted in the same episode: "+others)
		}
	}
	if k := d.Kill; k != nil {
		t.field("kill", fmt.Sprintf("%s: %s", k.Reason, k.Message))
	}
	for _, v := range d.Victims {
		t.field("victim", victim(v))
	}
	if r := reportParts(d); r != "" && t.verbose {
		t.field("report", r)
	}
	if c := d.CgroupNow; c != nil {
		t.field("now", fmt.Sprintf("the cgroup still exists: usage %s, %s counted", report.Quantity(c.UsageKiB), plural(int(c.OOMKills), "OOM kill")))
	}
	if m := d.Memory; m != nil {
		t.field("limit", limitLine(d, m, t.verbose))
	}
	if m := d.NodeMemory; m != nil {
		t.field("node mem", nodeMemory(m))
	}
	for _, task := range d.TopTasks {
		t.field("top task", fmt.Sprintf("%s (pid %d)  rss %s  oom_score_adj %d", task.Name, task.PID, report.Quantity(task.RSSKiB), task.OOMScoreAdj))
	}
}

// identity is what names the container to the machine: uid, IDs, cgroup (-v only; the
// headline already names the pod).
func (t *textWriter) identity(d *report.Death) {
	if d.PodUID != "" {
		t.field("pod", strings.TrimSpace(fmt.Sprintf("uid %s  qos %s", cmp.Or(d.PodUID, "?"), cmp.Or(d.QoS, "?"))))
	}
	if d.ContainerID != "" {
		t.field("container", strings.TrimSpace(d.ContainerID+"  "+d.Runtime))
	} else if d.ContainerIDPrefix != "" {
		t.field("container", strings.TrimSpace(d.ContainerIDPrefix+"… (only this prefix is in the log)  "+d.Runtime))
	}
	if d.Cgroup != "" {
		t.field("cgroup", d.Cgroup)
	}
	if d.Pod != "" {
		t.field("name", strings.TrimSpace(fmt.Sprintf("%s/%s %s", d.Namespace, d.Pod, d.Container)))
	}
}

// limitLine gives the memcg counters at the kill; the cgroup path only with -v.
func limitLine(d *report.Death, m *report.Memory, verbose bool) string {
	s := fmt.Sprintf("%s, usage %s, failcnt %d", limitH(m.LimitKiB), report.Quantity(m.UsageKiB), m.Failcnt)
	switch {
	case m.LimitCgroup == "":
		s += " (the cgroup is not in the log)"
	case verbose:
		s += fmt.Sprintf(" (%s, scope %s)", m.LimitCgroup, cmp.Or(d.LimitScope, "?"))
	default:
		s += ", scope " + cmp.Or(d.LimitScope, "?")
	}
	return s
}

// history says how often the container died: in this analysis, and by pod status's count.
func history(d *report.Death) string {
	var parts []string
	if d.Repeats > 1 {
		parts = append(parts, fmt.Sprintf("%d deaths of this container in the analysed period", d.Repeats))
	}
	switch {
	case d.Restarts == 1:
		parts = append(parts, "restarted once (pod status)")
	case d.Restarts > 1:
		parts = append(parts, fmt.Sprintf("restarted %d times (pod status)", d.Restarts))
	}
	return strings.Join(parts, "; ")
}

// field prints "  name       value", the value wrapped to the width under itself.
func (t *textWriter) field(name, value string) {
	lines := wrapText(value, t.width-fieldIndent)
	if t.width > 0 && t.width-fieldIndent < 20 { // too narrow to wrap usefully
		lines = []string{value}
	}
	for i, l := range lines {
		if i > 0 {
			name = ""
		}
		t.printf("  %-9s  %s\n", name, l)
	}
}

// para prints text wrapped to the width, its first line after first, the others after rest.
func (t *textWriter) para(first, rest, text string) {
	for i, l := range wrapText(text, t.width-len(rest)) {
		if i == 0 {
			t.printf("%s%s\n", first, l)
		} else {
			t.printf("%s%s\n", rest, l)
		}
	}
}

// wrapped prints a paragraph after a prefix, wrapped to the width.
func (t *textWriter) wrapped(prefix, text string) {
	indent := strings.Repeat(" ", utf8.RuneCountInString(prefix))
	for i, l := range wrapText(text, t.width-len(indent)) {
		if i == 0 {
			t.printf("%s%s\n", prefix, l)
		} else {
			t.printf("%s%s\n", indent, l)
		}
	}
}

// evidenceList prints lines of evidence: all of them with -v (whole input names, wrapped),
// else the first few, cut to the width.
func (t *textWriter) evidenceList(ev []report.Evidence) {
	shown := ev
	if !t.verbose && len(ev) > maxProof {
		shown = ev[:maxProof]
	}
	for i, e := range shown {
		name := ""
		if i == 0 {
			name = "evidence"
		}
		t.evidenceLine(name, e)
	}
	if rest := len(ev) - len(shown); rest > 0 {
		t.omitted += rest
		t.printf("  %-9s  (%s more)\n", "", plural(rest, "line"))
	}
}

// proof prints a death's decisive lines, the other inputs that repeat them, and how many
// lines it leaves out.
func (t *textWriter) proof(p proof) {
	for i, e := range p.lines {
		name := ""
		if i == 0 {
			name = "proof"
		}
		t.evidenceLine(name, e)
	}
	var tail []string
	if len(p.alsoIn) > 0 {
		names := make([]string, len(p.alsoIn))
		for i, in := range p.alsoIn {
			names[i] = t.name(in)
		}
		tail = append(tail, "also in "+strings.Join(names, ", "))
	}
	if p.omitted > 0 {
		t.omitted += p.omitted
		tail = append(tail, plural(p.omitted, "more line"))
	}
	if len(tail) > 0 {
		t.field("", strings.Join(tail, "; "))
	}
}

// evidenceLine prints one line of a log, wrapped to the width under itself (the words that
// prove a kill are often past the first row), at most maxProofRows rows by default. Decisive lines are marked
// with -v, where they stand among the others.
func (t *textWriter) evidenceLine(name string, e report.Evidence) {
	mark := ""
	if t.verbose {
		mark = " "
		if e.Decisive {
			mark = "▶"
		}
	}
	where := t.name(e.Input)
	if e.Line > 0 {
		where += fmt.Sprintf(":%d", e.Line)
	}
	lines := wrapText(mark+where+"  "+e.Text, t.width-fieldIndent)
	if !t.verbose && len(lines) > maxProofRows { // a 600-column oom-kill summary: its head says enough
		lines = lines[:maxProofRows]
		lines[maxProofRows-1], _ = cutText(lines[maxProofRows-1]+" …", t.width-fieldIndent)
		t.cut++
	}
	for i, l := range lines {
		if i > 0 {
			name = ""
		}
		t.printf("  %-9s  %s\n", name, l)
	}
}

// maxProofRows is how many rows one proof line may take by default before it is cut.
const maxProofRows = 2

func (t *textWriter) inputs(ins []report.Input) {
	t.printf("\nInputs\n")
	quiet := 0
	for _, in := range ins {
		if !t.verbose && in.Error == "" && in.Clock == nil && len(in.Warnings) == 0 {
			quiet++
			continue
		}
		head := fmt.Sprintf("%s  %s, %s", in.Name, in.Kind, plural(in.Lines, "line"))
		if in.Node != "" {
			head += ", node " + in.Node
		}
		t.para("  ", "    ", head)
		if in.Error != "" {
			t.para("    ", "      ", "error: "+in.Error)
		}
		if in.Clock != nil {
			t.para("    ", "      ", "clock: "+in.Clock.String())
		}
		warnings := in.Warnings
		if !t.verbose && len(warnings) > maxInputWarnings {
			warnings = warnings[:maxInputWarnings]
		}
		for _, w := range warnings {
			t.inputWarning(in.Name, w)
		}
		if rest := len(in.Warnings) - len(warnings); rest > 0 {
			t.para("    ", "      ", "("+plural(rest, "warning")+" more; -v lists them)")
		}
	}
	switch {
	case quiet == len(ins) && quiet > 0:
		t.para("  ", "    ", plural(quiet, "input")+" read, none with a warning (-v lists them)")
	case quiet > 0:
		t.para("  ", "    ", plural(quiet, "input")+" more read without a warning (-v lists them)")
	}
}

// maxInputWarnings is how many warnings of one input the default view prints.
const maxInputWarnings = 10

func (t *textWriter) inputWarning(name string, w report.Warning) {
	if w.Line > 0 {
		name += fmt.Sprintf(":%d", w.Line)
	}
	t.para("    ", "      ", "warning: "+name+": "+w.Message)
}

func victim(v report.Victim) string {
	s := v.Name()
	if v.OrChild {
		s += " or one of its children"
	}
	for _, f := range []struct {
		name string
		kib  *int64
	}{{"anon-rss", v.AnonRSSKiB}, {"file-rss", v.FileRSSKiB}, {"shmem-rss", v.ShmemRSSKiB}} {
		if f.kib != nil {
			s += fmt.Sprintf("  %s %s", f.name, report.Quantity(*f.kib))
		}
	}
	if v.OOMScoreAdj != nil {
		s += fmt.Sprintf("  oom_score_adj %d", *v.OOMScoreAdj)
	}
	switch v.From {
	case "summary":
		s += "  (named by the oom-kill summary)"
	case "reaper":
		s += "  (named by the oom_reaper)"
	case "selection":
		s += "  (named by the selection line)"
	case "shared-mm":
		s += "  (killed with the victim: it shared its memory)"
	}
	return s
}

func when(t *time.Time, boot *float64) string {
	switch {
	case t != nil && boot != nil:
		return fmt.Sprintf("%s (%.6fs after boot)", t.Format("2006-01-02 15:04:05.999999 MST"), *boot)
	case t != nil:
		return t.Format("2006-01-02 15:04:05.999999 MST")
	case boot != nil:
		return fmt.Sprintf("%.6fs after boot (wall clock unknown)", *boot)
	}
	return "time unknown"
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// archives says which node each archive is and what of it was read.
func (t *textWriter) archives(as []report.Archive) {
	if len(as) == 0 {
		return
	}
	t.printf("\nArchives\n")
	for _, a := range as {
		facts := []string{a.Kind}
		if a.Host != "" {
			facts = append(facts, "node "+a.Host)
		}
		if a.SosVersion != "" {
			facts = append(facts, "sos "+a.SosVersion)
		}
		if c := a.Collected.UTC(); !c.IsZero() && c.Equal(c.Truncate(24*time.Hour)) {
			facts = append(facts, "collected "+c.Format("2006-01-02")) // only the name's date is known
		} else if !c.IsZero() {
			facts = append(facts, "collected "+c.Format("2006-01-02 15:04 UTC"))
		}
		if a.Zone != "" {
			facts = append(facts, "zone "+a.Zone)
		}
		if !a.BootTime.IsZero() {
			facts = append(facts, "booted "+a.BootTime.UTC().Format("2006-01-02 15:04:05 UTC"))
		}
		facts = append(facts, plural(a.Used, "log")+" read", plural(a.Meta, "file")+" for node facts", fmt.Sprintf("%d skipped", a.Skipped))
		t.para("  ", "    ", a.Name+"  "+strings.Join(facts, ", "))
		for _, w := range a.Warnings {
			t.para("    ", "      ", "warning: "+w)
		}
		for _, m := range a.Members {
			t.printf("    %-60s %s\n", m.Path, m.Decision)
		}
	}
}

// deathNodes lists the nodes of the deaths in the order their first death appears.
func deathNodes(ds []report.Death) []string {
	var out []string
	seen := map[string]bool{}
	for _, d := range ds {
		if !seen[d.Node] {
			seen[d.Node] = true
			out = append(out, d.Node)
		}
	}
	return out
}

// nodeMemory says in one line what the node's memory held when it ran out.
func nodeMemory(m *report.NodeMemory) string {
	var parts []string
	if m.RAMKiB > 0 {
		parts = append(parts, "RAM "+report.Quantity(m.RAMKiB))
	}
	if m.ManagedKiB > 0 {
		parts = append(parts, fmt.Sprintf("free %s against min watermark %s", report.Quantity(m.FreeKiB), report.Quantity(m.MinKiB)))
	}
	parts = append(parts, fmt.Sprintf("anon %s, page cache %s, shmem %s, unevictable %s", report.Quantity(m.AnonKiB), report.Quantity(m.FileKiB), report.Quantity(m.ShmemKiB), report.Quantity(m.UnevictableKiB)))
	return strings.Join(parts, "; ")
}
