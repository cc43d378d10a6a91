package correlate

import (
	"fmt"
	"strconv"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
)

// mergeDuplicates folds reports of the same OOM kill seen in several inputs (dmesg and
// /var/log/messages of one node, a full dmesg and a `grep oom` of the journal) into one. Two
// reports are the same when they share a line that names the kill with its PID (the kill
// line with its sizes, the summary, the reaper, the selection with its score), their hosts do
// not contradict each other and their times, where both are known, are close. Reports that
// share no line but name the same victim PID on one host within a few seconds are one kill
// too: one input may hold only the summary, another only the kill line. The richest report
// (most lines) is kept and gains the other's lines as evidence and any field it lacked.
//
// An oom_reaper line that came after its report had closed (the reaper runs in its own
// thread) joins the report whose kill it reaped, in the same input.
//
// The same kill stamped further apart by two inputs (a node log read in the wrong zone, a
// drifting clock) is still one kill when its line is identical and the hosts agree, within an
// hour; the returned notes say by how much the inputs disagree.
func mergeDuplicates(ooms []*parsers.KernelOOM) ([]*parsers.KernelOOM, map[*parsers.KernelOOM][]report.Note) {
	var out []*parsers.KernelOOM
	notes := map[*parsers.KernelOOM][]report.Note{}
	byLine, byVictim := copyIndex{}, copyIndex{}
	index := func(o *parsers.KernelOOM) {
		for _, k := range lineKeys(o) {
			byLine.add(k, o)
		}
		for _, k := range victimKeys(o) {
			byVictim.add(k, o)
		}
	}
	for _, o := range ooms {
		var into *parsers.KernelOOM
		for _, key := range lineKeys(o) {
			// sameKill never joins two reports of one input, and allows an hour between them.
			if into = byLine.find(key, o, max(crossInputSlack, eventKillSlack), false, func(prev *parsers.KernelOOM) bool { return sameKill(prev, o) }); into != nil {
				break
			}
		}
		// sameVictim joins reports of one input only to a lone reaper or selection, within
		// reaperSlack after; across inputs within sameKillSlack.
		lone := reaperOnly(o) || selectionOnly(o)
		for _, key := range victimKeys(o) {
			if into != nil {
				break
			}
			into = byVictim.find(key, o, max(sameKillSlack, reaperSlack), lone, func(prev *parsers.KernelOOM) bool { return sameVictim(prev, o) })
		}
		if into == nil {
			c := *o
			index(&c)
			out = append(out, &c)
			continue
		}
		if y, guessed, ok := yearDisagreement(into, o); ok {
			notes[into] = append(notes[into], report.Note{Code: report.NoteYearGuessed, Text: fmt.Sprintf("%s has no year in its stamps and was read as %d; %s dates this kill %d",
				guessed.Lines[0].Input, guessed.Decisive().Wall.Year(), other(into, o, guessed).Lines[0].Input, y)})
		}
		if d := killSkew(into, o); d > sameKillSlack {
			notes[into] = append(notes[into], report.Note{Code: report.NoteInputsDisagree, Text: fmt.Sprintf("%s and %s stamp this kill %s apart: a time zone (--tz) or a clock is off",
				into.Lines[0].Input, o.Lines[0].Input, d.Round(time.Millisecond))})
		}
		absorb(into, o)
		index(into)
	}
	return out, notes
}

// lineKeys are the bodies of a report's lines that name one kill: they carry a PID and sizes
// or a score, so the same text in two inputs is the same record.
func lineKeys(o *parsers.KernelOOM) []string {
	var out []string
	for _, l := range o.Lines {
		switch l.Role {
		case parsers.RoleKill, parsers.RoleSummary, parsers.RoleReaper, parsers.RoleSelected, parsers.RoleEventOOMKilling:
			out = append(out, l.Body)
		}
	}
	return out
}

// victimKeys name the processes a report says were killed, by host, PID and name.
func victimKeys(o *parsers.KernelOOM) []string {
	var out []string
	add := func(pid int, comm string) { out = append(out, nodeKey(o.Host)+"|"+strconv.Itoa(pid)+"|"+comm) }
	for _, k := range o.Kills {
		add(k.PID, k.Comm)
	}
	if s := o.Summary; s != nil {
		add(s.PID, s.Comm)
	}
	for _, r := range o.Reaped {
		add(r.PID, r.Comm)
	}
	if s := o.Selected; s != nil && len(o.Kills) == 0 {
		add(s.PID, s.Comm)
	}
	return out
}

// crossInputSlack is how far apart two inputs may stamp one identical kill line of one host.
const crossInputSlack = time.Hour

// reaperSlack is how long after its kill an oom_reaper line may come and still be that kill's.
const reaperSlack = time.Minute

func killSkew(a, b *parsers.KernelOOM) time.Duration {
	ea, eb := a.Decisive(), b.Decisive()
	ta, tb := ea.Wall, eb.Wall
	if ta.IsZero() || tb.IsZero() {
		return 0
	}
	if ea.YearGuessed || eb.YearGuessed {
		tb = tb.AddDate(ta.Year()-tb.Year(), 0, 0)
	}
	return absDur(ta.Sub(tb))
}

// yearDisagreement finds the report whose year was guessed from its file's time while the
// other input dated the same kill in another year, and that other year.
func yearDisagreement(a, b *parsers.KernelOOM) (int, *parsers.KernelOOM, bool) {
	ea, eb := a.Decisive(), b.Decisive()
	if ea.Wall.IsZero() || eb.Wall.IsZero() || ea.Wall.Year() == eb.Wall.Year() || ea.YearGuessed == eb.YearGuessed {
		return 0, nil, false
	}
	if ea.YearGuessed {
		return eb.Wall.Year(), a, true
	}
	return ea.Wall.Year(), b, true
}

