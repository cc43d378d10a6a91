package parsers

import (
	"time"

	"github.com/k8s-coroner/coroner/sources"
)

// Clock holds what a framing needs to turn an envelope's stamp into a time.
type Clock struct {
	Year    int            // the year of year-less stamps; 0 infers it from ModTime
	Loc     *time.Location // the zone of zone-less stamps; UTC when nil
	ModTime time.Time      // when the input was last written: year-less stamps lie before it
	// Now is the moment kubectl's relative ages ("7m24s", "3d2h") count back from, set by
	// --now; zero keeps them relative, since the paste does not say when kubectl ran.
	Now time.Time
	rel relClock // the previous record's time, for stamps relative to it (dmesg -e)
}

func (c *Clock) loc() *time.Location {
	if c.Loc == nil {
		return time.UTC
	}
	return c.Loc
}

// date builds a time from a stamp that lacks the year, choosing the year that puts it closest
// before the input's modification time (a December line in a file written in January belongs
// to the year before). A day of slack absorbs clock differences between writer and reader.
func (c *Clock) date(month time.Month, day, hour, min, sec, nsec int) time.Time {
	if c.Year != 0 || c.ModTime.IsZero() {
		y := c.Year
		if y == 0 {
			y = time.Now().Year()
		}
		return time.Date(y, month, day, hour, min, sec, nsec, c.loc())
	}
	ref := c.ModTime.In(c.loc())
	t := time.Date(ref.Year(), month, day, hour, min, sec, nsec, c.loc())
	if t.After(ref.Add(24 * time.Hour)) {
		t = time.Date(ref.Year()-1, month, day, hour, min, sec, nsec, c.loc())
	}
	return t
}

// A Framing decodes one envelope format. Frame reports false when the line is not in that
// format; it must not keep line.
type Framing struct {
	Name    sources.Kind
	Help    string
	Example string
	Frame   func(line []byte, c *Clock, m *Message) bool
}

// Framings lists the envelope formats in the order detection tries them: formats with a
// distinctive first byte first, so a line is never claimed by a looser format.
var Framings = []Framing{
	{sources.KindJournalJSON, "journalctl -o json: one JSON object per entry",
		`{"__REALTIME_TIMESTAMP":"1795805923788454","_TRANSPORT":"kernel","MESSAGE":"Out of memory: …"}`, frameJournalJSON},
	{sources.KindKubeletJSON, "kubelet --logging-format=json: {\"ts\":<epoch ms>,\"caller\":…,\"msg\":…}",
		`{"ts":1743259731123.456,"caller":"eviction/eviction_manager.go:366","msg":"Eviction manager: attempting to reclaim","resourceName":"memory"}`, frameKlogJSON},
	{sources.KindKmsg, "raw /dev/kmsg records (prio,seq,usec,flags;text)",
		"6,339,5140900,-;NET: Registered protocol family 10", frameKmsg},
	{sources.KindDmesgRaw, "dmesg -r: <prio>[seconds] text",
		"<6>[   45.220424] oom-kill:constraint=…", frameDmesgRaw},
	{sources.KindJournalMonotonic, "journalctl -o short-monotonic: [seconds] host ident[pid]: text",
		"[ 1873.085237] node1 kernel: Out of memory: …", frameJournalMonotonic},
	{sources.KindDmesg, "dmesg: [seconds since boot] text (also dmesg -x and CONFIG_PRINTK_CALLER)",
		"[   45.220424] oom-kill:constraint=…", frameDmesg},
	{sources.KindDmesgCtime, "dmesg -T: [Weekday Month Day hh:mm:ss Year] text, in any locale",
		"[Fri Nov 27 18:28:15 2026] oom-kill:constraint=…", frameDmesgCtime},
	{sources.KindDmesgReltime, "dmesg -H / --human, dmesg -e / --reltime: [Mmmdd hh:mm] when the minute changes, else [  +seconds] since the previous line",
		"[Nov27 18:33] memhog invoked oom-killer: …", frameDmesgReltime},
	{sources.KindDmesgISO, "dmesg --time-format=iso: 2006-01-02T15:04:05,000000+00:00 text",
		"2026-11-27T18:28:15,220424+00:00 oom-kill:constraint=…", frameDmesgISO},
	{sources.KindSyslogRFC5424, "RFC 5424 syslog: <pri>1 RFC3339-time host app procid msgid sd text",
		"<4>1 2025-03-29T14:48:51.123456+08:00 node1 kernel - - - Out of memory: …", frameRFC5424},
	{sources.KindSyslogISO, "rsyslog RFC 3339 files, journalctl -o short-iso / short-iso-precise",
		"2025-03-29T14:48:51.123456+08:00 node1 kernel: Out of memory: …", frameSyslogISO},
	{sources.KindJournalFull, "journalctl -o short-full and -o with-unit: Weekday YYYY-MM-DD hh:mm:ss ZONE host ident-or-unit[pid]: text",
		"Fri 2026-11-27 18:58:43 UTC vm kernel: Memory cgroup out of memory: …", frameJournalFull},
	{sources.KindKlog, "a kubelet log file: Lmmdd hh:mm:ss.uuuuuu pid file:line] msg (local time, no year)",
		`I0329 14:48:51.123456    1234 eviction_manager.go:366] "Eviction manager: attempting to reclaim" resourceName="memory"`, frameKlog},
	{sources.KindNodePrefixed, "kubelet lines prefixed by their node, as talosctl logs prints them: <node>: <klog or JSON line>",
		`10.200.1.3: {"ts":1753121331919.76,"caller":"app/server.go:520","msg":"Kubelet version","v":0}`, frameHostPrefixed},
	{sources.KindLogrus, "containerd / CRI-O log files: time=\"RFC3339\" level=… msg=\"…\"",
		`time="2025-03-29T14:48:51.123456789Z" level=info msg="TaskOOM event container_id:\"…\""`, frameLogrus},
	{sources.KindSyslog, "RFC 3164 syslog (/var/log/messages), journalctl -o short / short-precise",
		"Mar 29 14:48:51 node1 kernel: Out of memory: …", frameSyslog},
	{sources.KindKlogFragment, "a kubelet line whose klog header a paste elided or cut off (no time)",
		`... eviction_manager.go:575] "Eviction manager: pod is evicted successfully" pod="default/web-0"`, frameKlogFragment},
	{sources.KindBare, "messages without any envelope: journalctl -o cat, dmesg -t, a pasted report (no time)",
		"Memory cgroup out of memory: Killed process 9122 (memhog) total-vm:1258940kB, anon-rss:32256kB, file-rss:1568kB, shmem-rss:0kB, UID:0 pgtables:152kB oom_score_adj:0", frameBare},
}

// FramingByName returns the framing called name.
func FramingByName(name sources.Kind) (*Framing, bool) {
	for i := range Framings {
		if Framings[i].Name == name {
			return &Framings[i], true
		}
	}
	return nil, false
}
