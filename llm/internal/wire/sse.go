// Package wire holds what the provider adapters share when they speak their
// HTTP APIs directly: a server-sent-events reader, a stream that turns SSE
// events into llm.Events through a per-provider decoder, HTTP error
// classification into *llm.Error, and provider_params merging.
package wire

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxEventSize bounds one SSE event (all its data lines together). A longer
// event is a protocol error rather than unbounded memory growth.
const MaxEventSize = 8 << 20

// ErrEventTooLarge reports an SSE event larger than MaxEventSize.
var ErrEventTooLarge = errors.New("sse event too large")

// SSEEvent is one dispatched server-sent event. Its slices are owned by the
// reader and valid only until the next call to Next.
type SSEEvent struct {
	Name []byte // value of the last "event:" field, empty when none
	Data []byte // "data:" values joined by '\n'
}

// SSEReader reads server-sent events (text/event-stream) from a body.
type SSEReader struct {
	r       *bufio.Reader
	name    []byte
	data    []byte
	line    []byte
	hasData bool
}

// NewSSEReader returns a reader over r.
func NewSSEReader(r io.Reader) *SSEReader {
	return &SSEReader{r: bufio.NewReaderSize(r, 32<<10)}
}

// Next returns the next event. It returns io.EOF at a clean end of input and
// io.ErrUnexpectedEOF when the input ends inside a line. An event whose
// lines were complete but that lacked the final blank line is still
// dispatched at end of input.
func (s *SSEReader) Next() (SSEEvent, error) {
	s.name = s.name[:0]
	s.data = s.data[:0]
	s.hasData = false
	for {
		line, err := s.readLine()
		if err != nil {
			if err == io.EOF && s.hasData {
				return SSEEvent{Name: s.name, Data: s.data}, nil
			}
			return SSEEvent{}, err
		}
		if len(line) == 0 {
			if s.hasData {
				return SSEEvent{Name: s.name, Data: s.data}, nil
			}
			s.name = s.name[:0]
			continue
		}
		if line[0] == ':' {
			continue // comment
		}
		field, value := line, []byte(nil)
		if i := bytes.IndexByte(line, ':'); i >= 0 {
			field, value = line[:i], line[i+1:]
			if len(value) > 0 && value[0] == ' ' {
				value = value[1:]
			}
		}
		switch string(field) {
		case "data":
			if s.hasData {
				s.data = append(s.data, '\n')
			}
			if len(s.data)+len(value) > MaxEventSize {
				return SSEEvent{}, ErrEventTooLarge
			}
			s.data = append(s.data, value...)
			s.hasData = true
		case "event":
			s.name = append(s.name[:0], value...)
		}
		// "id", "retry" and unknown fields are ignored, as the SSE
		// specification requires.
	}
}

// readLine returns one line without its terminator. The slice is valid until
// the next call.
func (s *SSEReader) readLine() ([]byte, error) {
	line, err := s.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		s.line = append(s.line[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = s.r.ReadSlice('\n')
			if len(s.line)+len(line) > MaxEventSize {
				return nil, ErrEventTooLarge
			}
			s.line = append(s.line, line...)
		}
		line = s.line
	}
	if err != nil {
		if err == io.EOF && len(line) > 0 {
			return nil, io.ErrUnexpectedEOF
		}
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("read event stream: %w", err)
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}
