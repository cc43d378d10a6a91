//go:build unix

// Command bench measures coroner end to end against grep on the same file in the same run:
// it writes a large synthetic syslog (real OOM reports among unrelated lines), then times
// `grep -cE <trigger words>` and `coroner analyze` over it and prints MB/s and the ratio.
// `make bench` runs it. Unix only: the peak memory is read from getrusage.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/k8s-coroner/coroner/parsers"
	"github.com/k8s-coroner/coroner/parsers/synth"
)

func main() {
	mb := flag.Int64("mb", 256, "size of the generated syslog in MiB")
	every := flag.Int("oom-every", 20000, "one OOM report per this many filler lines")
	coroner := flag.String("coroner", "bin/coroner", "the coroner binary to measure")
	root := flag.String("root", ".", "repository root, to find the lab's real OOM report")
	runs := flag.Int("runs", 3, "runs of each command; the fastest counts")
	sos := flag.Bool("sosreport", false, "measure a generated sosreport (.tar.xz and .tar.gz) against decompression alone, at -mb and 4x -mb")
	kills := flag.Int("kills", 0, "only write a syslog with this many real OOM kills (distinct deaths) to -o, for timing coroner by hand")
	out := flag.String("o", "", "the file -kills writes")
	tableMode := flag.Bool("table", false, "measure every figure of README's performance table (plain text at -mb/4 and -mb, sosreports in xz, zstd and gzip, 1k/10k/50k kills, a 300 MiB List, a 50 MiB YAML, Loki and Elasticsearch) and print it in Markdown")
	flag.Parse()
	var err error
	if *tableMode {
		err = runTable(*mb, *coroner, *root, *runs)
	} else if *kills > 0 {
		err = writeDeaths(*kills, *out, *root)
	} else if *sos {
		err = runArchive(*mb, *every, *coroner, *root, *runs)
	} else {
		err = run(*mb, *every, *coroner, *root, *runs)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(mb int64, every int, coroner, root string, runs int) error {
	report, err := synth.LabReport(root)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "coroner-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "syslog")
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	n, err := synth.Syslog(f, mb<<20, every, report)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Printf("input: %d MiB synthetic syslog with %d real OOM reports\n", mb, n)
	grep, err := best(runs, "grep", "-cE", parsers.TriggerPattern(), path)
	if err != nil {
		return err
	}
	cor, err := best(runs, coroner, "analyze", "--format", "json", "--year", "2025", path)
	if err != nil {
		return err
	}
	size := float64(mb << 20)
	fmt.Printf("grep -cE (trigger words)  %7.0f MB/s\n", size/grep.Seconds()/1e6)
	fmt.Printf("coroner analyze           %7.0f MB/s  (%.2fx grep's time)\n", size/cor.Seconds()/1e6, cor.Seconds()/grep.Seconds())
	return nil
}

// best runs a command several times and returns its fastest wall-clock time.
func best(runs int, name string, args ...string) (time.Duration, error) {
	d, _, err := bestRSS(runs, name, args...)
	return d, err
}

// bestRSS also returns the largest peak resident set size (KiB) of the runs. The peak is
// read by /usr/bin/time when there is one: Go starts a command with vfork, and Linux then
// counts this process's own peak (the generators') into the command's.
func bestRSS(runs int, name string, args ...string) (time.Duration, int64, error) {
	var fastest time.Duration
	var peak int64
	timeTool, _ := exec.LookPath("/usr/bin/time")
	for i := 0; i < runs; i++ {
		cmd := exec.Command(name, args...)
		var rssFile string
		if timeTool != "" {
			f, err := os.CreateTemp("", "coroner-bench-rss")
			if err != nil {
				return 0, 0, err
			}
			f.Close()
			rssFile = f.Name()
			defer os.Remove(rssFile)
			cmd = exec.Command(timeTool, append([]string{"-f", "%M", "-o", rssFile, name}, args...)...)
		}
		// A pipe, not /dev/null: GNU grep stops at the first match when it sees /dev/null.
		cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", name, err)
		}
		if d := time.Since(start); fastest == 0 || d < fastest {
			fastest = d
		}
		rss := int64(0)
		if rssFile != "" {
			b, _ := os.ReadFile(rssFile)
			rss, _ = strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		} else if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = ru.Maxrss
		}
		peak = max(peak, rss)
	}
	return fastest, peak, nil
}

// writeDeaths writes the many-deaths syslog of synth.Deaths to path.
func writeDeaths(kills int, path, root string) error {
	report, err := synth.LabReport(root)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	n, err := synth.Deaths(f, kills, report)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	fmt.Printf("%s: %d OOM kills, %d container deaths\n", path, kills, n)
	return err
}
