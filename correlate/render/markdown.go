package render

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// Markdown writes the report ready to paste into a ticket or a GitHub issue: the summary, one
// section per death answering what, why (and why not the others), the numbers, what to do,
// the proof (decisive lines marked) and what is missing; then node pressure and the inputs.
func Markdown(w io.Writer, rep *report.Report) error {
	rep = escaped(rep)
	bw := bufio.NewWriter(w)
	m := &mdWriter{w: bw}
	m.printf("# coroner report\n\n")
	m.printf("%s, %s in %s.\n", plural(len(rep.Deaths), "container death"), plural(len(rep.HostKills), "host kill"), plural(len(rep.Inputs), "input"))
	m.summary(rep)
	for i := range rep.Deaths {
		m.death(&rep.Deaths[i], i+1, "")
	}
	for i := range rep.HostKills {
		m.death(&rep.HostKills[i], len(rep.Deaths)+i+1, killLabel(&rep.HostKills[i]))
	}
	m.pressure(rep.Pressure)
	for _, inc := range rep.Incomplete {
		m.printf("\n## Incomplete OOM report in `%s`\n\n%s.\n\n", inc.Input, capitalizeFirst(inc.Reason))
		m.proof(inc.Evidence)
	}
	m.inputs(rep)
	return bw.Flush()
}

type mdWriter struct{ w *bufio.Writer }

func (m *mdWriter) printf(format string, args ...any) { fmt.Fprintf(m.w, format, args...) }

func (m *mdWriter) summary(rep *report.Report) {
	s := rep.Summary
	if s == nil || len(rep.Deaths) == 0 && len(rep.Pressure) == 0 {
		return
	}
	m.printf("\n## Summary\n\n| | |\n|---|---|\n")
	m.printf("| by mechanism | %s |\n| by namespace | %s |\n| by node | %s |\n", mdCell(counts(s.ByMechanism)), mdCell(counts(s.ByNamespace)), mdCell(counts(s.ByNode)))
	if s.Pressure > 0 {
		m.printf("| node pressure episodes | %d |\n", s.Pressure)
	}
	if len(s.TopWorkloads) > 0 {
		m.printf("\n**Dying again and again:**\n\n")
		for _, wl := range s.TopWorkloads {
			m.printf("- `%s/%s` container `%s`: %d deaths (%s)\n", wl.Namespace, wl.Name, wl.Container, wl.Deaths, counts(wl.ByMech))
		}
	}
}

// deathTitle names a death in one line: mechanism, who, where, when.
func deathTitle(d *report.Death, label string) string {
	if label == "" {
		label = string(d.Mechanism)
	}
	who := "unknown container"
	switch {
	case d.Pod != "" && d.Container != "":
		who = d.Namespace + "/" + d.Pod + " `" + d.Container + "`"
	case d.Pod != "":
		who = "pod " + d.Namespace + "/" + d.Pod
	case d.ContainerID != "":
		who = "container " + short(d.ContainerID)
	case d.Cgroup != "":
		who = d.Cgroup
	}
	t := label + ": " + who
	if d.Node != "" {
		t += " on " + d.Node
	}
	if d.Age != "" {
		return t + ", " + d.Age + " before kubectl printed it"
	}
	return t + ", " + when(d.Time, d.BootTime)
}

// death writes one death: its title and verdict, a table of its facts, the reasoning lists
// and the proof.
func (m *mdWriter) death(d *report.Death, n int, label string) {
	m.printf("\n## %d. %s\n\n", n, deathTitle(d, label))
	m.printf("**%s** (%s confidence). %s\n\n", d.Mechanism, d.Confidence, d.Summary)
	if facts := mdFacts(d); len(facts) > 0 {
		m.printf("| | |\n|---|---|\n")
		for _, f := range facts {
			m.printf("| %s | %s |\n", f[0], mdCell(f[1]))
		}
		m.printf("\n")
	}
	m.list("Why not the other mechanisms", d.RuledOut)
	m.listAsIs("What to do", d.Advice)
	m.list("Caveats", d.Notes)
	m.list("What would raise the confidence", d.Missing)
	m.printf("**Proof** (▶ marks the lines the verdict rests on):\n\n")
	m.proof(d.Evidence)
}

