package parsers

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// How long a report may stay open. A header is followed by its kill within milliseconds (the
// task table of a big node takes longest); after the kill, memory.oom.group kills and the
// oom_reaper follow at once. Past these, the report is closed so a lost kill line does not
// keep the prefilter off for the rest of a large file.
const (
	reportOpenFor = time.Minute
	lingerAfter   = 2 * time.Second
)

type kernelParser struct {
	open     map[string]*kernelBlock // by host: one syslog file can interleave several nodes
	lastLine int                     // the last line fed, so a report that stops early says so
}

func newKernelParser() *kernelParser { return &kernelParser{open: map[string]*kernelBlock{}} }

// kernelBlock is a report being assembled.
type kernelBlock struct {
	oom      KernelOOM
	columns  []string         // task table columns after pid, as the header named them
	rows     map[int]Evidence // raw task rows by pid, so the victim's row can join the proof
	started  clockPoint       // when the report began
	lastKill clockPoint       // when the last kill line came; zero before any
	lastLine int              // the input line of the report's last line
	inTable  bool
	stats    memcgStatsAcc
}

// clockPoint is the best clock a line carries: boot time when present (monotonic within a
// boot), else the wall clock.
type clockPoint struct {
	boot    time.Duration
	wall    time.Time
	hasBoot bool
	set     bool
}

func pointOf(m *Message) clockPoint {
	return clockPoint{boot: m.Boot, wall: m.Wall, hasBoot: m.HasBoot, set: true}
}

// since returns how long after p the message m came, and false when the clocks differ.
func (p clockPoint) since(m *Message) (time.Duration, bool) {
	switch {
	case !p.set:
		return 0, false
	case p.hasBoot && m.HasBoot:
		return m.Boot - p.boot, true
	case !p.wall.IsZero() && !m.Wall.IsZero():
		return m.Wall.Sub(p.wall), true
	}
	return 0, false
}

func (k *kernelParser) Busy() bool { return len(k.open) > 0 }

