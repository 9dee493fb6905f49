package rpccmd

import (
	"context"
	"errors"
	"io"
	"sync"
)

// errStopped is what stdin reads and stdout writes return once the program
// was told to stop or the transport was closed.
var errStopped = errors.New("rkat-rpc: stopping")

// stoppableReader makes reads from r return errStopped once ctx ends or the
// reader is closed, even while a read is blocked (a stdin that cannot be
// unblocked otherwise, such as a terminal). Each underlying read runs on a
// goroutine that ends when r yields; after a stop one such read may stay
// blocked until r yields, is closed, or the process exits. Reads are not
// concurrent (one reader).
type stoppableReader struct {
	ctx     context.Context
	r       io.Reader
	buf     []byte
	pending []byte // read from r, not yet returned
	err     error  // r's error, returned once pending is drained
	res     chan readResult
	busy    bool // a read of r is in flight

	closeOnce sync.Once
	closed    chan struct{}
	closeErr  error
}

type readResult struct {
	n   int
	err error
}

func newStoppableReader(ctx context.Context, r io.Reader) *stoppableReader {
	return &stoppableReader{ctx: ctx, r: r, buf: make([]byte, 64<<10), res: make(chan readResult, 1), closed: make(chan struct{})}
}

func (s *stoppableReader) Read(p []byte) (int, error) {
	select {
	case <-s.ctx.Done():
		return 0, errStopped
	case <-s.closed:
		return 0, errStopped
	default:
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
		case <-s.closed:
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

// Close ends pending and later reads and closes r when it is a Closer.
func (s *stoppableReader) Close() error {
	s.closeOnce.Do(func() {
		close(s.closed)
		if c, ok := s.r.(io.Closer); ok {
			s.closeErr = c.Close()
		}
	})
	return s.closeErr
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

// Close closes w when it is a Closer.
func (s stoppableWriter) Close() error {
	if c, ok := s.w.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
