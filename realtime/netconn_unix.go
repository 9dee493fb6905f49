//go:build unix

package realtime

import (
	"errors"
	"net"
	"syscall"
)

// rawConnOf returns the socket descriptor of nc for non-blocking writes, or
// nil when it has none.
func rawConnOf(nc net.Conn) syscall.RawConn {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return nil
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	return raw
}

// writeRaw makes one write(2) of b without waiting for the socket; it
// returns 0 and no error when the socket would block.
func writeRaw(raw syscall.RawConn, b []byte) (int, error) {
	var n int
	var werr error
	if err := raw.Write(func(fd uintptr) bool {
		n, werr = syscall.Write(int(fd), b)
		return true
	}); err != nil {
		return 0, err
	}
	if errors.Is(werr, syscall.EAGAIN) || errors.Is(werr, syscall.EINTR) {
		return 0, nil
	}
	return max(n, 0), werr
}
