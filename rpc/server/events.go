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
	e := withLegacy(env.Event)
	if _, unknown := e.(event.Unknown); unknown || e == nil {
		return // the published SDK fails on types outside its inventory
	}
	payload, err := event.Marshal(e)
	if err != nil {
		s.cfg.Logger.Warn("dropping unencodable event", "type", e.Type(), "err", err)
		return
	}
	params := appendEventParams(make([]byte, 0, len(payload)+256), env, payload)
	if limit := conn.MaxNotificationParams(wire.MethodSessionEvent); len(params) > limit {
		params = s.boundEvent(env, e.Type(), payload, len(params), limit)
	}
	if err := conn.Notify(wire.MethodSessionEvent, json.RawMessage(params)); err != nil && !errors.Is(err, rpc.ErrClosed) {
		s.cfg.Logger.Warn("dropping event", "type", e.Type(), "err", err)
	}
}

// boundEvent fits the params of an event over the notification limit: its
// long strings are cut with a marker (event.Bound; the session's history
// keeps the full content). An event that still does not fit is replaced by
// a stream_truncated event of the same seq naming it, so the client learns
// what it missed instead of seeing a gap.
func (s *Server) boundEvent(env session.Envelope, typ string, payload []byte, size, limit int) []byte {
	envelope := size - len(payload)
	if bounded, ok := event.Bound(payload, limit-envelope); ok {
		return appendEventParams(make([]byte, 0, len(bounded)+envelope), env, bounded)
	}
	s.cfg.Logger.Warn("event too large even with its content cut; sending stream_truncated", "type", typ, "seq", env.Seq, "bytes", size)
	trunc, _ := event.Marshal(event.StreamTruncated{Reason: event.TruncationReason{
		Kind: event.TruncationOversizedEvent, DurableSeq: env.Seq, EncodedBytes: size, MaxBytes: limit}})
	return appendEventParams(nil, env, trunc)
}

// appendEventParams encodes the params of session/event: the session id and
// the full envelope (event_id, source, seq, timestamp_ms, payload).
func appendEventParams(dst []byte, env session.Envelope, payload []byte) []byte {
	dst = append(dst, `{"session_id":`...)
	dst = rpc.AppendString(dst, env.SessionID)
	dst = append(dst, `,"event":{"event_id":`...)
	dst = rpc.AppendString(dst, env.EventID)
	dst = append(dst, `,"source":{"type":"session","session_id":`...)
	dst = rpc.AppendString(dst, env.SessionID)
	dst = append(dst, `},"seq":`...)
	dst = strconv.AppendUint(dst, env.Seq, 10)
	dst = append(dst, `,"timestamp_ms":`...)
	dst = strconv.AppendUint(dst, uint64(max(env.TimestampMS, 0)), 10)
	dst = append(dst, `,"payload":`...)
	dst = append(dst, payload...)
	return append(dst, "}}"...)
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
