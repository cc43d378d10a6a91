package parsers

// Kernel messages with no envelope at all: journalctl -o cat, dmesg -t (--notime), or the
// report lines someone pasted without their stamps. A line is taken as one only when it
// starts like an OOM-report line (kernelAnchor); once one was, the input is read as bare
// messages, so the report's other lines (task table, Mem-Info) reach the parsers too. Such
// messages have no time.

func frameBare(line []byte, _ *Clock, m *Message) bool {
	if len(line) == 0 || line[0] == ' ' || line[0] == '\t' || !kernelAnchor(string(line)) {
		return false
	}
	m.Text, m.Program = string(line), "kernel"
	return true
}
