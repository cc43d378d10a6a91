package synth

import (
	"bufio"
	"fmt"
	"io"
	"time"
)

// KubeletJournal writes `journalctl -u kubelet` text (short framing) of about size bytes: the
// everyday lines a busy kubelet logs (sync loop, probes, volumes, in the structured format of
// 1.21+), with an eviction episode of the given real lines every `every` lines. Only the
// volume is synthetic; the eviction lines are passed in.
func KubeletJournal(w io.Writer, size int64, every int, episode []string) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	t := time.Date(2025, 3, 29, 0, 0, 0, 0, time.UTC)
	var written int64
	episodes := 0
	for i := 0; written < size; i++ {
		t = t.Add(37 * time.Millisecond)
		var line string
		if i > 0 && i%every == 0 {
			for _, l := range episode {
				n, _ := bw.WriteString(l + "\n")
				written += int64(n)
			}
			episodes++
			continue
		}
		pod := fmt.Sprintf("team-%d/web-%d-7d9f6c", i%13, i%97)
		switch i % 4 {
		case 0:
			line = fmt.Sprintf(`"SyncLoop (probe)" probe="readiness" status="ready" pod="%s"`, pod)
		case 1:
			line = fmt.Sprintf(`"operationExecutor.MountVolume started for volume \"kube-api-access-%05d\" (UniqueName: \"kubernetes.io/projected/%08x-kube-api-access\") pod=\"%s\"" pod="%s"`, i%99991, i, pod, pod)
		case 2:
			line = fmt.Sprintf(`"SyncLoop UPDATE" source="api" pods=["%s"]`, pod)
		default:
			line = fmt.Sprintf(`"RemoveContainer" containerID="%064x"`, i)
		}
		n, err := fmt.Fprintf(bw, "%s node-1 kubelet[1187]: I%s %7d kubelet.go:%d] %s\n",
			t.Format("Jan _2 15:04:05"), t.Format("0102 15:04:05.000000"), 1187, 2400+i%200, line)
		if err != nil {
			return episodes, err
		}
		written += int64(n)
	}
	return episodes, bw.Flush()
}
