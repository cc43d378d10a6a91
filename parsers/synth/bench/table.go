//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/parsers"
	"github.com/k8s-coroner/coroner/parsers/synth"
)

// runTable measures every figure of README's performance table in one run, each against
// its baseline measured in the same run, and prints the table in Markdown. mb is the size of
// the large syslog; the archives are measured at a quarter of it and at it (1x and 4x).
func runTable(mb int64, coroner, root string, runs int) error {
	report, err := synth.LabReport(root)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "coroner-bench-table")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	t := &table{coroner: coroner, runs: runs, dir: dir}
	fmt.Println("| workload | baseline | coroner | ratio | coroner's peak RSS | found |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, size := range []int64{mb / 4, mb} {
		if err := t.plain(size, report); err != nil {
			return err
		}
	}
	for _, size := range []int64{mb / 4, mb} {
		if err := t.archives(size, report); err != nil {
			return err
		}
	}
	var tenK time.Duration
	for _, kills := range []int{1000, 10000, 50000} {
		d, err := t.deaths(kills, report)
		if err != nil {
			return err
		}
		if kills == 10000 {
			tenK = d
		}
		if kills == 50000 && tenK > 0 {
			fmt.Printf("| 50k kills against 10k | | | %.2fx the time (linear: 5x) | | |\n", d.Seconds()/tenK.Seconds())
		}
	}
	if err := t.objects(); err != nil {
		return err
	}
	return t.stores(root)
}

type table struct {
	coroner string
	runs    int
	dir     string
}

// analyze times coroner analyze over path and decodes its report.
func (t *table) analyze(path string, args ...string) (time.Duration, int64, *struct {
	Deaths, HostKills []json.RawMessage
}, error) {
	out := filepath.Join(t.dir, "report.json")
	cmdline := append([]string{t.coroner, "analyze", "-o", "json", "--output-file", out}, args...)
	d, rss, err := bestRSS(t.runs, cmdline[0], append(cmdline[1:], path)...)
	if err != nil {
		return 0, 0, nil, err
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return 0, 0, nil, err
	}
	var rep struct{ Deaths, HostKills []json.RawMessage }
	if err := json.Unmarshal(b, &rep); err != nil {
		return 0, 0, nil, err
	}
	return d, rss, &rep, nil
}

