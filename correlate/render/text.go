package render

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate"
	"github.com/k8s-coroner/coroner/parsers"
	"github.com/k8s-coroner/coroner/sources"
)

// Text writes the report for a person at a terminal: a headline, one block per death, the
// host kills and incomplete reports, then what became of each input.
func Text(w io.Writer, rep *correlate.Report, colors bool) error {
	bw := bufio.NewWriter(w)
	t := &textWriter{w: bw, colors: colors}
	t.headline(rep)
	// Several nodes: one heading per node, its deaths in time order below it.
	nodes := deathNodes(rep.Deaths)
	for _, n := range nodes {
		if len(nodes) > 1 {
			t.printf("\n── node %s ──\n", or(n, "(unknown)"))
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
			t.printf("\n◆ %s\n", p.Summary)
			if len(p.RankedPods) > 0 {
				t.field("ranked", strings.Join(p.RankedPods, ", "))
			}
			if len(p.AdmissionRefused) > 0 {
				t.field("refused", strings.Join(p.AdmissionRefused, ", "))
			}
			if len(p.Thresholds) > 0 {
				t.field("config", "hard thresholds "+strings.Join(p.Thresholds, ", "))
			}
			t.evidence(p.Evidence)
		}
	}
	for _, inc := range rep.Incomplete {
		t.printf("\n? incomplete OOM report in %s: %s\n", inc.Input, inc.Reason)
		t.evidence(inc.Evidence)
	}
	t.archives(rep.Archives)
	t.inputs(rep.Inputs)
	t.node(rep)
	return bw.Flush()
}

// node prints the live state coroner node read, and the run's warnings.
func (t *textWriter) node(rep *correlate.Report) {
	if n := rep.Node; n != nil {
		t.printf("\nNode %s (kernel %s, %s memory, cgroup %s)\n", or(n.Hostname, "?"), or(n.Kernel, "?"), kibText(n.MemTotalKiB), or(n.CgroupVersion, "?"))
		if k := n.Kubelet; k != nil {
			t.printf("  kubelet   cgroup driver %s, evictionHard %v, evictionSoft %v, kubeReserved %v, systemReserved %v\n",
				or(k.CgroupDriver, "?"), k.EvictionHard, k.EvictionSoft, k.KubeReserved, k.SystemReserved)
		}
		for _, c := range n.Cgroups {
			if c.OOMKills > 0 {
				limit := "unlimited"
				if c.LimitKiB != nil {
					limit = kibText(*c.LimitKiB)
				}
				t.printf("  cgroup    %s: limit %s, usage %s, %d OOM kills so far\n", c.Path, limit, kibText(c.UsageKiB), c.OOMKills)
			}
		}
	}
	for _, w := range rep.Warnings {
		t.printf("warning: %s\n", w)
	}
}

func kibText(n int64) string { return fmt.Sprintf("%d KiB", n) }

// limitText is a limit in exact KiB, or "unlimited".
func limitText(l correlate.Limit) string {
	if n, ok := l.KiB(); ok {
		return kibText(n)
	}
	return l.String()
}

type textWriter struct {
	w      *bufio.Writer
	colors bool
}

func (t *textWriter) printf(format string, args ...any) { fmt.Fprintf(t.w, format, args...) }

