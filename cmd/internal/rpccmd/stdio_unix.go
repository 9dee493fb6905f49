//go:build unix

package rpccmd

import (
	"os"
	"syscall"
)

// pollable returns f as a File that Go's poller drives, when f is a pipe or
// socket (never a terminal or a regular file); otherwise f itself.
func pollable(f *os.File) *os.File {
	fi, err := f.Stat()
	if err != nil || fi.Mode()&(os.ModeNamedPipe|os.ModeSocket) == 0 {
		return f
	}
	fd := f.Fd() // leaves the descriptor in blocking mode
	if err := syscall.SetNonblock(int(fd), true); err != nil {
		return f
	}
	return os.NewFile(fd, f.Name())
}
