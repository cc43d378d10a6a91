//go:build linux

package sources

import (
	"errors"
	"time"

	"golang.org/x/sys/unix"
)

// openNonBlocking opens path for reading with O_NONBLOCK and returns a read function that
// reports the end of /dev/kmsg's buffer (EAGAIN) as a zero-length read. A raw fd is used:
// os.File would park the read in the poller instead of returning at the end of the buffer.
func openNonBlocking(path string) (func([]byte) (int, error), func(), error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	read := func(b []byte) (int, error) {
		for {
			n, err := unix.Read(fd, b)
			switch {
			case errors.Is(err, unix.EAGAIN):
				return 0, nil
			case errors.Is(err, unix.EPIPE), errors.Is(err, unix.EINTR):
				continue // records were overwritten while we read: go on with the next
			case err != nil:
				return 0, err
			}
			return n, nil
		}
	}
	return read, func() { unix.Close(fd) }, nil
}

// MonotonicBootTime is the wall-clock time of boot as printk stamps count it: now minus
// CLOCK_MONOTONIC (printk's clock, like CLOCK_MONOTONIC, does not run during suspend).
func MonotonicBootTime() (time.Time, error) {
	var ts unix.Timespec
	now := time.Now()
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return time.Time{}, err
	}
	return now.Add(-time.Duration(ts.Nano())), nil
}
