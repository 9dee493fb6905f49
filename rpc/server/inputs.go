package server

import (
	"context"
	"encoding/json"
	"time"

	"github.com/rkat-dev/rkat/rpc/wire"
)

// inputStatus reads an input's state. Inputs are found by key: an external
// event by the input_id it was accepted with, injected context by its
// idempotency key (which then also serves as its input_id).
func (s *Server) inputStatus(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.InputStatusParams](params)
	if err != nil {
		return nil, err
	}
	sid, err := s.sessionID(p.SessionID)
	if err != nil {
		return nil, err
	}
	switch {
	case p.Selector.By != wire.SelectByInputID && p.Selector.By != wire.SelectByIdempotencyKey:
		return nil, invalidParams("selector.by must be %q or %q", wire.SelectByInputID, wire.SelectByIdempotencyKey)
	case p.Selector.Value == "":
		return nil, invalidParams("selector.value is required")
	}
	svc, _, err := s.service()
	if err != nil {
		return nil, err
	}
	in, err := svc.InputStatus(ctx, sid, p.Selector.Value)
	if err != nil || in == nil {
		return wire.InputStatusResult{}, err
	}
	at := in.Created.UTC().Format(time.RFC3339Nano)
	st := &wire.InputState{InputID: in.Key, CurrentState: in.State, CreatedAt: at, UpdatedAt: at}
	if p.Selector.By == wire.SelectByIdempotencyKey {
		st.IdempotencyKey = in.Key
	}
	return wire.InputStatusResult{State: st}, nil
}
