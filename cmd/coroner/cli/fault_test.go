package cli

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFaultSurvivesWarningCap: a gzip whose checksum is wrong, after more warnings than an
// input keeps, still says it is corrupt, names the file, and exits 1; the deaths before
// the fault are all reported. The CRC error came after the 50th warning and was dropped,
// and the run exited 0.
func TestFaultSurvivesWarningCap(t *testing.T) {
	report, err := os.ReadFile("../../../golden/testdata/real/cgroupfs-burstable/kmsg.txt")
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	for i := range 80 { // each binary line between text lines is a warning of its own
		text.WriteString("garbage \x00\x01\x02\n")
		text.WriteString("Mar 29 00:37:00 node1 systemd[1]: tick " + strings.Repeat("x", i%7) + "\n")
	}
	text.Write(report)
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(text.Bytes())
	w.Close()
	b := gz.Bytes()
	b[len(b)-8] ^= 0x01 // one bit of the CRC-32 in the trailer
	path := filepath.Join(t.TempDir(), "messages.gz")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runMain(t, "", "analyze", "-o", "json", path)
	if code != exitPartial {
		t.Errorf("exit %d, want %d (partial); stderr: %s", code, exitPartial, errs)
	}
	if !strings.Contains(errs, path) || !strings.Contains(errs, "checksum") {
		t.Errorf("standard error does not name the file and the decoder's fault: %s", errs)
	}
	var rep struct {
		Deaths []json.RawMessage `json:"deaths"`
		Inputs []struct {
			Warnings []struct {
				Message string `json:"message"`
				Fault   bool   `json:"fault"`
			} `json:"warnings"`
		} `json:"inputs"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Deaths) == 0 {
		t.Error("the deaths before the fault are lost")
	}
	faults := 0
	for _, in := range rep.Inputs {
		for _, w := range in.Warnings {
			if w.Fault {
				faults++
				if !strings.Contains(w.Message, "byte ") {
					t.Errorf("the fault does not say where the decoded text stopped: %s", w.Message)
				}
			}
		}
	}
	if faults != 1 {
		t.Errorf("%d fault warnings in the report, want 1", faults)
	}
}
