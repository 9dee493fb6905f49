package sdk

import (
	"context"
	"iter"
	"sync"

	"github.com/rkat-dev/rkat/rpc/wire"
)

// maxOrphanStreamEvents bounds the stream notifications held for streams
// whose session/stream_open answer has not arrived yet.
const maxOrphanStreamEvents = 1024

// EventSubscription receives every event of one session, whoever runs its
// turns, through a server-side stream (session/stream_open): the Go form of
// the Python SDK's session.subscribe_events(). Iterate Events until the
// stream ends, then read End for why it ended; Close ends it early.
//
// Iterate promptly: like EventStream, a full buffer (1280 events) holds up
// the connection until the consumer reads on. A server-side buffer
// overflow ends the stream with outcome terminal_error.
type EventSubscription struct {
	c        *Client
	streamID string
	session  string
	sub      *subscription

	mu  sync.Mutex
	end *wire.StreamEnd
}

// SubscribeEvents opens a stream of the session's events.
func (s *Session) SubscribeEvents(ctx context.Context) (*EventSubscription, error) {
	var res wire.StreamOpenResult
	if err := s.c.call(ctx, wire.MethodStreamOpen, wire.SessionIDParams{SessionID: s.ID}, &res); err != nil {
		return nil, err
	}
	sub := newSubscriptionSize(256 + maxOrphanStreamEvents)
	s.c.events.subscribeStream(res.StreamID, sub)
	return &EventSubscription{c: s.c, streamID: res.StreamID, session: res.SessionID, sub: sub}, nil
}

// StreamID is the server's id of the stream.
func (e *EventSubscription) StreamID() string { return e.streamID }

// Events yields the session's events in order until the stream ends (the
// server's session/stream_end) or the subscription is closed. Breaking out
// early abandons the subscription without closing it on the server.
func (e *EventSubscription) Events() iter.Seq[Envelope] {
	return func(yield func(Envelope) bool) {
		for it := range e.sub.ch {
			if it.end {
				e.mu.Lock()
				e.end = it.streamEnd
				e.mu.Unlock()
				e.sub.stop()
				return
			}
			if !yield(it.env) {
				e.sub.stop()
				return
			}
		}
	}
}

// End is how the stream ended (outcome remote_end, terminal_error or
// explicit_close), once Events has returned at its end; nil before.
func (e *EventSubscription) End() *wire.StreamEnd {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.end
}

// Close closes the stream on the server. Events not yet consumed are
// dropped. Closing an ended stream succeeds.
func (e *EventSubscription) Close(ctx context.Context) error {
	e.sub.stop() // never let an unread buffer hold up the close answer
	var res wire.StreamCloseResult
	err := e.c.call(ctx, wire.MethodStreamClose, wire.StreamCloseParams{StreamID: e.streamID}, &res)
	e.c.events.unsubscribeStream(e.streamID)
	return err
}
