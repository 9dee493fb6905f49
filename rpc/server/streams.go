package server

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/google/uuid"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/rpc"
	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/session"
)

// Bounds of explicit event streams (session/stream_open).
const (
	// defaultStreamBuffer is the default of Config.StreamBuffer.
	defaultStreamBuffer = 1024
	// maxStreams bounds the streams open at once on one connection.
	maxStreams = 64
	// maxClosedStreams bounds the ids remembered for already_closed.
	maxClosedStreams = 256
)

// eventStream forwards one session's events to one connection. Its
// goroutine (forward) is owned by the connection: it stops on close, when
// the session's events end, on overflow and when the connection ends.
type eventStream struct {
	id, sessionID string
	sub           *session.Subscription
	stop          chan struct{} // closed by session/stream_close
	done          chan struct{} // closed when forward returns
}

// streams is a connection's open streams and the ids of ended ones.
type streams struct {
	open   map[string]*eventStream
	ended  map[string]bool
	endedQ []string // ended ids, oldest first, at most maxClosedStreams
}

func (s *Server) streamOpen(ctx context.Context, c *connState, params json.RawMessage) (any, error) {
	svc, sid, err := s.sessionCall(params)
	if err != nil {
		return nil, err
	}
	sub, err := svc.Subscribe(ctx, sid, s.cfg.StreamBuffer)
	if err != nil {
		return nil, err
	}
	st := &eventStream{id: uuid.NewString(), sessionID: sid, sub: sub, stop: make(chan struct{}), done: make(chan struct{})}
	c.mu.Lock()
	if c.streams.open == nil {
		c.streams.open, c.streams.ended = map[string]*eventStream{}, map[string]bool{}
	}
	if len(c.streams.open) >= maxStreams {
		c.mu.Unlock()
		sub.Close()
		return nil, invalidParams("at most %d event streams may be open per connection", maxStreams)
	}
	c.streams.open[st.id] = st
	c.mu.Unlock()
	c.bg.Add(1)
	go s.forward(c, st)
	return wire.StreamOpenResult{StreamID: st.id, SessionID: sid, Opened: true}, nil
}

func (s *Server) streamClose(_ context.Context, c *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.StreamCloseParams](params)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	st := c.streams.open[p.StreamID]
	ended := c.streams.ended[p.StreamID]
	if st != nil {
		c.endLocked(st)
	}
	c.mu.Unlock()
	if st == nil {
		if !ended {
			return nil, invalidParams("unknown stream_id %q", p.StreamID)
		}
		return wire.StreamCloseResult{StreamID: p.StreamID, Closed: true, AlreadyClosed: true}, nil
	}
	close(st.stop)
	<-st.done // no stream_event follows the stream_end
	s.notifyEnd(c, st, wire.StreamExplicitClose, nil)
	return wire.StreamCloseResult{StreamID: st.id, Closed: true}, nil
}

// forward sends the stream's events as session/stream_event until the
// stream is closed, the session's events end (remote_end), its buffer
// overflowed (terminal_error) or the connection ends.
func (s *Server) forward(c *connState, st *eventStream) {
	defer c.bg.Done()
	defer close(st.done)
	defer st.sub.Close()
	var sequence uint64
	for {
		select {
		case <-st.stop:
			return
		case <-c.ctx.Done():
			return
		case <-st.sub.Lost():
			s.end(c, st, wire.StreamTerminalError, overflow())
			return
		case env, ok := <-st.sub.Events():
			switch {
			case !ok:
				s.end(c, st, wire.StreamRemoteEnd, nil)
				return
			case overflowed(env):
				s.end(c, st, wire.StreamTerminalError, overflow())
				return
			}
			sequence++
			if !s.writeStreamEvent(c.conn, st, sequence, env) {
				s.end(c, st, wire.StreamTerminalError, &wire.StreamError{Code: wire.StreamReceiverGone,
					Message: "the connection can no longer deliver events"})
				return
			}
		}
	}
}

// overflow is the error of a stream whose buffer overflowed.
func overflow() *wire.StreamError {
	return &wire.StreamError{Code: wire.StreamQueueOverflow,
		Message: "the stream's event buffer overflowed: the client reads too slowly"}
}

// overflowed reports whether env says the subscription lost events.
func overflowed(env session.Envelope) bool {
	_, ok := env.Event.(event.StreamTruncated)
	return ok
}

// end ends st from its own goroutine, unless session/stream_close ended it
// first.
func (s *Server) end(c *connState, st *eventStream, outcome string, serr *wire.StreamError) {
	c.mu.Lock()
	mine := c.streams.open[st.id] == st
	if mine {
		c.endLocked(st)
	}
	c.mu.Unlock()
	if mine {
		s.notifyEnd(c, st, outcome, serr)
	}
}

// endLocked moves st from the open streams to the remembered ended ids.
func (c *connState) endLocked(st *eventStream) {
	delete(c.streams.open, st.id)
	c.streams.ended[st.id] = true
	c.streams.endedQ = append(c.streams.endedQ, st.id)
	if len(c.streams.endedQ) > maxClosedStreams {
		delete(c.streams.ended, c.streams.endedQ[0])
		c.streams.endedQ = c.streams.endedQ[1:]
	}
}

func (s *Server) notifyEnd(c *connState, st *eventStream, outcome string, serr *wire.StreamError) {
	err := c.conn.Notify(wire.MethodStreamEnd, wire.StreamEnd{StreamID: st.id, SessionID: st.sessionID, Ended: true, Outcome: outcome, Error: serr})
	if err != nil && !errors.Is(err, rpc.ErrClosed) {
		s.cfg.Logger.Warn("stream end not sent", "stream", st.id, "err", err)
	}
}

// writeStreamEvent sends one session/stream_event; it reports false when
// the connection can no longer send.
func (s *Server) writeStreamEvent(conn *rpc.Conn, st *eventStream, sequence uint64, env session.Envelope) bool {
	payload, ok := s.eventPayload(env)
	if !ok {
		return true
	}
	b := s.fitEvent(conn, wire.MethodStreamEvent, env, payload, func(b, payload []byte) []byte {
		b = append(b, `{"stream_id":`...)
		b = rpc.AppendString(b, st.id)
		b = append(b, `,"sequence":`...)
		b = strconv.AppendUint(b, sequence, 10)
		b = append(b, `,"session_id":`...)
		b = rpc.AppendString(b, env.SessionID)
		b = append(b, `,"event":`...)
		b = appendEnvelope(b, env, payload)
		return append(b, '}')
	})
	err := conn.Notify(wire.MethodStreamEvent, json.RawMessage(b))
	switch {
	case errors.Is(err, rpc.ErrClosed):
		return false
	case err != nil:
		s.cfg.Logger.Warn("dropping stream event", "stream", st.id, "err", err)
	}
	return true
}
