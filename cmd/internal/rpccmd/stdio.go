package rpccmd

import (
	"io"
	"os"
	"os/signal"
	"syscall"
)

// serveStdio prepares the process's standard streams for serving and
// returns the reader to serve with and a function that undoes the set-up.
// SIGPIPE is caught, so a client that closes its end of stdout mid-turn
// makes our writes fail with EPIPE (the connection ends, committed work
// stays, the process exits 0) instead of killing the process; caught with
// Notify rather than ignored, because an ignored SIGPIPE would be inherited
// by every process the server starts. stdin, when it is a pipe or socket,
// is switched to non-blocking mode so that closing it ends a pending read:
// the server can then stop without waiting for the client to close stdin.
func serveStdio(stdin io.Reader) (io.Reader, func()) {
	sigpipe := make(chan os.Signal, 1) // never read: delivery only needs a registration
	signal.Notify(sigpipe, syscall.SIGPIPE)
	stop := func() { signal.Stop(sigpipe) }
	if f, ok := stdin.(*os.File); ok {
		return pollable(f), stop
	}
	return stdin, stop
}
