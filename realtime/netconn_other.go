//go:build !unix

package realtime

import (
	"errors"
	"net"
	"syscall"
)

// rawConnOf reports no descriptor: outside Unix every data frame takes the
// blocking drain path.
func rawConnOf(net.Conn) syscall.RawConn { return nil }

// writeRaw is not used outside Unix (rawConnOf returns nil).
func writeRaw(syscall.RawConn, []byte) (int, error) { return 0, errors.ErrUnsupported }