func (t *table) write(name string, gen func(io.Writer) (int, error)) (string, int, error) {
	path := filepath.Join(t.dir, name)
	f, err := os.Create(path)
	if err != nil {
		return "", 0, err
	}
	n, err := gen(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return path, n, err
}

// plain: a syslog with distinct kills sprinkled in, against grep -cE of the trigger words.
func (t *table) plain(mb int64, report []string) error {
	path, kills, err := t.write("syslog", func(w io.Writer) (int, error) { return synth.SyslogKills(w, mb<<20, 20000, report) })
	if err != nil {
		return err
	}
	defer os.Remove(path)
	grep, _, err := bestRSS(t.runs, "env", "LC_ALL=C", "grep", "-cE", parsers.TriggerPattern(), path)
	if err != nil {
		return err
	}
	d, rss, rep, err := t.analyze(path, "--year", "2025")
	if err != nil {
		return err
	}
	fmt.Printf("| plain syslog, %d MiB | `LC_ALL=C grep -cE` %.2f s | %.2f s | %.2fx | %d MiB | %d of %d kills |\n",
		mb, grep.Seconds(), d.Seconds(), d.Seconds()/grep.Seconds(), rss>>10, len(rep.Deaths), kills)
	return nil
}

// archives: a sosreport whose messages is that syslog, in each compression, against the
// decompressor alone.
func (t *table) archives(mb int64, report []string) error {
	name := "sosreport-bench-2025-03-29-abcdefg"
	top := filepath.Join(t.dir, name)
	os.MkdirAll(filepath.Join(top, "var/log"), 0o755)
	os.MkdirAll(filepath.Join(top, "sos_commands/host"), 0o755)
	os.WriteFile(filepath.Join(top, "version.txt"), []byte("sos report: 4.8.2\n"), 0o644)
	os.WriteFile(filepath.Join(top, "sos_commands/host/hostname"), []byte("bench\n"), 0o644)
	defer os.RemoveAll(top)
	_, kills, err := t.write(name+"/var/log/messages", func(w io.Writer) (int, error) { return synth.SyslogKills(w, mb<<20, 20000, report) })
	if err != nil {
		return err
	}
	for _, c := range []struct{ ext, tool, pack string }{
		{".tar.xz", "xz", "xz -6 -T0"}, {".tar.zst", "zstd", "zstd -q -3 -T0"}, {".tar.gz", "gzip", "gzip -6"},
		{".tar.bz2", "bzip2", "bzip2 -9"}, // sos 3.x's second choice; coroner decodes it in process, block by block
	} {
		if _, err := exec.LookPath(c.tool); err != nil {
			fmt.Printf("| sosreport %s | no %s installed | | | | |\n", c.ext, c.tool)
			continue
		}
		archive := filepath.Join(t.dir, name+c.ext)
		pack := exec.Command("sh", "-c", fmt.Sprintf("tar -C %q -cf - %q | %s > %q", t.dir, name, c.pack, archive))
		if out, err := pack.CombinedOutput(); err != nil {
			return fmt.Errorf("packing: %v %s", err, out)
		}
		dec, _, err := bestRSS(t.runs, c.tool, "-dc", archive)
		if err != nil {
			return err
		}
		d, rss, rep, err := t.analyze(archive)
		if err != nil {
			return err
		}
		st, _ := os.Stat(archive)
		fmt.Printf("| sosreport `%s` (%.0f MiB), %d MiB messages | `%s -dc` %.2f s | %.2f s | %.2fx | %d MiB | %d of %d kills |\n",
			c.ext, float64(st.Size())/(1<<20), mb, c.tool, dec.Seconds(), d.Seconds(), d.Seconds()/dec.Seconds(), rss>>10, len(rep.Deaths), kills)
		os.Remove(archive)
	}
	return nil
}

// deaths: one input with many distinct kills.
func (t *table) deaths(kills int, report []string) (time.Duration, error) {
	path, deaths, err := t.write("deaths.log", func(w io.Writer) (int, error) { return synth.Deaths(w, kills, report) })
	if err != nil {
		return 0, err
	}
	defer os.Remove(path)
	st, _ := os.Stat(path)
	d, rss, rep, err := t.analyze(path, "--year", "2025")
	if err != nil {
		return 0, err
	}
	fmt.Printf("| %dk OOM kills in one %.0f MiB syslog | | %.2f s | %.0f kills/s | %d MiB | %d of %d deaths |\n",
		kills/1000, float64(st.Size())/(1<<20), d.Seconds(), float64(kills)/d.Seconds(), rss>>10, len(rep.Deaths), deaths)
	return d, nil
}

// objects: a big pod List and a big events YAML.
func (t *table) objects() error {
	list, _, err := t.write("pods.json", func(w io.Writer) (int, error) {
		pods, _, err := synth.PodList(w, 300<<20, 50, false)
		return pods, err
	})
	if err != nil {
		return err
	}
	defer os.Remove(list)
	d, rss, _, err := t.analyze(list)
	if err != nil {
		return err
	}
	fmt.Printf("| `kubectl get pods -A -o json`, 300 MiB List | | %.2f s | %.0f MB/s | %d MiB | |\n", d.Seconds(), 300*1.048576/d.Seconds(), rss>>10)
	yaml, _, err := t.write("events.yaml", func(w io.Writer) (int, error) { return synth.EventsYAML(w, 50<<20, 20) })
	if err != nil {
		return err
	}
	defer os.Remove(yaml)
	d, rss, _, err = t.analyze(yaml)
	if err != nil {
		return err
	}
	fmt.Printf("| events YAML, one 50 MiB List document | | %.2f s | %.1f MB/s | %d MiB | |\n", d.Seconds(), 50*1.048576/d.Seconds(), rss>>10)
	return nil
}

var shipped = regexp.MustCompile(`BenchmarkJob/(\S+?)-\d+\s.*?(\S+)\s+%shipped`)

// stores: the share of lines in range that the Loki and Elasticsearch jobs ship, from their
// go test benchmarks against the in-process fakes.
func (t *table) stores(root string) error {
	for _, pkg := range []string{"./sources/loki", "./sources/elastic"} {
		cmd := exec.Command("go", "test", "-run", "^$", "-bench", "BenchmarkJob", "-benchtime", "3x", pkg)
		cmd.Dir = root
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %v", pkg, err)
		}
		for _, m := range shipped.FindAllStringSubmatch(out.String(), -1) {
			what := "coroner's query"
			if m[1] == "unfiltered" {
				what = "every line in range (the baseline)"
			}
			fmt.Printf("| %s job, a day of three nodes: %s | | | | | %s%% of the lines in range shipped |\n", strings.TrimPrefix(pkg, "./sources/"), what, m[2])
		}
	}
	return nil
}
