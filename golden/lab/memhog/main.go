//go:build linux

// Command memhog allocates anonymous memory in 1 MiB steps and touches every
// page so that it is really resident. It is the allocator used by
// golden/lab/capture-v1.sh to provoke real memory-cgroup OOM kills.
//
// It prints nothing unless something goes wrong.
package main

import (
	"flag"
	"fmt"
	"os"
	"syscall"
	"time"
)

const step = 1 << 20 // 1 MiB

func main() {
	mb := flag.Int("mb", 0, "allocate `N` MiB in 1 MiB steps")
	hold := flag.Bool("hold", false, "after allocating, sleep forever")
	delay := flag.Duration("step-delay", 0, "pause between 1 MiB steps")
	flag.Parse()
	if *mb < 0 || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "memhog: usage: memhog -mb N [-hold] [-step-delay D]")
		os.Exit(2)
	}

	page := os.Getpagesize()
	chunks := make([][]byte, 0, *mb) // keep every mapping reachable
	for i := 0; i < *mb; i++ {
		b, err := syscall.Mmap(-1, 0, step, syscall.PROT_READ|syscall.PROT_WRITE,
			syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS)
		if err != nil {
			fmt.Fprintf(os.Stderr, "memhog: mmap step %d: %v\n", i, err)
			os.Exit(1)
		}
		for off := 0; off < len(b); off += page {
			b[off] = byte(i) | 1 // non-zero write: a real, private, resident page
		}
		chunks = append(chunks, b)
		if *delay > 0 {
			time.Sleep(*delay)
		}
	}
	if *hold {
		for {
			time.Sleep(time.Hour)
		}
	}
	_ = chunks
}
