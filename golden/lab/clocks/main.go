//go:build linux

// Command clocks prints CLOCK_REALTIME, CLOCK_MONOTONIC and CLOCK_BOOTTIME
// (nanoseconds) as one JSON object, read back to back. Used by
// golden/lab/capture-v1.sh to record ground-truth clocks next to OOM events.
package main

import (
	"fmt"
	"os"
	"syscall"
	"unsafe"
)

const (
	clockRealtime  = 0
	clockMonotonic = 1
	clockBoottime  = 7
)

func now(id uintptr) int64 {
	var ts syscall.Timespec
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, id, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		fmt.Fprintf(os.Stderr, "clocks: clock_gettime(%d): %v\n", id, e)
		os.Exit(1)
	}
	return ts.Nano()
}

func main() {
	m := now(clockMonotonic)
	b := now(clockBoottime)
	r := now(clockRealtime)
	fmt.Printf("{\"realtime_ns\":%d,\"monotonic_ns\":%d,\"boottime_ns\":%d}\n", r, m, b)
}
