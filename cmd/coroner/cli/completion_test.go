package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCompletion runs each generated script in its real shell: bash through its completion
// function, fish through `complete -C`, zsh by loading it under compinit. A shell that is not
// installed skips its part (.ci/run installs all three).
func TestCompletion(t *testing.T) {
	dir := t.TempDir()
	script := func(shell string) string {
		out, errs, code := runMain(t, "", "completion", shell)
		if code != 0 || errs != "" {
			t.Fatalf("coroner completion %s: exit %d: %s", shell, code, errs)
		}
		path := filepath.Join(dir, shell)
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	if _, err := exec.LookPath("bash"); err == nil {
		path := script("bash")
		for _, tt := range []struct{ reason, line, want, wantNot string }{
			{"commands complete first", "coroner an", "analyze", ""},
			{"a command's flags", "coroner analyze --out", "--output-file", ""},
			{"-o completes the formats", "coroner analyze -o ", "markdown", ""},
			{"an enum flag completes its values", "coroner analyze --only ", "kubelet-eviction", ""},
			{"a free value completes to nothing", "coroner analyze --namespace ", "", "analyze"},
			{"logcli's flags on loki", "coroner loki --", "--from", ""},
		} {
			words := strings.Fields(tt.line)
			if strings.HasSuffix(tt.line, " ") {
				words = append(words, "")
			}
			quoted := make([]string, len(words))
			for i, w := range words {
				quoted[i] = "'" + w + "'"
			}
			prog := "source " + path + "; COMP_WORDS=(" + strings.Join(quoted, " ") + "); COMP_CWORD=" +
				strconv.Itoa(len(words)-1) + "; _coroner; printf '%s\\n' \"${COMPREPLY[@]}\""
			out, err := exec.Command("bash", "-c", prog).CombinedOutput()
			if err != nil || !strings.Contains(string(out), tt.want) || tt.wantNot != "" && strings.Contains(string(out), tt.wantNot) {
				t.Errorf("bash, %s: %q completes to %q (%v)", tt.reason, tt.line, out, err)
			}
		}
	}
	if _, err := exec.LookPath("fish"); err == nil {
		path := script("fish")
		out, err := exec.Command("fish", "-c", "source "+path+"; complete -C 'coroner analyze -o '; complete -C 'coroner no'").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "jsonl") || !strings.Contains(string(out), "node") {
			t.Errorf("fish: %q (%v)", out, err)
		}
	}
	if _, err := exec.LookPath("zsh"); err == nil {
		path := script("zsh")
		out, err := exec.Command("zsh", "-c", "zsh -n "+path+" && autoload -U compinit && compinit -u -d "+filepath.Join(dir, "zcompdump")+
			" && source "+path+" && print -r -- ${_comps[coroner]}").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "_coroner") {
			t.Errorf("zsh: the script does not load as coroner's completion: %q (%v)", out, err)
		}
	}
}
