//go:build !unix

package realtime

import (
	"errors"
	"net"
)

// rawWriter is not available outside Unix: every data frame takes the
// blocking drain path.
type rawWriter struct{}

// newRawWriter reports no descriptor.
func newRawWriter(net.Conn) *rawWriter { return nil }

// Write is never called (newRawWriter returns nil).
func (*rawWriter) Write([]byte) (int, error) { return 0, errors.ErrUnsupported }
