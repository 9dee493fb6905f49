package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/rkat-dev/rkat/llm"
)

// Decoder turns the SSE events of one provider call into llm.Events. A
// decoder emits llm.EventStop exactly when it has seen the provider's
// terminal signal; the Stream treats an input that ends without one as
// truncated.
type Decoder interface {
	// Event handles one SSE event, appending what it produces to out. The
	// event's slices must not be retained.
	Event(ev SSEEvent, out []llm.Event) ([]llm.Event, error)
	// End is called when the body ends cleanly and may append final events
	// (providers whose terminal signal is the end of the body emit their
	// EventStop here).
	End(out []llm.Event) ([]llm.Event, error)
}

// Stream is an llm.Stream over an SSE response body.
type Stream struct {
	ctx      context.Context
	provider string
	body     io.ReadCloser
	sse      *SSEReader
	dec      Decoder
	queue    []llm.Event
	head     int
	err      error // sticky: io.EOF after EventStop, or the failure
	close    sync.Once
}

// NewStream returns a stream decoding body with dec. It owns body.
func NewStream(ctx context.Context, provider string, body io.ReadCloser, dec Decoder) *Stream {
	return &Stream{ctx: ctx, provider: provider, body: body, sse: NewSSEReader(body), dec: dec, queue: make([]llm.Event, 0, 4)}
}

// Recv returns the next event, io.EOF after EventStop, or the error that
// ended the call.
func (s *Stream) Recv() (llm.Event, error) {
	for s.head >= len(s.queue) {
		if s.err != nil {
			return llm.Event{}, s.err
		}
		s.queue, s.head = s.queue[:0], 0
		if err := s.fill(); err != nil {
			s.fail(err)
		}
	}
	ev := s.queue[s.head]
	s.head++
	if ev.Type == llm.EventStop {
		s.queue, s.head = s.queue[:0], 0
		s.err = io.EOF
		_ = s.Close()
	}
	return ev, nil
}

// fill reads one SSE event and decodes it into the queue.
func (s *Stream) fill() error {
	ev, err := s.sse.Next()
	if err == io.EOF {
		if s.queue, err = s.dec.End(s.queue); err != nil {
			return err
		}
		for _, e := range s.queue {
			if e.Type == llm.EventStop {
				return nil
			}
		}
		return &llm.Error{Provider: s.provider, Kind: llm.KindRetryable, Message: "stream ended before its terminal event", Err: io.ErrUnexpectedEOF}
	}
	if err != nil {
		return s.readError(err)
	}
	s.queue, err = s.dec.Event(ev, s.queue)
	return err
}

// readError classifies a failure to read the body.
func (s *Stream) readError(err error) error {
	if ctxErr := s.ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s stream: %w", s.provider, ctxErr)
	}
	switch {
	case errors.Is(err, ErrEventTooLarge):
		return &llm.Error{Provider: s.provider, Kind: llm.KindFatal, Message: "malformed stream: event too large", Err: err}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &llm.Error{Provider: s.provider, Kind: llm.KindRetryable, Message: "stream ended before its terminal event", Err: err}
	}
	return &llm.Error{Provider: s.provider, Kind: llm.KindRetryable, Message: "stream interrupted", Err: err}
}

// fail records err as the end of the stream and releases the body.
func (s *Stream) fail(err error) {
	s.queue, s.head = s.queue[:0], 0
	s.err = err
	_ = s.Close()
}

// Close releases the response body. It is safe to call more than once.
func (s *Stream) Close() error {
	var err error
	s.close.Do(func() { err = s.body.Close() })
	return err
}
