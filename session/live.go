package session

import (
	"context"
	"fmt"
	"time"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/tool"
)

// LiveView is what a live channel (package live) needs from its session:
// the resolved model and provider, the instructions, the committed
// transcript and the tools.
type LiveView struct {
	SessionID    string
	Model        llm.Model
	Provider     llm.Provider
	Instructions string
	History      []llm.Message
	Tools        *tool.Set
}

// LiveExchange is one committed live exchange: the user's input (text or
// the transcript of committed audio), the assistant's answers, tool calls
// and their results, in order.
type LiveExchange struct {
	Messages   []llm.Message
	StopReason llm.StopReason
	Usage      llm.Usage
}

// Live returns the live view of an active session that has run (a deferred
// session has no canonical history to seed from yet: ErrInvalid). extra
// tools are added to the registry's (same name replaces).
func (s *Service) Live(ctx context.Context, id string, extra []tool.Tool) (LiveView, error) {
	sess, err := s.loadActive(ctx, id)
	if err != nil {
		return LiveView{}, err
	}
	if sess.Deferred != nil {
		return LiveView{}, fmt.Errorf("%w: session %s has not run its first turn", ErrInvalid, id)
	}
	set, err := settingsOf(sess)
	if err != nil {
		return LiveView{}, err
	}
	p, m, err := s.resolve(sess.Provider, sess.Model)
	if err != nil {
		return LiveView{}, err
	}
	rows, err := s.history.rows(ctx, s.cfg.Store, id, sess.MessageCount)
	if err != nil {
		return LiveView{}, err
	}
	history, extraSystem := transcriptOf(view(rows))
	v := LiveView{SessionID: id, Model: m, Provider: p, History: history,
		Instructions: systemText(set, extraSystem, nil)}
	if s.cfg.Tools != nil {
		v.Tools = s.cfg.Tools.Snapshot()
	}
	v.Tools = v.Tools.With(extra...)
	return v, nil
}

// CommitLive commits a live exchange as ordinary history rows (user, then
// assistant and tool_results rows) at a turn boundary, counting it as a
// run. It fails with ErrBusy while a turn runs on the session.
func (s *Service) CommitLive(ctx context.Context, id string, ex LiveExchange) error {
	if len(ex.Messages) == 0 {
		return nil
	}
	e, _, lease, err := s.beginLeased(ctx, id)
	if err != nil {
		return err
	}
	now := time.Now()
	rows := rowsOf(ex.Messages, ex.StopReason, now)
	runID := newEventID()
	var last string
	for i := range rows {
		rows[i].RunID = runID
	}
	for _, m := range ex.Messages {
		if t := m.PlainText(); m.Role == llm.RoleAssistant && t != "" {
			last = t
		}
	}
	c := store.Commit{Rows: rows, Update: store.Update{AddRuns: 1, AddUsage: ex.Usage, Touch: now}}
	if last != "" {
		c.Update.LastAssistantText = &last
	}
	return s.finish(ctx, id, e, c, lease)
}
