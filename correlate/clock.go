package correlate

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"

	"github.com/k8s-coroner/coroner/parsers"
)

// bootKey names one boot as seen by one input: boot-relative stamps only compare within it.
type bootKey struct {
	input string
	seq   int
}

// clockSet is what clock alignment learned: the wall-clock time of each boot-only input's
// boots, and for journald's kernel entries the boot time that undoes journald's receipt
// delays. It corrects copies of the parsers' events (aligned); it never changes them.
type clockSet struct {
	boots   map[bootKey]*bootClock
	receipt map[bootKey]time.Time
}

// bootClock is the wall-clock time of a boot and how it was learned.
type bootClock struct {
	report.Clock
	host string // the host of the input the boot was aligned with
}

// alignClocks finds the boot time of every boot-only input (plain dmesg, /dev/kmsg) by
// pairing its kill and summary lines with the same lines in an input that has wall-clock
// stamps (syslog, journal, dmesg -T): each pair gives wall - boot, and the median of them is
// robust to a stray mismatch. These lines carry a PID and sizes, so a pair is the same record.
// A --boot-time given by the user wins over what is learned.
//
// An input of an archive that names its boot time (proc/stat btime, whole seconds) and that no
// pair aligns uses that boot time for its current boot.
func alignClocks(ooms []*parsers.KernelOOM, forced time.Time, btimes map[string]time.Time) clockSet {
	set := clockSet{receipt: receiptBoots(ooms)}
	type anchor struct {
		wall  time.Time
		input string
		host  string
	}
	walls := map[string][]anchor{}
	for _, o := range ooms {
		for _, e := range o.Lines {
			if wall := set.received(e); alignable(e) && !wall.IsZero() {
				walls[e.Body] = append(walls[e.Body], anchor{wall, e.Input, e.Host})
			}
		}
	}
	type pairs struct {
		boots  []time.Time // wall - boot of each pair
		inputs map[string]bool
		hosts  map[string]bool
	}
	found := map[bootKey]*pairs{}
	for _, o := range ooms {
		for _, e := range o.Lines {
			if !e.HasBoot || !e.Wall.IsZero() {
				continue
			}
			key := bootKey{e.Input, int(e.BootSeq)}
			p := found[key]
			if p == nil {
				p = &pairs{inputs: map[string]bool{}, hosts: map[string]bool{}}
				found[key] = p
			}
			if !alignable(e) {
				continue
			}
			for _, a := range walls[e.Body] {
				if a.input == e.Input {
					continue
				}
				p.boots = append(p.boots, a.wall.Add(-e.Boot))
				p.inputs[a.input], p.hosts[a.host] = true, true
			}
		}
	}
	clocks := map[bootKey]*bootClock{}
	for key, p := range found {
		switch {
		case !forced.IsZero():
			clocks[key] = &bootClock{Clock: report.Clock{BootTime: forced.UTC(), Source: "--boot-time"}}
		case len(p.boots) > 0:
			sort.Slice(p.boots, func(i, j int) bool { return p.boots[i].Before(p.boots[j]) })
			c := &bootClock{Clock: report.Clock{
				BootTime: p.boots[len(p.boots)/2].UTC(),
				Source:   "aligned with " + joinSorted(p.inputs),
				Matches:  len(p.boots),
				SpreadMS: p.boots[len(p.boots)-1].Sub(p.boots[0]).Milliseconds(),
			}}
			if len(p.hosts) == 1 {
				for h := range p.hosts {
					c.host = h
				}
			}
			if bt := btimes[key.input]; !bt.IsZero() && key.seq == 0 {
				// btime is the boot as the clock stood then; the pairs are the clock at the
				// event. They part after a suspend (printk time stops) or a clock step.
				if d := c.BootTime.Sub(bt); d > 2*time.Second || d < -2*time.Second {
					c.Note = fmt.Sprintf("the archive's btime (%s) is %s off: the node was suspended or its clock stepped after boot; the aligned time is used",
						bt.UTC().Format(time.RFC3339), d.Round(time.Millisecond))
				}
			}
			clocks[key] = c
		case key.seq == 0 && !btimes[key.input].IsZero():
			clocks[key] = &bootClock{Clock: report.Clock{BootTime: btimes[key.input].UTC(), Source: "btime of the archive (proc/stat)"}}
		}
	}
	set.boots = clocks
	return set
}

