// Package synth writes large synthetic logs for benchmarks: a node's syslog that is mostly
// unrelated traffic (kubelet, containerd, systemd, kernel chatter) with real kernel OOM
// reports sprinkled in, many deaths, big Kubernetes Lists. Only the volume is synthetic; the
// OOM report is the lab's real one. It is a package of its own, outside any internal/, so
// that the parser, correlator and end-to-end benchmarks all use the same inputs.
package synth

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"time"
)

// filler are the shapes of ordinary syslog traffic on a Kubernetes node. The second verb
// takes a random token (pod suffix, container ID, interface, port) so that the text compresses
// about as well as a real node's log (xz about 10:1), not 90:1 as identical lines would: the
// archive benchmarks compare against decompression, which such lines would make unrealistically
// cheap.
var filler = []string{
	`kubelet[1834]: I0329 %s    1834 kubelet_pods.go:1082] "Clean up pod workers for terminated pods" %s`,
	`kubelet[1834]: I0329 %s    1834 prober.go:107] "Probe failed" probeType="Readiness" pod="default/web-%s" podUID=3f0c containerName="web"`,
	`containerd[912]: time="2025-03-29T%sZ" level=info msg="ImageCreate event name:\"registry.k8s.io/pause:3.9\" %s"`,
	`containerd[912]: time="2025-03-29T%sZ" level=info msg="StartContainer for \"%s\" returns successfully"`,
	`systemd[1]: Started Session %s of user core (%s).`,
	`kernel: [%s] IPv6: ADDRCONF(NETDEV_CHANGE): cali%s: link becomes ready`,
	`kernel: [%s] eth0: renamed from tmp%s`,
	`sshd[20211]: Accepted publickey for core from 10.0.0.5 port %s ssh2: RSA SHA256:%s`,
	`crond[3321]: (root) CMD (run-parts /etc/cron.hourly) %s %s`,
	`dockerd[1102]: time="2025-03-29T%sZ" level=warning msg="cleaning up after shim disconnected" id=%s`,
}

// token returns n pseudo-random hex digits; the same seed gives the same file.
func token(r *rand.Rand, n int) string {
	const hex = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = hex[r.IntN(16)]
	}
	return string(b)
}

// Syslog writes about size bytes: filler lines with one real OOM report (framed as kernel
// syslog lines) every oomEvery lines. It returns the number of reports written.
func Syslog(w io.Writer, size int64, oomEvery int, report []string) (int, error) {
	return syslog(w, size, oomEvery, func(int) []string { return report })
}

// SyslogKills is Syslog with every report a kill of its own: the lab's report with its
// container ID, pod UID and PID replaced, so that each is a distinct death and a benchmark
// can check that every planted kill is found.
func SyslogKills(w io.Writer, size int64, oomEvery int, report []string) (int, error) {
	return syslog(w, size, oomEvery, func(i int) []string {
		cid := fmt.Sprintf("%016x", uint64(i+1)*0x9e3779b97f4a7c15) + labContainer[16:]
		pod := fmt.Sprintf("%08x-%s", uint32(i+1)*2654435761, labPod[9:])
		r := strings.NewReplacer(labContainer, cid, labPod, pod, labPID, fmt.Sprint(10000+i%90000))
		out := make([]string, len(report))
		for j, l := range report {
			out[j] = r.Replace(l)
		}
		return out
	})
}

func syslog(w io.Writer, size int64, oomEvery int, reportAt func(i int) []string) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	start := time.Date(2025, 3, 29, 0, 0, 0, 0, time.UTC)
	var written int64
	reports := 0
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; written < size; i++ {
		t := start.Add(time.Duration(i) * 10 * time.Millisecond)
		stamp := t.Format("Jan _2 15:04:05")
		var n int
		var err error
		if oomEvery > 0 && i%oomEvery == oomEvery-1 {
			for _, l := range reportAt(reports) {
				m, e := fmt.Fprintf(bw, "%s node1 kernel: %s\n", stamp, l)
				n, err = n+m, e
			}
			reports++
		} else {
			f := filler[i%len(filler)]
			n, err = fmt.Fprintf(bw, "%s node1 %s\n", stamp, fmt.Sprintf(f, t.Format("15:04:05.000000"), token(rng, 4+rng.IntN(12))))
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
