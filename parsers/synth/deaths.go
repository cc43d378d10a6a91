package synth

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// The lab report's own identities, replaced per kill so every report is a kill of its own.
const (
	labContainer = "765a2080b8a836f4d9a775daa117c570805a397b0072e8e54be82406d693fbca"
	labPod       = "5cdfa62e-2f90-4e7e-b3de-d2d6168860d8"
	labPID       = "14068"
)

// DeathsStart is the time of the first kill Deaths writes (a syslog stamp has no year).
var DeathsStart = time.Date(2025, 3, 29, 0, 0, 0, 0, time.UTC)

// Deaths writes a node's syslog with kills real OOM reports (the lab's, with its PID,
// container ID and pod UID replaced) 20 s apart and a few filler lines between them. The
// kills are distinct deaths of the shapes a busy node shows: half come from one crash-looping
// pod (a new container ID per restart), the rest from distinct pods, and every tenth kill is a
// second process killed in the container of the kill before it (one death, two victims). It
// returns the number of distinct container deaths it wrote.
func Deaths(w io.Writer, kills int, report []string) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	deaths := 0
	var cid, pod string
	for i := 0; i < kills; i++ {
		t := DeathsStart.Add(time.Duration(i) * 20 * time.Second)
		stamp := t.Format("Jan _2 15:04:05")
		if i%10 != 9 || i == 0 {
			deaths++
			cid = fmt.Sprintf("%016x", uint64(i)*0x9e3779b97f4a7c15) + labContainer[16:]
			if i%2 == 0 {
				pod = "c0ffee00-0000-4000-8000-000000000001" // the crash loop
			} else {
				pod = fmt.Sprintf("%08x-%s", uint32(i)*2654435761, labPod[9:])
			}
		}
		pid := fmt.Sprint(10000 + i%90000)
		r := strings.NewReplacer(labContainer, cid, labPod, pod, labPID, pid)
		for _, l := range report {
			if _, err := fmt.Fprintf(bw, "%s node1 kernel: %s\n", stamp, r.Replace(l)); err != nil {
				return deaths, err
			}
		}
		for j := 0; j < 3; j++ {
			f := filler[(i+j)%len(filler)]
			if _, err := fmt.Fprintf(bw, "%s node1 %s\n", stamp, fmt.Sprintf(f, t.Format("15:04:05.000000"), cid[:12])); err != nil {
				return deaths, err
			}
		}
	}
	return deaths, bw.Flush()
}