func (k *kernelParser) Flush(out Out) {
	emit := out.Event // an OOM report gives events only
	hosts := make([]string, 0, len(k.open))
	for h := range k.open {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	for _, h := range hosts {
		why := "the input ends before the kill line"
		if b := k.open[h]; b.lastLine > 0 && k.lastLine > b.lastLine {
			why = fmt.Sprintf("the report stops at line %d without a kill line; the %s after it do not continue it",
				b.lastLine, plural(k.lastLine-b.lastLine, "line"))
		}
		k.close(h, emit, why)
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func (k *kernelParser) Feed(m *Message, out Out) {
	emit := out.Event
	k.lastLine = m.Line
	if m.Program != "kernel" {
		k.closeQuiet(m, emit)
		return
	}
	b := k.open[m.Host]
	if b != nil {
		if why, stale := b.stale(m); stale {
			k.close(m.Host, emit, why)
			b = nil
		}
	}
	defer func() {
		// Every kernel line of the host while a report is open may be part of it (the stack
		// trace, Mem-Info, the cpuset line): the report reaches at least that far.
		if b := k.open[m.Host]; b != nil {
			b.lastLine = m.Line
		}
	}()
	t := m.Text
	switch {
	case strings.Contains(t, "oom-killer: gfp_mask="):
		if sm := reHeader.FindStringSubmatch(t); sm != nil {
			b = k.restart(m, emit)
			b.oom.Trigger = &OOMTrigger{Comm: sm[1], GFPMask: sm[2], GFPFlags: sm[3],
				Order: atoi(sm[4]), OOMScoreAdj: atoi(sm[5])}
			b.add(m, RoleHeader)
		}
	case strings.HasPrefix(t, "oom-kill:"):
		if sm := reSummary.FindStringSubmatch(t); sm != nil {
			b = k.ensure(b, m, emit, b != nil && (len(b.oom.Kills) > 0 || b.oom.Summary != nil || b.oom.Constraint != ""))
			b.oom.Constraint, b.oom.OOMMemcg, b.oom.GlobalOOM, b.oom.TaskMemcg = sm[1], sm[5], sm[6] != "", sm[7]
			b.oom.Summary = &SummaryTask{Comm: sm[8], PID: atoi(sm[9]), UID: atoi(sm[10])}
			b.inTable = false
			b.add(m, RoleSummary)
		} else if f := partialSummary(t); f["constraint"] != "" && b != nil {
			// A summary cut short (a pager's ellipsis, a paste) still says what it got to.
			b.oom.Constraint, b.oom.OOMMemcg, b.oom.TaskMemcg = f["constraint"], f["oom_memcg"], f["task_memcg"]
			b.oom.GlobalOOM = f["global_oom"] != ""
			b.add(m, RoleSummaryCut)
		}
	case strings.Contains(t, " process ") && k.feedKill(b, m, emit):
	default:
		k.feedDump(b, m, emit)
	}
}

// stale reports that the open report cannot continue with m: it lingered long enough after
// its kill, it waited too long for one, or the clock went back (a new boot).
func (b *kernelBlock) stale(m *Message) (string, bool) {
	d, limit, why, ok := b.age(m)
	return why, ok && (d > limit || d < -time.Second)
}

// age is how long before m the report's clock started, the longest it may stay open, and
// why it closes once past that: after its last kill it lingers, before one it waits.
func (b *kernelBlock) age(m *Message) (d, limit time.Duration, why string, ok bool) {
	if b.lastKill.set {
		d, ok = b.lastKill.since(m)
		return d, lingerAfter, "", ok
	}
	d, ok = b.started.since(m)
	return d, reportOpenFor, "no kill line within a minute of the report's start", ok
}

// closeQuiet closes the host's open report once another program's line shows that the
// kernel has been quiet past the report's end: the report is whole, and the pipeline can
// skip unrelated lines again instead of framing each while it waits for a kernel line,
// which a node's log may not print for hours. An earlier stamp never closes it (journals
// interleave their sources a little out of order).
func (k *kernelParser) closeQuiet(m *Message, emit func(Event)) {
	if b := k.open[m.Host]; b != nil {
		if d, limit, why, ok := b.age(m); ok && d > limit {
			k.close(m.Host, emit, why)
		}
	}
}

// feedKill handles the selection and kill lines; it reports false for other lines.
func (k *kernelParser) feedKill(b *kernelBlock, m *Message, emit func(Event)) bool {
	t := m.Text
	if kill, ok := parseKill(t); ok {
		// A second kill in a report is a new, rate-limited report unless memory.oom.group
		// announced a group kill.
		fresh := b != nil && len(b.oom.Kills) > 0 && b.oom.Group == ""
		b = k.ensure(b, m, emit, fresh)
		kill.Evidence = m.Evidence(RoleKill)
		b.kill(m, kill)
		return true
	}
	if sm := reShared.FindStringSubmatch(t); sm != nil && b != nil && len(b.oom.Kills) > 0 {
		kill := Kill{Evidence: m.Evidence(RoleKill), PID: atoi(sm[1]), Comm: sm[2], Shared: true, UID: -1,
			TotalVMKiB: -1, AnonRSSKiB: -1, FileRSSKiB: -1, ShmemRSSKiB: -1}
		b.kill(m, kill)
		return true
	}
	if sm := reSelect.FindStringSubmatch(t); sm != nil {
		b = k.ensure(b, m, emit, b != nil && (len(b.oom.Kills) > 0 || b.oom.Selected != nil))
		b.oom.Selected = &SelectedTask{Reason: sm[1], PID: atoi(sm[2]), Comm: sm[3], Score: atoi64(sm[4])}
		b.inTable = false
		b.add(m, RoleSelected)
		return true
	}
	return false
}

// kill adds a kill line to the report.
func (b *kernelBlock) kill(m *Message, kill Kill) {
	if !b.hasKill(kill.PID) { // memory.oom.group prints the first victim again among the members
		b.oom.Kills = append(b.oom.Kills, kill)
	}
	b.lastKill = pointOf(m)
	b.lastLine = m.Line
	b.inTable = false
	b.oom.Lines = append(b.oom.Lines, kill.Evidence)
}

// feedDump handles the body of the report: memcg counters, the pre-5.0 "Task in" line, the
// stats header, Mem-Info, the task table, group kills and the reaper.
func (k *kernelParser) feedDump(b *kernelBlock, m *Message, emit func(Event)) {
	t := m.Text
	if b != nil && b.stats.statLine(t) {
		return // one stat of the memcg ("anon 33312768"): part of the report, not a proof line
	}
	if b != nil && b.inTable {
		if sm := reTableRow.FindStringSubmatch(t); sm != nil {
			b.addRow(m, atoi(sm[1]), sm[2])
			return
		}
	}
	if sm := reCounter.FindStringSubmatch(t); sm != nil {
		c := &MemCounter{UsageKiB: atoi64(sm[2]), LimitKiB: atoi64(sm[3]), Failcnt: atoi64(sm[4])}
		if sm[1] == "memory" {
			b = k.ensure(b, m, emit, b != nil && (b.oom.Memory != nil || len(b.oom.Kills) > 0))
		} else if b == nil {
			return
		}
		switch sm[1] {
		case "memory":
			b.oom.Memory = c
		case "memory+swap":
			b.oom.MemSwap = c
		case "kmem":
			b.oom.Kmem = c
		case "swap":
			b.oom.Swap = c
		}
		b.add(m, RoleMemcgUsage)
		return
	}
	if sm := reTaskIn.FindStringSubmatch(t); sm != nil {
		b = k.ensure(b, m, emit, b != nil && (len(b.oom.Kills) > 0 || b.oom.TaskIn))
		b.oom.TaskMemcg, b.oom.OOMMemcg, b.oom.TaskIn = sm[1], sm[2], true
		b.add(m, RoleTaskIn)
		return
	}
	if sm := reLimitOf.FindStringSubmatch(t); sm != nil {
		b = k.ensure(b, m, emit, b != nil && len(b.oom.Kills) > 0)
		b.oom.OOMMemcg = sm[1]
		b.add(m, RoleTaskIn)
		return
	}
	if sm := reStatsFor.FindStringSubmatch(t); sm != nil {
		// Before 5.3, cgroup v1 printed one stats line per memcg of the OOMing hierarchy; a
		// window of a report may start here.
		b = k.ensure(b, m, emit, b != nil && len(b.oom.Kills) > 0)
		b.oom.StatsFor = append(b.oom.StatsFor, sm[1])
		b.stats.statsHeaderRest(t[len(sm[0]):])
		b.add(m, RoleMemcgStats)
		return
	}
	if strings.HasPrefix(t, "Tasks in ") {
		if sm := reGroup.FindStringSubmatch(t); sm != nil {
			// It follows the victim's kill and precedes the group's; it names their cgroup even
			// when the summary before it is lost.
			b = k.ensure(b, m, emit, b != nil && b.oom.Group != "")
			b.oom.Group = sm[1]
			b.add(m, RoleOOMGroup)
		}
		return
	}
	if strings.HasPrefix(t, "oom_reaper: ") {
		// The reaper frees a victim's memory after the kill: it joins its report, or stands
		// alone as the proof that the process was killed.
		var r Reaped
		if sm := reReaped.FindStringSubmatch(t); sm != nil {
			r = Reaped{PID: atoi(sm[1]), Comm: sm[2]}
		} else if sm := reUnable.FindStringSubmatch(t); sm != nil {
			r = Reaped{PID: atoi(sm[1]), Comm: sm[2], Unable: true}
		} else {
			return
		}
		b = k.ensure(b, m, emit, b != nil && b.hasReaped(r.PID))
		b.reaped(m, r)
		return
	}
	if b == nil {
		return // the rest only has meaning inside a report
	}
	switch {
	case strings.HasPrefix(t, "Mem-Info:"):
		b.oom.MemInfo = true
		b.add(m, RoleMeminfo)
	case b.oom.MemInfo && (strings.HasPrefix(t, "Node ") || strings.HasSuffix(t, " pages RAM")):
		if b.oom.Mem == nil {
			b.oom.Mem = &MemPicture{}
		}
		if b.oom.Mem.read(t) {
			b.add(m, RoleMeminfo)
		}
	case strings.HasPrefix(t, "["):
		if sm := reTableHeader.FindStringSubmatch(t); sm != nil {
			b.columns = strings.Fields(sm[1])
			b.lastLine = m.Line
			b.inTable = true
		}
	}
}

// ensure returns the open report, or opens one when there is none or fresh says the line
// belongs to a new report (a summary after a kill: the next report's header was rate-limited).
func (k *kernelParser) ensure(b *kernelBlock, m *Message, emit func(Event), fresh bool) *kernelBlock {
	if b != nil && !fresh {
		return b
	}
	return k.restart(m, emit)
}

func (k *kernelParser) restart(m *Message, emit func(Event)) *kernelBlock {
	k.close(m.Host, emit, "a new OOM report starts before the kill line")
	b := &kernelBlock{started: pointOf(m), rows: map[int]Evidence{}}
	b.oom.Host = m.Host
	k.open[m.Host] = b
	return b
}

// close emits the host's open report: a KernelOOM when it has a kill, else an IncompleteOOM
// saying why.
func (k *kernelParser) close(host string, emit func(Event), why string) {
	b := k.open[host]
	if b == nil {
		return
	}
	delete(k.open, host)
	if !b.oom.Decided() {
		if len(b.oom.Lines) > 0 && why != "" {
			emit(&IncompleteOOM{Host: host, Why: why, Seen: b.oom.Seen(), Lines: b.oom.Lines})
		}
		return
	}
	for i := range b.oom.Kills {
		kill := &b.oom.Kills[i]
		if row, ok := b.rows[kill.PID]; ok {
			b.oom.Lines = append(b.oom.Lines, row)
		}
		if kill.OOMScoreAdj == nil {
			for _, r := range b.oom.Tasks {
				if r.PID == kill.PID {
					adj := r.OOMScoreAdj
					kill.OOMScoreAdj = &adj
				}
			}
		}
	}
	if len(b.oom.Kills) == 0 { // the victim named by the summary, the reaper or the selection
		for _, pid := range b.namedPIDs() {
			if row, ok := b.rows[pid]; ok {
				b.oom.Lines = append(b.oom.Lines, row)
				break
			}
		}
	}
	sort.SliceStable(b.oom.Lines, func(i, j int) bool { return b.oom.Lines[i].Line < b.oom.Lines[j].Line })
	b.oom.Lines = slices.Clone(b.oom.Lines) // no spare capacity kept per report
	b.oom.Stats = b.stats.result()
	b.oom.readCgroups()
	// A copy, so the report does not keep the block alive: its task rows by pid and its stats
	// accumulator are of no use once the report is made, and a node can log thousands.
	oom := b.oom
	emit(&oom)
}

func (b *kernelBlock) hasKill(pid int) bool {
	for _, k := range b.oom.Kills {
		if k.PID == pid {
			return true
		}
	}
	return false
}

// namedPIDs are the pids a report without a kill line names as its victim, best first.
func (b *kernelBlock) namedPIDs() []int {
	var out []int
	if b.oom.Summary != nil {
		out = append(out, b.oom.Summary.PID)
	}
	for _, r := range b.oom.Reaped {
		out = append(out, r.PID)
	}
	if b.oom.Selected != nil {
		out = append(out, b.oom.Selected.PID)
	}
	return out
}

func (b *kernelBlock) hasReaped(pid int) bool {
	for _, r := range b.oom.Reaped {
		if r.PID == pid {
			return true
		}
	}
	return false
}

func (b *kernelBlock) add(m *Message, role Role) {
	b.oom.Lines = append(b.oom.Lines, m.Evidence(role))
	b.lastLine = m.Line
}

func (b *kernelBlock) reaped(m *Message, r Reaped) {
	r.Evidence = m.Evidence(RoleReaper)
	b.oom.Reaped = append(b.oom.Reaped, r)
	b.oom.Lines = append(b.oom.Lines, r.Evidence)
	b.lastLine = m.Line
	if !b.lastKill.set {
		b.lastKill = pointOf(m) // the kill is done: linger only briefly for its companions
	}
}

// addRow parses a task row by the columns its header named, so that every table layout
// (nr_ptes/nr_pmds before 4.15, pgtables_bytes after, rss_anon/rss_file/rss_shmem in 6.x)
// reads the same way. The name is last and may contain spaces.
func (b *kernelBlock) addRow(m *Message, pid int, rest string) {
	numeric := len(b.columns) - 1
	if numeric < 1 {
		return
	}
	fields := strings.Fields(rest)
	if len(fields) < numeric {
		return
	}
	row := TaskRow{PID: pid, TGID: -1, UID: -1, TotalVMPages: -1, RSSPages: -1, PgtablesBytes: -1, SwapEnts: -1}
	for i, col := range b.columns[:numeric] {
		v, err := strconv.ParseInt(fields[i], 10, 64)
		if err != nil {
			return
		}
		switch col {
		case "uid":
			row.UID = int(v)
		case "tgid":
			row.TGID = int(v)
		case "total_vm":
			row.TotalVMPages = v
		case "rss":
			row.RSSPages = v
		case "pgtables_bytes":
			row.PgtablesBytes = v
		case "swapents":
			row.SwapEnts = v
		case "oom_score_adj":
			row.OOMScoreAdj = int(v)
		}
	}
	row.Name = nameAfterFields(rest, numeric)
	b.oom.Tasks = append(b.oom.Tasks, row)
	b.rows[pid] = m.Evidence(RoleVictimTask)
	b.lastLine = m.Line
}

// nameAfterFields returns what follows the first n whitespace-separated fields of s.
func nameAfterFields(s string, n int) string {
	for i := 0; i < n; i++ {
		s = strings.TrimLeft(s, " \t")
		j := strings.IndexAny(s, " \t")
		if j < 0 {
			return ""
		}
		s = s[j:]
	}
	return strings.TrimLeft(s, " \t")
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func atoi64(s string) int64 { n, _ := strconv.ParseInt(s, 10, 64); return n }

// optInt64 parses an optional field: -1 when the kernel did not print it.
func optInt64(s string) int64 {
	if s == "" {
		return -1
	}
	return atoi64(s)
}

// ParseKernelMessages runs the kernel parser over messages that did not come from an input's
// lines (the kernel lines node-problem-detector quotes in an OOMKilling Event).
func ParseKernelMessages(ms []*Message) []*KernelOOM {
	p := newKernelParser()
	var ooms []*KernelOOM
	out := Out{Event: func(ev Event) {
		if k, ok := ev.(*KernelOOM); ok {
			ooms = append(ooms, k)
		}
	}, Warn: func(Warning) {}}
	for _, m := range ms {
		p.Feed(m, out)
	}
	p.Flush(out)
	return ooms
}

// IsOOMReportLine says whether a kernel message is one a log store can be searched around to
// read the whole OOM report: the header, the ≥ 5.0 summary or a kill line.
func IsOOMReportLine(text string) bool {
	_, kill := parseKill(text)
	return kill || reHeader.MatchString(text) || reSummary.MatchString(text)
}
