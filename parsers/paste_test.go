package parsers

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Lines as people paste them: the log lines inside are real (lab captures, testdata/excerpts).
func TestUnpaste(t *testing.T) {
	const kill = "[  374.309999] Memory cgroup out of memory: Killed process 14068 (memhog) total-vm:1259964kB, anon-rss:32384kB, file-rss:944kB, shmem-rss:0kB, UID:0 pgtables:148kB oom_score_adj:0"
	tests := []struct {
		reason string
		line   string
		want   string
		skip   bool
	}{
		{"an ordinary line is left alone", kill, kill, false},
		{"mail and Markdown quote", "> " + kill, kill, false},
		{"nested quotes", "> > " + kill, kill, false},
		{"quotes without spaces", ">>" + kill, kill, false},
		{"an empty quoted line is blank", ">", "", false},
		{"inline code", "`" + kill + "`", kill, false},
		{"the end of inline code spanning lines", kill + "`", kill, false},
		{"a code fence is furniture", "```", "", true},
		{"a fence with a language", "```console", "", true},
		{"a tilde fence inside a quote", "> ~~~", "", true},
		{"an elision mark", "...", "", true},
		{"an elision mark in brackets", "[…]", "", true},
		{"dmesg -H colours (util-linux dmesg.c colour scheme)", "\x1b[32m\x1b[1m[Nov27 18:33] \x1b[0m\x1b[33mmemhog invoked oom-killer: \x1b[0m\x1b[1mgfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\x1b[0m",
			"[Nov27 18:33] memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0", false},
		{"a terminal hyperlink (OSC 8) around a word", "Nov 27 18:58:43 vm kernel: \x1b]8;;file:///x\x07memory\x1b]8;;\x07: usage 32768kB, limit 32768kB, failcnt 20",
			"Nov 27 18:58:43 vm kernel: memory: usage 32768kB, limit 32768kB, failcnt 20", false},
	}
	for _, tt := range tests {
		var scratch []byte
		got, skip := unpaste([]byte(tt.line), &scratch)
		if string(got) != tt.want || skip != tt.skip {
			t.Errorf("%s: unpaste(%q) = %q, %v; want %q, %v", tt.reason, tt.line, got, skip, tt.want, tt.skip)
		}
	}
}

func TestShellPrompt(t *testing.T) {
	tests := []struct {
		reason string
		line   string
		rest   string
		prompt bool
	}{
		{"dollar prompt", "$ dmesg -T | grep -i oom", "dmesg -T | grep -i oom", true},
		{"root's hash prompt", "# journalctl -k", "journalctl -k", true},
		{"Debian prompt", "root@node1:~# journalctl -k", "journalctl -k", true},
		{"user prompt with a path", "core@ip-10-0-1-5:/var/log$ grep Killed messages", "grep Killed messages", true},
		{"RHEL prompt", "[root@node ~]# journalctl -k --no-pager", "journalctl -k --no-pager", true},
		{"SUSE prompt", "node1:~ # dmesg", "dmesg", true},
		{"oc debug node's shell", "sh-4.4# chroot /host", "chroot /host", true},
		{"a log line pasted after the prompt", "$ [  374.309521] memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
			"[  374.309521] memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0", true},
		{"a describe key is no prompt", "Name:         web-0", "", false},
		{"a task table row is no prompt", "[  14068]     0 14068   314991     8332     8096      236         0   151552        0             0 memhog", "", false},
		{"a kubelet message with a hash in it", "I0329 14:48:51.123456    1234 kubelet.go:1] pod #3 is gone", "", false},
	}
	for _, tt := range tests {
		rest, ok := shellPrompt([]byte(tt.line))
		if ok != tt.prompt || (ok && string(rest) != tt.rest) {
			t.Errorf("%s: shellPrompt(%q) = %q, %v; want %q, %v", tt.reason, tt.line, rest, ok, tt.rest, tt.prompt)
		}
	}
}

func TestLinePrefixes(t *testing.T) {
	tests := []struct {
		reason, line string
		want         []string
	}{
		{"grep -H file name before a syslog line", "messages-20150510:May  9 23:40:38 localhost kernel: Killed process 1",
			[]string{"May  9 23:40:38 localhost kernel: Killed process 1"}},
		{"grep -r path", "./log/syslog:May 30 07:44:38 vicky kernel: [ 2283.369927] x",
			[]string{"May 30 07:44:38 vicky kernel: [ 2283.369927] x"}},
		{"grep -n file and line", "/var/log/kern.log:1234:[  1.0] x", []string{"[  1.0] x"}},
		{"a line number (cat -n pads and uses a tab)", "   565\t[Sat Sep 11 12:24:42 2021] x", []string{"[Sat Sep 11 12:24:42 2021] x", "565\t[Sat Sep 11 12:24:42 2021] x"}},
		{"an editor's line number", "565 [Sat Sep 11 12:24:42 2021] x", []string{"[Sat Sep 11 12:24:42 2021] x"}},
		{"indentation of a code block", "  Tasks in /test1 are going to be killed", []string{"Tasks in /test1 are going to be killed"}},
		{"a line that starts with a word and a colon is not a file name when a space follows", "Note: see below", nil},
		{"a bare number is not a line number", "12345", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, b := range linePrefixes([]byte(tt.line)) {
			got = append(got, string(b))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: mismatch (-want +got):\n%s", tt.reason, diff)
		}
	}
}