func other(a, b, x *parsers.KernelOOM) *parsers.KernelOOM {
	if x == a {
		return b
	}
	return a
}

// sameKillSlack covers second-resolution syslog stamps against microsecond dmesg ones.
const sameKillSlack = 3 * time.Second

// eventKillSlack is the slack against a kill quoted by node-problem-detector's OOMKilling
// Event: its time is when NPD read the line, its clock the API's, and the same PID, name and
// sizes on one node within the hour is one kill.
const eventKillSlack = time.Hour

func sameKill(a, b *parsers.KernelOOM) bool {
	if !sameNode(a.Host, b.Host) {
		return false
	}
	if a.Lines[0].Input == b.Lines[0].Input {
		return false // one input does not report one kill twice
	}
	slack := crossInputSlack
	if a.Lines[0].Role == parsers.RoleEventOOMKilling || b.Lines[0].Role == parsers.RoleEventOOMKilling {
		slack = eventKillSlack
	}
	ea, eb := a.Decisive(), b.Decisive()
	ta, tb := ea.Wall, eb.Wall
	if ta.IsZero() || tb.IsZero() {
		return true
	}
	if ea.YearGuessed || eb.YearGuessed {
		// A stamp without a year got it from the file's time: the same line a year apart is
		// the same record with a wrong guess, not a kill repeated a year later.
		tb = tb.AddDate(ta.Year()-tb.Year(), 0, 0)
	}
	d := ta.Sub(tb)
	return d < slack && d > -slack
}

// sameVictim says whether two reports that share no line name one kill: the same PID on one
// host within a few seconds, in two inputs; or, in one input, a lone reaper line after the
// report of the kill it reaped.
func sameVictim(a, b *parsers.KernelOOM) bool {
	if !sameNode(a.Host, b.Host) {
		return false
	}
	ta, tb := a.Decisive(), b.Decisive()
	if a.Lines[0].Input == b.Lines[0].Input {
		if !(reaperOnly(b) || selectionOnly(b)) || ta.Wall.IsZero() != tb.Wall.IsZero() {
			return false
		}
		var d time.Duration
		switch {
		case ta.HasBoot && tb.HasBoot && ta.BootSeq == tb.BootSeq:
			d = tb.Boot - ta.Boot
		case !ta.Wall.IsZero():
			d = tb.Wall.Sub(ta.Wall)
		default:
			return false
		}
		return d >= 0 && d <= reaperSlack
	}
	if ta.Wall.IsZero() || tb.Wall.IsZero() {
		return false
	}
	return absDur(ta.Wall.Sub(tb.Wall)) <= sameKillSlack
}

// selectionOnly reports a report that only selected its victim: the kernel selects a dying
// victim again (and prints it again) until it has exited, so a repeat of a selection within
// a minute is the same kill.
func selectionOnly(o *parsers.KernelOOM) bool {
	return len(o.Kills) == 0 && o.Summary == nil && o.Selected != nil
}

// reaperOnly reports a report that is nothing but oom_reaper lines.
func reaperOnly(o *parsers.KernelOOM) bool {
	return len(o.Kills) == 0 && o.Summary == nil && o.Selected == nil && !o.TaskIn && o.Group == "" && len(o.Reaped) > 0
}

// absorb merges b into a.
func absorb(a, b *parsers.KernelOOM) {
	if len(b.Lines) > len(a.Lines) && !reaperOnly(b) {
		*a, *b = *b, *a
	}
	if a.Host == "" {
		a.Host = b.Host
	}
	if a.Trigger == nil {
		a.Trigger = b.Trigger
	}
	if a.Constraint == "" {
		a.Constraint, a.GlobalOOM = b.Constraint, b.GlobalOOM
	}
	if a.OOMMemcg == "" {
		a.OOMMemcg, a.OOMCgroup = b.OOMMemcg, b.OOMCgroup
	}
	if a.TaskMemcg == "" {
		a.TaskMemcg, a.TaskCgroup = b.TaskMemcg, b.TaskCgroup
	}
	a.TaskIn = a.TaskIn || b.TaskIn
	if a.Summary == nil {
		a.Summary = b.Summary
	}
	if a.Memory == nil {
		a.Memory, a.MemSwap, a.Kmem, a.Swap = b.Memory, b.MemSwap, b.Kmem, b.Swap
	}
	if len(a.StatsFor) == 0 {
		a.StatsFor, a.StatsCgroups = b.StatsFor, b.StatsCgroups
	}
	if !a.MemInfo {
		a.MemInfo, a.Mem = b.MemInfo, b.Mem
	}
	if len(a.Tasks) == 0 {
		a.Tasks = b.Tasks
	}
	if a.Selected == nil {
		a.Selected = b.Selected
	}
	if a.Group == "" {
		a.Group, a.GroupCgroup = b.Group, b.GroupCgroup
	}
	if len(a.Kills) == 0 {
		a.Kills = b.Kills
	}
	for i := range a.Kills {
		if a.Kills[i].Evidence.Wall.IsZero() && i < len(b.Kills) {
			a.Kills[i].Evidence.Wall = b.Kills[i].Evidence.Wall
		}
	}
	for _, r := range b.Reaped {
		if !hasReaped(a, r.PID) {
			a.Reaped = append(a.Reaped, r)
		}
	}
	a.Lines = append(a.Lines, b.Lines...)
}

func hasReaped(o *parsers.KernelOOM, pid int) bool {
	for _, r := range o.Reaped {
		if r.PID == pid {
			return true
		}
	}
	return false
}
