package rpc

import (
	"fmt"
	"io"
	"os"
	"os/exec"
)

// StartProcess starts cmd with a Stream over its stdin and stdout. Its
// stdout is an os.Pipe of our own rather than cmd.StdoutPipe, so cmd.Wait
// never closes it while the last lines are still being read. cmd.Stdin and
// cmd.Stdout must be unset.
func StartProcess(cmd *exec.Cmd, maxInbound int) (*Stream, error) {
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("rpc: stdin: %w", err)
	}
	out, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("rpc: stdout: %w", err)
	}
	cmd.Stdout = w
	err = cmd.Start()
	w.Close()
	if err != nil {
		out.Close()
		return nil, fmt.Errorf("rpc: start %s: %w", cmd.Path, err)
	}
	return NewStream(out, in, maxInbound), nil
}

// CloseWrite closes the underlying writer only (for a process: its stdin,
// which tells a server to finish) when it can be closed. Lines still
// buffered are dropped; it is safe to call while a Conn writes.
func (s *Stream) CloseWrite() error {
	if c, ok := s.wc.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
