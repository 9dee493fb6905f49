//go:build unix

package realtime

import (
	"net"
	"syscall"
)

// rawWriter makes non-blocking writes on a connection's socket descriptor.
// Its callback is bound once, so a write allocates nothing; callers
// serialise writes (sockConn.mu). It goes through RawConn.Control, not
// RawConn.Write: the latter fails once the write deadline the blocking path
// sets has passed, and a non-blocking write needs no deadline.
type rawWriter struct {
	raw   syscall.RawConn
	write func(fd uintptr)
	buf   []byte
	n     int
	err   error
}

// newRawWriter returns a rawWriter for nc, or nil when nc has no socket
// descriptor.
func newRawWriter(nc net.Conn) *rawWriter {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return nil
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	w := &rawWriter{raw: raw}
	w.write = w.writeFD
	return w
}

func (w *rawWriter) writeFD(fd uintptr) {
	w.n, w.err = syscall.Write(int(fd), w.buf)
}

// Write makes one write(2) of b without waiting for the socket; it returns
// 0 and no error when the socket would block.
func (w *rawWriter) Write(b []byte) (int, error) {
	w.buf = b
	err := w.raw.Control(w.write)
	n, werr := w.n, w.err
	w.buf, w.err = nil, nil
	switch {
	case err != nil:
		return 0, err
	case werr == syscall.EAGAIN || werr == syscall.EINTR:
		return 0, nil
	}
	return max(n, 0), werr
}