// mdFacts are the rows of a death's fact table: its history and identity, then the kill's
// particulars. Empty facts have no row.
func mdFacts(d *report.Death) [][2]string {
	var facts [][2]string
	add := func(k, v string) {
		if v != "" {
			facts = append(facts, [2]string{k, v})
		}
	}
	add("local time", d.LocalTime)
	if d.Repeats > 1 || d.Restarts > 0 {
		add("history", history(d))
	}
	for _, l := range d.LeadUp {
		add("lead-up", l.Time.Format("15:04:05")+" UTC, "+l.What)
	}
	if d.PodUID != "" {
		add("pod", strings.TrimSpace(fmt.Sprintf("uid `%s`, QoS %s", d.PodUID, cmp.Or(d.QoS, "unknown"))))
	}
	if d.ContainerID != "" {
		add("container ID", "`"+d.ContainerID+"` "+d.Runtime)
	}
	if d.ExitCode != nil || d.Reason != "" {
		code := "?"
		if d.ExitCode != nil {
			code = fmt.Sprint(*d.ExitCode)
		}
		add("exit", fmt.Sprintf("code %s, reason %s", code, cmp.Or(d.Reason, "none")))
	}
	if mem := d.Memory; mem != nil {
		add("limit vs usage", fmt.Sprintf("limit %s, usage %s, failcnt %d (`%s`, %s scope)", limitH(mem.LimitKiB), report.Quantity(mem.UsageKiB), mem.Failcnt, mem.LimitCgroup, cmp.Or(d.LimitScope, "unknown")))
	}
	for _, v := range d.Victims {
		add("victim", victim(v))
	}
	if r := reportParts(d); r != "" {
		add("report", r)
	}
	if e := d.Eviction; e != nil {
		add("eviction", evictionLine(e))
		for _, u := range e.Usage {
			add("usage vs request", fmt.Sprintf("container %s used %s, request %s", u.Container, u.Usage, u.Request))
		}
		if len(e.RankedPods) > 0 {
			add("kubelet's ranking", strings.Join(e.RankedPods, ", "))
		}
		if len(e.Others) > 0 {
			add("also evicted", e.OthersText())
		}
	}
	if k := d.Kill; k != nil {
		add("killed for", k.Reason+": "+k.Message)
	}
	if d.NodeMemory != nil {
		add("node memory", nodeMemory(d.NodeMemory))
	}
	for _, t := range d.TopTasks {
		add("top task", fmt.Sprintf("%s (pid %d): rss %s, oom_score_adj %d", t.Name, t.PID, report.Quantity(t.RSSKiB), t.OOMScoreAdj))
	}
	return facts
}

// list prints notes, which the correlator writes as clauses, as sentences.
func (m *mdWriter) list(title string, items []string) {
	caps := make([]string, len(items))
	for i, it := range items {
		caps[i] = capitalizeFirst(it)
	}
	m.listAsIs(title, caps)
}

func (m *mdWriter) listAsIs(title string, items []string) {
	if len(items) == 0 {
		return
	}
	m.printf("**%s:**\n\n", title)
	for _, it := range items {
		m.printf("- %s\n", it)
	}
	m.printf("\n")
}

// proof prints evidence lines in a fenced block, each with its input and line.
func (m *mdWriter) proof(ev []report.Evidence) {
	fence := "```"
	for _, e := range ev {
		for strings.Contains(e.Text, fence) {
			fence += "`"
		}
	}
	m.printf("%s\n", fence)
	for _, e := range ev {
		mark := "  "
		if e.Decisive {
			mark = "▶ "
		}
		m.printf("%s%s:%d  %s\n", mark, e.Input, e.Line, e.Text)
	}
	m.printf("%s\n", fence)
}

func (m *mdWriter) pressure(ps []report.Pressure) {
	if len(ps) == 0 {
		return
	}
	m.printf("\n## Node pressure\n\n")
	for _, p := range ps {
		m.printf("- %s", p.Summary)
		if len(p.RankedPods) > 0 {
			m.printf(" Ranked for eviction: %s.", strings.Join(p.RankedPods, ", "))
		}
		if len(p.AdmissionRefused) > 0 {
			m.printf(" Refused admission: %s.", strings.Join(p.AdmissionRefused, ", "))
		}
		m.printf("\n")
	}
}

func (m *mdWriter) inputs(rep *report.Report) {
	m.printf("\n## Inputs\n\n| input | kind | lines | node | span (UTC) | warnings |\n|---|---|---|---|---|---|\n")
	for _, in := range rep.Inputs {
		span := ""
		if in.First != nil {
			span = in.First.Format("2006-01-02 15:04:05") + " – " + in.Last.Format("2006-01-02 15:04:05")
		}
		warn := fmt.Sprint(len(in.Warnings))
		if in.Error != "" {
			warn = "error: " + in.Error
		}
		m.printf("| `%s` | %s | %d | %s | %s | %s |\n", in.Name, in.Kind, in.Lines, in.Node, span, mdCell(warn))
	}
	for _, a := range rep.Archives {
		for _, wn := range a.Warnings {
			m.printf("\n> **%s**: %s\n", a.Name, wn)
		}
	}
}

// mdCell keeps a value inside a table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func capitalizeFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// limitH renders a limit as people read it, or "unlimited".
func limitH(l report.Limit) string {
	if n, ok := l.KiB(); ok {
		return report.Quantity(n)
	}
	return l.String()
}

func short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
