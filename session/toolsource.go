package session

import (
	"context"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/tool"
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
	extra, notices := s.cfg.ToolSource.TurnTools(ctx, plan.cfg.SessionID, plan.turn)
	kept := make([]tool.Tool, 0, len(extra))
	for _, t := range extra {
		if _, taken := plan.cfg.Tools.Lookup(t.Def().Name); !taken {
			kept = append(kept, t)
		}
	}
	add := tool.NewSet(kept...)
	if o := req.ToolOverlay; o != nil {
		add = add.Filter(o.Allowed, o.Blocked)
	}
	if add.Len() > 0 {
		plan.cfg.Tools = plan.cfg.Tools.With(add.Tools()...)
	}
	return notices
}
