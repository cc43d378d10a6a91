// Package synth writes large synthetic logs for benchmarks: a node's syslog that is mostly
// unrelated traffic (kubelet, containerd, systemd, kernel chatter) with real kernel OOM
// reports sprinkled in. Only the volume is synthetic; the OOM report is the lab's real one.
package synth

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// filler are the shapes of ordinary syslog traffic on a Kubernetes node.
var filler = []string{
	`kubelet[1834]: I0329 %s    1834 kubelet_pods.go:1082] "Clean up pod workers for terminated pods"`,
	`kubelet[1834]: I0329 %s    1834 prober.go:107] "Probe failed" probeType="Readiness" pod="default/web-7d9f" podUID=3f0c containerName="web"`,
	`containerd[912]: time="2025-03-29T%sZ" level=info msg="ImageCreate event name:\"registry.k8s.io/pause:3.9\""`,
	`containerd[912]: time="2025-03-29T%sZ" level=info msg="StartContainer for \"4f1a\" returns successfully"`,
	`systemd[1]: Started Session %s of user core.`,
	`kernel: [%s] IPv6: ADDRCONF(NETDEV_CHANGE): cali12ab34cd: link becomes ready`,
	`kernel: [%s] eth0: renamed from tmp8f21a`,
	`sshd[20211]: Accepted publickey for core from 10.0.0.5 port %s ssh2`,
	`crond[3321]: (root) CMD (run-parts /etc/cron.hourly) %s`,
	`dockerd[1102]: time="2025-03-29T%sZ" level=warning msg="cleaning up after shim disconnected"`,
}

// Syslog writes about size bytes: filler lines with one real OOM report (framed as kernel
// syslog lines) every oomEvery lines. It returns the number of reports written.
func Syslog(w io.Writer, size int64, oomEvery int, report []string) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	start := time.Date(2025, 3, 29, 0, 0, 0, 0, time.UTC)
	var written int64
	reports := 0
	for i := 0; written < size; i++ {
		t := start.Add(time.Duration(i) * 10 * time.Millisecond)
		stamp := t.Format("Jan _2 15:04:05")
		var n int
		var err error
		if oomEvery > 0 && i%oomEvery == oomEvery-1 {
			for _, l := range report {
				m, e := fmt.Fprintf(bw, "%s node1 kernel: %s\n", stamp, l)
				n, err = n+m, e
			}
			reports++
		} else {
			f := filler[i%len(filler)]
			n, err = fmt.Fprintf(bw, "%s node1 %s\n", stamp, fmt.Sprintf(f, t.Format("15:04:05.000000")))
		}
		if err != nil {
			return reports, err
		}
		written += int64(n)
	}
	return reports, bw.Flush()
}

// LabReport returns the message bodies of the lab's real memcg OOM report (dmesg stamps
// stripped), read from the golden test data below root.
func LabReport(root string) ([]string, error) {
	b, err := os.ReadFile(root + "/golden/testdata/real/cgroupfs-burstable/dmesg.txt")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if i := strings.Index(l, "] "); i > 0 {
			l = l[i+2:]
		}
		out = append(out, l)
	}
	return out, nil
}
