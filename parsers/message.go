// Package parsers turns raw records into typed events. It works in two steps: a framing strips
// the per-line envelope (dmesg stamp, syslog header, /dev/kmsg fields) into a Message, and
// parsers assemble Messages into Events (a kernel OOM block, later a kubelet eviction).
package parsers

import "time"

// A Message is one log line with its envelope decoded.
type Message struct {
	Input string // the input's name
	Line  int    // 1-based line number in the input
	Raw   string // the whole line as read, for evidence

	Text    string // the message body without envelope
	Program string // the syslog identifier ("kernel"); dmesg framings set "kernel"
	Host    string // the host name the envelope carries, "" when it has none

	Wall    time.Time     // wall-clock time, zero when the envelope has none
	Boot    time.Duration // time since boot, when HasBoot
	HasBoot bool
	BootSeq int    // counts the boots seen so far in this input, so that boot times of two boots never mix
	BootID  string // the journal's _BOOT_ID, when the envelope names the boot
	// Received marks a Wall that is when a collector received the line (journald), not when
	// the kernel wrote it; Boot is then the kernel's own stamp and the better clock.
	Received bool
	Priority int // syslog priority (0 emerg … 7 debug), -1 when unknown
	// Floating marks a Wall read from a stamp without a zone while none was given (--tz): it
	// holds the local wall-clock reading as if it were UTC until Localize learns the zone.
	Floating bool
	// Labels are the transport's labels of a bare message (Loki stream labels), nil otherwise.
	Labels map[string]string
	// Fields are a structured document's fields (a log store's Event document), nil for lines.
	Fields map[string]string
	// YearGuessed marks a Wall whose stamp had no year: it was inferred from the input's
	// modification time, and an archive's collection date can correct it.
	YearGuessed bool
}

// Pos is where a line of evidence sits.
type Pos struct {
	Input string `json:"input"`
	Line  int    `json:"line"`
}

// Evidence is one line kept as proof, with its clocks as the envelope gave them.
type Evidence struct {
	Pos
	Text string        `json:"text"`
	Body string        `json:"-"`              // the message without its envelope, to match a line across inputs
	Role Role          `json:"role,omitempty"` // what the line says, e.g. RoleKill, RoleSummary, RoleMemcgUsage
	Host string        `json:"-"`
	Wall time.Time     `json:"-"`
	Boot time.Duration `json:"-"`
	// The small fields are packed so that a line takes 128 bytes: thousands of kills keep
	// eight lines each until their deaths are made.
	BootSeq     int32 `json:"-"` // Message.BootSeq
	HasBoot     bool  `json:"-"`
	Received    bool  `json:"-"`
	Floating    bool  `json:"-"`
	YearGuessed bool  `json:"-"`
}

// Evidence returns m as an evidence line with the given role.
func (m *Message) Evidence(role Role) Evidence {
	return Evidence{Pos: Pos{m.Input, m.Line}, Text: m.Raw, Body: m.Text, Role: role, Host: m.Host,
		Wall: m.Wall, Boot: m.Boot, HasBoot: m.HasBoot, BootSeq: int32(m.BootSeq), Received: m.Received, Floating: m.Floating, YearGuessed: m.YearGuessed}
}