// receiptBoots learns how to fix journald's receive times. A kernel entry in the journal
// carries the kernel's own stamp since boot and the time journald received it, which for a
// backlog imported when journald starts can be minutes late. Delays only ever add, so within
// one boot the smallest (received - stamp) is the best boot time; every entry's time is then
// boot time + its own stamp.
func receiptBoots(ooms []*parsers.KernelOOM) map[bootKey]time.Time {
	boots := map[bootKey]time.Time{}
	note := func(e parsers.Evidence) {
		if !e.Received || !e.HasBoot {
			return
		}
		key := bootKey{e.Input, int(e.BootSeq)}
		if b, ok := boots[key]; !ok || e.Wall.Add(-e.Boot).Before(b) {
			boots[key] = e.Wall.Add(-e.Boot)
		}
	}
	for _, o := range ooms {
		for _, e := range o.Lines {
			note(e)
		}
		for _, k := range o.Kills {
			note(k.Evidence)
		}
		for _, r := range o.Reaped {
			note(r.Evidence)
		}
	}
	return boots
}

// received is a line's wall-clock time with journald's receipt delay undone.
func (c clockSet) received(e parsers.Evidence) time.Time {
	if b, ok := c.receipt[bootKey{e.Input, int(e.BootSeq)}]; ok && e.Received && e.HasBoot {
		return b.Add(e.Boot)
	}
	return e.Wall
}

// wall is a line's wall-clock time: its own with the receipt delay undone, else its boot's
// aligned time plus its stamp, else zero.
func (c clockSet) wall(e parsers.Evidence) time.Time {
	if w := c.received(e); !w.IsZero() || !e.HasBoot {
		return w
	}
	if b := c.boots[bootKey{e.Input, int(e.BootSeq)}]; b != nil {
		return b.BootTime.Add(e.Boot)
	}
	return time.Time{}
}

// alignable lines are unique enough to pair across inputs.
func alignable(e parsers.Evidence) bool {
	return e.Role == parsers.RoleKill || e.Role == parsers.RoleSummary || e.Role == parsers.RoleTaskIn
}

// aligned returns the reports with every line at its wall-clock time and boot-only reports
// on the node their boot was aligned with. They are copies with slices of their own, so the
// parsers' events stay as parsed, and merging duplicates may extend them. It empties ooms,
// the collect phase's list, as it goes: once the caller's events are let go of too, no
// report is held twice, parsed and aligned (with 50k kills that was 100 MB more at the peak).
func (c clockSet) aligned(ooms []*parsers.KernelOOM) []*parsers.KernelOOM {
	out := make([]*parsers.KernelOOM, len(ooms))
	for i, o := range ooms {
		ooms[i] = nil
		a := *o
		a.Lines, a.Kills, a.Reaped = slices.Clone(o.Lines), slices.Clone(o.Kills), slices.Clone(o.Reaped)
		for j := range a.Lines {
			e := &a.Lines[j]
			if a.Host == "" {
				if b := c.boots[bootKey{e.Input, int(e.BootSeq)}]; b != nil && b.host != "" {
					a.Host = b.host
				}
			}
			e.Wall = c.wall(*e)
		}
		for j := range a.Kills {
			a.Kills[j].Evidence.Wall = c.wall(a.Kills[j].Evidence)
		}
		for j := range a.Reaped {
			a.Reaped[j].Evidence.Wall = c.wall(a.Reaped[j].Evidence)
		}
		out[i] = &a
	}
	return out
}

func joinSorted(set map[string]bool) string {
	var s []string
	for k := range set {
		s = append(s, k)
	}
	sort.Strings(s)
	out := ""
	for i, k := range s {
		if i > 0 {
			out += ", "
		}
		out += k
	}
	return out
}
