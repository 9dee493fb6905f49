package sdk

import (
	"context"
	"encoding/json"
	"iter"
	"sync"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/rpc/wire"
)

// EventStream is a run in progress: iterate Events (or Envelopes) to the end,
// then read Result. Events arrive as typed values from package agent/event;
// a type this version does not know arrives as event.Unknown, and a known
// type with malformed fields as event.Unknown named "malformed_event".
//
// Iterate promptly or Close the stream: its buffer holds 256 events, and a
// full buffer holds up the connection (backpressure reaches the server's
// turn) until the consumer reads on.
type EventStream struct {
	c   *Client
	sub *subscription

	mu        sync.Mutex
	sessionID string
	consumed  bool
	result    *wire.RunResult
	err       error
}

// startStream subscribes (to sessionID, or to the next unclaimed session
// when it is empty) and runs the call in the background; the call's answer
// ends the stream.
func (c *Client) startStream(ctx context.Context, sessionID, method string, params any, onDone func()) *EventStream {
	s := &EventStream{c: c, sub: newSubscription(), sessionID: sessionID}
	if sessionID != "" {
		c.events.subscribe(sessionID, s.sub)
	} else {
		c.events.setPending(s.sub)
	}
	go func() {
		var res wire.RunResult
		err := c.call(ctx, method, params, &res)
		if onDone != nil {
			onDone()
		}
		s.mu.Lock()
		if err == nil {
			s.result = &res
			if s.sessionID == "" {
				s.sessionID = res.SessionID
			}
		}
		s.err = err
		sid := s.sessionID
		s.mu.Unlock()
		c.events.unsubscribe(sid, s.sub)
		s.sub.push(item{end: true})
	}()
	return s
}

// SessionID is the session of the run; for a streaming create it is known
// once the first event or the result arrived.
func (s *EventStream) SessionID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessionID
}

// Envelopes yields every event of the run with its envelope fields, in
// order, until the run ends. Breaking out early abandons the stream.
func (s *EventStream) Envelopes() iter.Seq[Envelope] {
	return func(yield func(Envelope) bool) {
		defer s.sub.stop()
		for it := range s.sub.ch {
			if it.end {
				s.mu.Lock()
				s.consumed = true
				s.mu.Unlock()
				return
			}
			s.mu.Lock()
			if s.sessionID == "" {
				s.sessionID = it.env.SessionID
			}
			s.mu.Unlock()
			if !yield(it.env) {
				return
			}
		}
	}
}

// Events yields the typed events of the run, in order, until it ends.
func (s *EventStream) Events() iter.Seq[event.Event] {
	return func(yield func(event.Event) bool) {
		for env := range s.Envelopes() {
			if !yield(env.Event) {
				return
			}
		}
	}
}

// Result returns the run's result once the stream was consumed to its end;
// before that it returns ErrStreamNotConsumed. A failed run returns its
// *Error.
func (s *EventStream) Result() (*wire.RunResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.consumed {
		return nil, clientError(ErrStreamNotConsumed, nil, "read the stream to its end before its result")
	}
	return s.result, s.err
}

// Text drains the stream and returns the concatenated text deltas and the
// result.
func (s *EventStream) Text() (string, *wire.RunResult, error) {
	var text []byte
	for ev := range s.Events() {
		if d, ok := ev.(event.TextDelta); ok {
			text = append(text, d.Delta...)
		}
	}
	res, err := s.Result()
	return string(text), res, err
}

// rawJSON marshals v for a params field, nil staying nil.
func rawJSON(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	if r, ok := v.(json.RawMessage); ok {
		return r, nil
	}
	return json.Marshal(v)
}

// Close abandons the stream: remaining events are dropped. The run itself
// goes on; interrupt it with Session.Interrupt.
func (s *EventStream) Close() { s.sub.stop() }
