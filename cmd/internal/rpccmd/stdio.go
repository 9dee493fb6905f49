package rpccmd

import (
	"io"
	"os"
	"os/signal"
	"syscall"
)

// serveStdio prepares the process's standard streams for serving. SIGPIPE
// is ignored, so a client that closes its end of stdout mid-turn makes our
// writes fail with EPIPE (the connection ends, committed work stays, the
// process exits 0) instead of killing the process. stdin, when it is a
// pipe or socket, is switched to non-blocking mode so that closing it ends
// a pending read: the server can then stop without waiting for the client
// to close stdin too.
func serveStdio(stdin io.Reader) io.Reader {
	signal.Ignore(syscall.SIGPIPE)
	if f, ok := stdin.(*os.File); ok {
		return pollable(f)
	}
	return stdin
}
