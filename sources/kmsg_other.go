//go:build !linux

package sources

import (
	"errors"
	"time"
)

var errNotLinux = errors.New("the kernel ring buffer is read on Linux only")

func openNonBlocking(string) (func([]byte) (int, error), func(), error) {
	return nil, nil, errNotLinux
}

// MonotonicBootTime is only known on Linux.
func MonotonicBootTime() (time.Time, error) { return time.Time{}, errNotLinux }
