package rpc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Transport moves whole messages. A Conn reads from one goroutine and writes
// from another (its writer), so implementations need not lock either side
// against itself, but ReadMessage and WriteMessage may run concurrently.
type Transport interface {
	// ReadMessage returns the next inbound message. It returns io.EOF when
	// the peer is done and ErrFrameTooLarge (wrapped) for a message over the
	// transport's limit; both end the connection. The returned slice is valid
	// until the next call.
	ReadMessage() ([]byte, error)
	// WriteMessage sends one message; it may buffer until Flush.
	WriteMessage(msg []byte) error
	// Flush pushes buffered messages to the peer.
	Flush() error
	// Close releases the transport and unblocks a pending ReadMessage where
	// the underlying reader allows it.
	Close() error
}

// DefaultMaxInbound is the inbound frame limit of the contract (64 MiB).
const DefaultMaxInbound = 64 << 20

// Stream is a Transport of newline-delimited JSON over a byte stream, such as
// a process's stdin and stdout.
type Stream struct {
	r          *bufio.Reader
	w          *bufio.Writer
	wc         io.Writer // the writer under w
	closers    []io.Closer
	maxInbound int
	line       []byte // the last line that fit the read buffer
}

// NewStream returns a newline-delimited transport reading r and writing w.
// maxInbound bounds one inbound line (0 means DefaultMaxInbound). Close
// closes r and w when they implement io.Closer.
func NewStream(r io.Reader, w io.Writer, maxInbound int) *Stream {
	if maxInbound <= 0 {
		maxInbound = DefaultMaxInbound
	}
	s := &Stream{r: bufio.NewReaderSize(r, 64<<10), w: bufio.NewWriterSize(w, 64<<10), wc: w, maxInbound: maxInbound}
	for _, c := range []any{r, w} {
		if cl, ok := c.(io.Closer); ok {
			s.closers = append(s.closers, cl)
		}
	}
	return s
}

// ReadMessage returns the next non-blank line without its terminator.
func (s *Stream) ReadMessage() ([]byte, error) {
	for {
		line, err := s.readLine()
		if len(bytes.TrimSpace(line)) > 0 && (err == nil || errors.Is(err, io.EOF)) {
			return bytes.TrimRight(line, "\r\n"), nil // a last line without a newline still counts
		}
		if err != nil {
			return nil, err
		}
	}
}

// readLine returns the next line with its terminator, or what precedes the
// end of the input with io.EOF. A line that fits the read buffer is copied
// into s.line, reused by the next call. A longer one is gathered in chunks,
// each counted before it is kept, so a line over the limit is refused while
// at most maxInbound bytes of it are held: growing one slice instead peaks
// at three to four times the limit.
func (s *Stream) readLine() ([]byte, error) {
	chunk, err := s.r.ReadSlice('\n')
	n := len(chunk)
	if n > s.maxInbound+1 { // +1: the newline itself
		return nil, s.tooLarge()
	}
	if !errors.Is(err, bufio.ErrBufferFull) {
		s.line = append(s.line[:0], chunk...)
		return s.line, err
	}
	parts := [][]byte{bytes.Clone(chunk)}
	for errors.Is(err, bufio.ErrBufferFull) {
		chunk, err = s.r.ReadSlice('\n')
		if n += len(chunk); n > s.maxInbound+1 {
			return nil, s.tooLarge()
		}
		parts = append(parts, bytes.Clone(chunk))
	}
	return bytes.Join(parts, nil), err
}

func (s *Stream) tooLarge() error {
	return fmt.Errorf("%w: more than %d bytes", ErrFrameTooLarge, s.maxInbound)
}

// WriteMessage buffers msg followed by a newline.
func (s *Stream) WriteMessage(msg []byte) error {
	if _, err := s.w.Write(msg); err != nil {
		return err
	}
	return s.w.WriteByte('\n')
}

// Flush writes buffered lines out.
func (s *Stream) Flush() error { return s.w.Flush() }

// Close closes the underlying reader and writer where they can be closed.
func (s *Stream) Close() error {
	var errs []error
	for _, c := range s.closers {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
