package server

import (
	"encoding/json"
	"errors"
	"strconv"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/rpc"
	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/session"
)

// writeEvent sends one session/event notification. It runs synchronously on
// the run's goroutine, so every event of a run is queued before the run's
// response; a full outbound queue slows the run down (backpressure).
func (s *Server) writeEvent(conn *rpc.Conn, env session.Envelope) {
	payload, ok := s.eventPayload(env)
	if !ok {
		return
	}
	params := s.fitEvent(conn, wire.MethodSessionEvent, env, payload, func(dst, payload []byte) []byte {
		return appendEventParams(dst, env, payload)
	})
	if err := conn.Notify(wire.MethodSessionEvent, json.RawMessage(params)); err != nil && !errors.Is(err, rpc.ErrClosed) {
		s.cfg.Logger.Warn("dropping event", "type", env.Event.Type(), "err", err)
	}
}

// eventPayload encodes an event's payload as the published SDK reads it;
// false means the event is not sent (outside the SDK's inventory, or not
// encodable).
func (s *Server) eventPayload(env session.Envelope) ([]byte, bool) {
	e := withLegacy(env.Event)
	if _, unknown := e.(event.Unknown); unknown || e == nil {
		return nil, false // the published SDK fails on types outside its inventory
	}
	payload, err := event.Marshal(e)
	if err != nil {
		s.cfg.Logger.Warn("dropping unencodable event", "type", e.Type(), "err", err)
		return nil, false
	}
	return payload, true
}

// fitEvent encodes the params of a notification carrying one event with
// encode, which wraps a payload in the method's params. Params over the
// method's notification limit are bounded (boundEvent).
func (s *Server) fitEvent(conn *rpc.Conn, method string, env session.Envelope, payload []byte, encode func(dst, payload []byte) []byte) []byte {
	params := encode(make([]byte, 0, len(payload)+320), payload)
	if limit := conn.MaxNotificationParams(method); len(params) > limit {
		params = s.boundEvent(env, payload, len(params), limit, encode)
	}
	return params
}

// boundEvent fits the params of an event over the notification limit: its
// long strings are cut with a marker (event.Bound; the session's history
// keeps the full content). An event that still does not fit is replaced by
// a stream_truncated event of the same seq naming it, so the client learns
// what it missed instead of seeing a gap.
func (s *Server) boundEvent(env session.Envelope, payload []byte, size, limit int, encode func(dst, payload []byte) []byte) []byte {
	envelope := size - len(payload)
	fitted, replaced := event.Fit(payload, limit-envelope, env.Seq)
	if replaced {
		s.cfg.Logger.Warn("event too large even with its content cut; sending stream_truncated", "type", env.Event.Type(), "seq", env.Seq, "bytes", size)
	}
	return encode(make([]byte, 0, len(fitted)+envelope), fitted)
}

// appendEventParams encodes the params of session/event: the session id and
// the full envelope.
func appendEventParams(dst []byte, env session.Envelope, payload []byte) []byte {
	dst = append(dst, `{"session_id":`...)
	dst = rpc.AppendString(dst, env.SessionID)
	dst = append(dst, `,"event":`...)
	dst = appendEnvelope(dst, env, payload)
	return append(dst, '}')
}

// appendEnvelope encodes an event envelope: event_id, source, seq,
// timestamp_ms and payload.
func appendEnvelope(dst []byte, env session.Envelope, payload []byte) []byte {
	dst = append(dst, `{"event_id":`...)
	dst = rpc.AppendString(dst, env.EventID)
	dst = append(dst, `,"source":{"type":"session","session_id":`...)
	dst = rpc.AppendString(dst, env.SessionID)
	dst = append(dst, `},"seq":`...)
	dst = strconv.AppendUint(dst, env.Seq, 10)
	dst = append(dst, `,"timestamp_ms":`...)
	dst = strconv.AppendUint(dst, uint64(max(env.TimestampMS, 0)), 10)
	dst = append(dst, `,"payload":`...)
	dst = append(dst, payload...)
	return append(dst, '}')
}

// withLegacy fills the legacy fields the published Python SDK still parses
// (contract 3.2 quirk b) from the canonical ones when the emitter left them
// empty.
func withLegacy(e event.Event) event.Event {
	switch v := e.(type) {
	case event.RunStarted:
		if v.Prompt == "" {
			v.Prompt = wire.PlainText(v.Input.Content)
		}
		return v
	case event.RunFailed:
		if v.ErrorClass == "" {
			v.ErrorClass = v.ErrorReport.Class
		}
		if v.Error == "" {
			v.Error = v.ErrorReport.Message
		}
		return v
	case event.Retrying:
		if v.Attempt == 0 && v.MaxAttempts == 0 {
			v.Attempt, v.MaxAttempts = v.Retry.Plan.Attempt, v.Retry.Plan.MaxRetries
			v.Error, v.DelayMS = v.Retry.Failure.Message, v.Retry.Plan.SelectedDelayMS
		}
		return v
	}
	return e
}
