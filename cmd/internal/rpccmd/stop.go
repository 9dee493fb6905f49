package rpccmd

import (
	"context"
	"errors"
	"io"
)

// errStopped is what stdin reads and stdout writes return once the program
// was told to stop.
var errStopped = errors.New("rkat-rpc: stopping")

// stoppableReader makes reads from r return errStopped once ctx ends, even
// while a read is blocked (stdin of a pipe kept open by the client cannot be
// unblocked otherwise). Each underlying read runs on a goroutine that ends
// when r yields; after a stop one such read may stay blocked until r
// yields or the process exits. Reads are not concurrent (one reader).
type stoppableReader struct {
	ctx     context.Context
	r       io.Reader
	buf     []byte
	pending []byte // read from r, not yet returned
	err     error  // r's error, returned once pending is drained
	res     chan readResult
	busy    bool // a read of r is in flight
}

type readResult struct {
	n   int
	err error
}

func newStoppableReader(ctx context.Context, r io.Reader) *stoppableReader {
	return &stoppableReader{ctx: ctx, r: r, buf: make([]byte, 64<<10), res: make(chan readResult, 1)}
}

func (s *stoppableReader) Read(p []byte) (int, error) {
	if s.ctx.Err() != nil {
		return 0, errStopped
	}
	if len(s.pending) == 0 && s.err == nil {
		if !s.busy {
			s.busy = true
			go func() {
				n, err := s.r.Read(s.buf)
				s.res <- readResult{n, err}
			}()
		}
		select {
		case rr := <-s.res:
			s.busy = false
			s.pending, s.err = s.buf[:rr.n], rr.err
		case <-s.ctx.Done():
			return 0, errStopped
		}
	}
	if len(s.pending) > 0 {
		n := copy(p, s.pending)
		s.pending = s.pending[n:]
		return n, nil
	}
	return 0, s.err
}

// stoppableWriter drops everything written once ctx ends: after a stop
// signal the program answers nothing more.
type stoppableWriter struct {
	ctx context.Context
	w   io.Writer
}

func (s stoppableWriter) Write(p []byte) (int, error) {
	if s.ctx.Err() != nil {
		return 0, errStopped
	}
	return s.w.Write(p)
}

// Close closes r when it can be closed (a pollable stdin), which ends a
// read parked on it; the transport closes its reader when the connection
// ends.
func (s *stoppableReader) Close() error { return closeIfCloser(s.r) }

// Close closes w when it can be closed, as the transport does with its
// writer when the connection ends.
func (s stoppableWriter) Close() error { return closeIfCloser(s.w) }

func closeIfCloser(v any) error {
	if c, ok := v.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
