package session

import (
	"context"

	"github.com/rkat-dev/rkat/agent/event"
)

// addSourceTools adds the session's own tools from Config.ToolSource to the
// turn's tool set and returns the events reporting the changes applied at
// this boundary. The request's overlay narrows them too, and a tool of the
// same name already in the set (builtin, registered or the request's own)
// wins over a source tool.
func (s *Service) addSourceTools(ctx context.Context, plan *turnPlan, req TurnRequest) []event.Event {
	if s.cfg.ToolSource == nil {
		return nil
	}
	src, notices := s.cfg.ToolSource.TurnTools(ctx, plan.cfg.SessionID, plan.turn)
	// Without, Filter and Merge share the source's entries, so schemas it
	// compiled at an earlier boundary are not compiled again.
	add := src.Without(plan.cfg.Tools)
	if o := req.ToolOverlay; o != nil {
		add = add.Filter(o.Allowed, o.Blocked)
	}
	if add.Len() > 0 {
		plan.cfg.Tools = plan.cfg.Tools.Merge(add)
	}
	return notices
}
