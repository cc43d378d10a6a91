package sources

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// decoderPipeBytes is the size asked for the pipe a decoder process writes into. With the
// default 64 KiB, a fast single-threaded decoder and coroner take turns every 64 KiB: a
// 256 MiB sosreport through xz -T1 (an xz without --threads decodes so) took 2.2-2.4 s with
// it and 1.9-2.1 s with 1 MiB, xz alone 1.4-1.7 s. xz -T0 and bzip2, which decode more
// slowly per thread, showed no difference beyond the runs' spread.
const decoderPipeBytes = 1 << 20

// widenPipe asks for a larger pipe; the kernel may refuse (pipe-max-size, the user's pipe
// quota), and then the default stays.
func widenPipe(r io.Reader) {
	if f, ok := r.(*os.File); ok {
		_, _ = unix.FcntlInt(f.Fd(), unix.F_SETPIPE_SZ, decoderPipeBytes)
	}
}