func (t *textWriter) headline(rep *correlate.Report) {
	t.printf("coroner: %s, %s in %s\n", plural(len(rep.Deaths), "container death"),
		plural(len(rep.HostKills), "host kill"), plural(len(rep.Inputs), "input"))
	s := rep.Summary
	if s == nil || s.Deaths < 2 && s.Pressure == 0 {
		return
	}
	t.printf("\nSummary\n")
	for _, row := range []struct {
		name  string
		tally map[string]int
	}{{"mechanism", s.ByMechanism}, {"namespace", s.ByNamespace}, {"node", s.ByNode}} {
		if len(row.tally) > 0 {
			t.field(row.name, counts(row.tally))
		}
	}
	for _, w := range s.TopWorkloads {
		t.field("repeat", fmt.Sprintf("%s/%s container %s died %d times (%s)", w.Namespace, w.Name, w.Container, w.Deaths, counts(w.ByMech)))
	}
	if s.Pressure > 0 {
		t.field("pressure", plural(s.Pressure, "node pressure episode")+" (listed after the deaths)")
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
func mechColor(m string) string {
	switch m {
	case correlate.CgroupOOM:
		return "33" // yellow
	case correlate.KernelOOM:
		return "31" // red
	case correlate.KubeletEviction:
		return "35" // magenta
	case correlate.NotMemory:
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

func (t *textWriter) death(d *correlate.Death, label string) {
	if label == "" {
		label = d.Mechanism
	}
	at := when(d.Time, d.BootTime)
	if d.Age != "" {
		at = d.Age + " before kubectl printed it (--now dates it)"
	}
	t.printf("\n%s (%s confidence)  %s", t.color(mechColor(d.Mechanism), "● "+label), d.Confidence, at)
	if d.Node != "" {
		t.printf("  node %s", d.Node)
	}
	t.printf("\n")
	t.field("what", d.Summary)
	if d.LocalTime != "" {
		t.field("local", d.LocalTime+" on the node")
	}
	if d.Repeats > 1 || d.Restarts > 0 {
		t.field("history", history(d))
	}
	for _, l := range d.LeadUp {
		t.field("lead-up", l.Time.Format("15:04:05")+"  "+l.What)
	}
	for _, r := range d.RuledOut {
		t.field("ruled out", r)
	}
	if d.PodUID != "" {
		t.field("pod", strings.TrimSpace(fmt.Sprintf("uid %s  qos %s", or(d.PodUID, "?"), or(d.QoS, "?"))))
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
	if d.ExitCode != nil || d.Reason != "" {
		code := "?"
		if d.ExitCode != nil {
			code = fmt.Sprint(*d.ExitCode)
		}
		t.field("exit", fmt.Sprintf("code %s, reason %s", code, or(d.Reason, "?")))
	}
	if e := d.Eviction; e != nil {
		t.field("eviction", fmt.Sprintf("resource %s, signal %s, threshold %s, observed %s", or(e.Resource, "?"), or(e.Signal, "?"), or(e.Threshold, "?"), or(e.Observed, "?")))
		if len(e.RankedPods) > 0 {
			t.field("ranked", strings.Join(e.RankedPods, ", "))
		}
		if len(e.Others) > 0 {
			t.field("also", "evicted in the same episode: "+strings.Join(e.Others, ", "))
		}
	}
	if k := d.Kill; k != nil {
		t.field("kill", fmt.Sprintf("%s: %s", k.Reason, k.Message))
	}
	for _, v := range d.Victims {
		t.field("victim", victim(v))
	}
	if r := reportParts(d); r != "" {
		t.field("report", r)
	}
	if c := d.CgroupNow; c != nil {
		t.field("now", fmt.Sprintf("the cgroup still exists: usage %d KiB, %d OOM kills counted", c.UsageKiB, c.OOMKills))
	}
	if m := d.Memory; m != nil {
		where := fmt.Sprintf(" (%s, scope %s)", m.LimitCgroup, or(d.LimitScope, "?"))
		if m.LimitCgroup == "" {
			where = " (the cgroup is not in the log)"
		}
		t.field("limit", fmt.Sprintf("%s, usage %d KiB, failcnt %d%s", limitText(m.LimitKiB), m.UsageKiB, m.Failcnt, where))
	}
	if m := d.NodeMemory; m != nil {
		t.field("node mem", nodeMemory(m))
	}
	for _, task := range d.TopTasks {
		t.field("top task", fmt.Sprintf("%s (pid %d)  rss %d KiB  oom_score_adj %d", task.Name, task.PID, task.RSSKiB, task.OOMScoreAdj))
	}
	for _, n := range d.Notes {
		t.field("note", n)
	}
	for _, m := range d.Missing {
		t.field("missing", m)
	}
	for _, a := range d.Advice {
		t.field("advice", a)
	}
	t.evidence(d.Evidence)
}

// history says how often the container died: in this analysis, and by pod status's count.
func history(d *correlate.Death) string {
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

func (t *textWriter) field(name, value string) {
	t.printf("  %-9s  %s\n", name, value)
}

func (t *textWriter) evidence(ev []correlate.Evidence) {
	for i, e := range ev {
		name := ""
		if i == 0 {
			name = "evidence"
		}
		mark := " "
		if e.Decisive {
			mark = "▶"
		}
		t.printf("  %-9s %s%s:%d  %s\n", name, mark, e.Input, e.Line, e.Text)
	}
}

func (t *textWriter) inputs(ins []correlate.Input) {
	t.printf("\nInputs\n")
	for _, in := range ins {
		t.printf("  %s  %s, %s", in.Name, in.Kind, plural(in.Lines, "line"))
		if in.Node != "" {
			t.printf(", node %s", in.Node)
		}
		t.printf("\n")
		if in.Error != "" {
			t.printf("    error: %s\n", in.Error)
		}
		if in.Clock != nil {
			t.printf("    clock: %s\n", in.Clock)
		}
		for _, w := range in.Warnings {
			if w.Line > 0 {
				t.printf("    warning: %s:%d: %s\n", in.Name, w.Line, w.Message)
			} else {
				t.printf("    warning: %s: %s\n", in.Name, w.Message)
			}
		}
	}
}

func victim(v correlate.Victim) string {
	s := v.Name()
	if v.OrChild {
		s += " or one of its children"
	}
	for _, f := range []struct {
		name string
		kib  *int64
	}{{"anon-rss", v.AnonRSSKiB}, {"file-rss", v.FileRSSKiB}, {"shmem-rss", v.ShmemRSSKiB}} {
		if f.kib != nil {
			s += fmt.Sprintf("  %s %d KiB", f.name, *f.kib)
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

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// archives says which node each archive is and what of it was read.
func (t *textWriter) archives(as []sources.ArchiveInfo) {
	if len(as) == 0 {
		return
	}
	t.printf("\nArchives\n")
	for _, a := range as {
		t.printf("  %s  %s", a.Name, a.Kind)
		var facts []string
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
		facts = append(facts, fmt.Sprintf("%d logs read, %d files for node facts, %d skipped", a.Used, a.Meta, a.Skipped))
		t.printf(", %s\n", strings.Join(facts, ", "))
		for _, w := range a.Warnings {
			t.printf("    warning: %s\n", w)
		}
		for _, m := range a.Members {
			t.printf("    %-60s %s\n", m.Path, m.Decision)
		}
	}
}

// deathNodes lists the nodes of the deaths in the order their first death appears.
func deathNodes(ds []correlate.Death) []string {
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
func nodeMemory(m *parsers.MemPicture) string {
	var parts []string
	if m.RAMKiB > 0 {
		parts = append(parts, "RAM "+kibH(m.RAMKiB))
	}
	if m.ManagedKiB > 0 {
		parts = append(parts, fmt.Sprintf("free %s against min watermark %s", kibH(m.FreeKiB), kibH(m.MinKiB)))
	}
	parts = append(parts, fmt.Sprintf("anon %s, page cache %s, shmem %s, unevictable %s", kibH(m.AnonKiB), kibH(m.FileKiB), kibH(m.ShmemKiB), kibH(m.UnevictableKiB)))
	return strings.Join(parts, "; ")
}
