package server

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/rkat-dev/rkat/internal/clip"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/mob"
	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/session"
)

const (
	defaultWaitTimeout = 60 * time.Second
	maxWaitTimeout     = 10 * time.Minute
	waitPoll           = 25 * time.Millisecond
	previewChars       = 200
)

// memberSnapshot is one entry of mob/wait_kickoff and mob/wait_ready.
type memberSnapshot struct {
	AgentIdentity string `json:"agent_identity"`
	Status        string `json:"status"` // "idle" or "running"
	TokensUsed    uint64 `json:"tokens_used"`
	IsFinal       bool   `json:"is_final"`
	OutputPreview string `json:"output_preview,omitempty"`
}

// busy reports whether a member's session runs a turn or has input
// waiting for one (its kickoff is not complete).
func busy(ctx context.Context, c *connState, svc *session.Service, sid string) (bool, session.Info, error) {
	info, err := svc.Read(ctx, sid)
	if err != nil {
		return false, info, err
	}
	busy := info.Running
	if cm := c.commsOf(sid); cm != nil {
		cm.mu.Lock()
		busy = busy || cm.running || len(cm.queued) > 0
		cm.mu.Unlock()
	}
	return busy, info, nil
}

// liveMembers returns the realm's mob and session services and the mob's
// members that are not retired.
func (s *Server) liveMembers(ctx context.Context, mobID string) (*mob.Service, *session.Service, []mob.Member, error) {
	ms, err := s.mobs() // opens the realm, so service below returns it
	if err != nil {
		return nil, nil, nil, err
	}
	svc, _, err := s.service()
	if err != nil {
		return nil, nil, nil, err
	}
	members, err := ms.Members(ctx, mobID)
	if err != nil {
		return nil, nil, nil, err
	}
	return ms, svc, members, nil
}

// mobWait waits until the named members (all by default) are idle, or the
// timeout, and reports each one.
func (s *Server) mobWait(ctx context.Context, c *connState, params json.RawMessage) (any, error) {
	p, err := decode[struct {
		MobID     string   `json:"mob_id"`
		MemberIDs []string `json:"member_ids"`
		TimeoutMS *int64   `json:"timeout_ms"`
	}](params)
	if err != nil {
		return nil, err
	}
	timeout := defaultWaitTimeout
	if p.TimeoutMS != nil {
		if *p.TimeoutMS < 0 {
			return nil, invalidParams("timeout_ms must not be negative")
		}
		timeout = min(time.Duration(*p.TimeoutMS)*time.Millisecond, maxWaitTimeout)
	}
	_, svc, members, err := s.liveMembers(ctx, p.MobID)
	if err != nil {
		return nil, err
	}
	members = slices.DeleteFunc(members, func(m mob.Member) bool {
		return len(p.MemberIDs) > 0 && !slices.Contains(p.MemberIDs, m.AgentIdentity)
	})
	deadline := time.Now().Add(timeout)
	busies, infos := make([]bool, len(members)), make([]session.Info, len(members))
	for {
		allIdle := true
		for i, m := range members {
			if busies[i], infos[i], err = busy(ctx, c, svc, m.MemberRef); err != nil {
				return nil, err
			}
			allIdle = allIdle && !busies[i]
		}
		if allIdle || !time.Now().Before(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(waitPoll):
		}
	}
	out := make([]memberSnapshot, 0, len(members))
	for i, m := range members {
		snap := memberSnapshot{AgentIdentity: m.AgentIdentity, Status: "idle", IsFinal: !busies[i],
			TokensUsed: uint64(infos[i].Usage.Total()), OutputPreview: preview(infos[i].LastAssistantText, previewChars)}
		if busies[i] {
			snap.Status = "running"
		}
		out = append(out, snap)
	}
	return map[string]any{"members": out}, nil
}

// preview cuts s to at most n runes.
func preview(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// helperParams are mob/spawn_helper's and mob/fork_helper's params.
type helperParams struct {
	MobID          string          `json:"mob_id"`
	Prompt         json.RawMessage `json:"prompt"`
	ResultLabel    string          `json:"result_label"`
	MaxTextBytes   int             `json:"max_text_bytes"`
	AgentIdentity  *string         `json:"agent_identity"`
	RoleName       *string         `json:"role_name"`
	ModelOverride  *string         `json:"model_override"`
	AuthBinding    json.RawMessage `json:"auth_binding"`
	RuntimeMode    *string         `json:"runtime_mode"`
	Backend        *string         `json:"backend"`
	SourceMemberID string          `json:"source_member_id,omitempty"`
	ForkContext    json.RawMessage `json:"fork_context,omitempty"`
}

func (s *Server) mobSpawnHelper(ctx context.Context, c *connState, params json.RawMessage) (any, error) {
	return s.helper(ctx, c, params, false)
}

func (s *Server) mobForkHelper(ctx context.Context, c *connState, params json.RawMessage) (any, error) {
	return s.helper(ctx, c, params, true)
}

// helper spawns a member that runs one bounded task (one turn on prompt)
// and reports it as MobHelperResult. A fork helper takes the source
// member's profile and its committed conversation as injected context.
func (s *Server) helper(ctx context.Context, c *connState, params json.RawMessage, fork bool) (any, error) {
	p, err := decode[helperParams](params)
	if err != nil {
		return nil, err
	}
	switch {
	case p.ResultLabel == "":
		return nil, invalidParams("result_label is required")
	case p.MaxTextBytes <= 0:
		return nil, invalidParams("max_text_bytes must be positive")
	case fork && p.SourceMemberID == "":
		return nil, invalidParams("source_member_id is required")
	case !fork && (p.SourceMemberID != "" || p.ForkContext != nil):
		return nil, invalidParams("source_member_id and fork_context belong to mob/fork_helper")
	case asks(p.AuthBinding):
		return nil, invalidParams("auth_binding is not supported by this build")
	}
	prompt, err := parsePrompt(p.Prompt)
	if err != nil {
		return nil, err
	}
	ms, svc, members, err := s.liveMembers(ctx, p.MobID)
	if err != nil {
		return nil, err
	}
	spec := spawnParams{AgentIdentity: "helper-" + uuid.NewString()[:8], RuntimeMode: mob.ModeTurnDriven}
	if p.AgentIdentity != nil {
		spec.AgentIdentity = *p.AgentIdentity
	}
	if p.RoleName != nil {
		spec.Profile = *p.RoleName
	}
	if p.ModelOverride != nil {
		spec.ModelOverride = *p.ModelOverride
	}
	if p.Backend != nil {
		spec.Backend = *p.Backend
	}
	if p.RuntimeMode != nil {
		spec.RuntimeMode = *p.RuntimeMode
	}
	var forkContext []llm.Block
	if fork {
		i := slices.IndexFunc(members, func(m mob.Member) bool { return m.AgentIdentity == p.SourceMemberID })
		if i < 0 {
			return nil, invalidParams("mob %q has no member %q", p.MobID, p.SourceMemberID)
		}
		if spec.Profile == "" {
			spec.Profile = members[i].Role
		}
		if forkContext, err = transcript(ctx, svc, members[i].MemberRef); err != nil {
			return nil, err
		}
	}
	if spec.Profile == "" {
		return nil, invalidParams("role_name is required")
	}
	m, err := s.spawn(ctx, c, ms, p.MobID, spec)
	if err != nil {
		return nil, err
	}
	turn := session.TurnRequest{SessionID: m.MemberRef, Prompt: prompt}
	if len(forkContext) > 0 {
		turn.InjectedContext = [][]llm.Block{forkContext}
	}
	run := c.newRun(s, nil)
	turn.Tools, turn.OnEvent = run.tools, run.onEvent
	res, runErr := s.turn(ctx, c, svc, turn)
	status, text := "completed", res.Text
	if runErr != nil {
		status, text = "failed", wireError(runErr).Message
	}
	if len(text) > p.MaxTextBytes {
		status, text = status+"_truncated", clip.Bytes(text, p.MaxTextBytes)
	}
	out := map[string]any{}
	c.leaveComms(m.MemberRef)
	if err := ms.Retire(ctx, p.MobID, m.AgentIdentity); err != nil {
		out["retirement_error"] = err.Error()
	}
	u := res.Usage
	maps.Copy(out, map[string]any{
		"output": res.Text, "tokens_used": u.Total(), "agent_identity": m.AgentIdentity, "member_ref": m.MemberRef,
		"bounded_result": map[string]string{"label": p.ResultLabel, "status": status, "text": text},
		"session_id":     m.MemberRef,
		"usage": map[string]int64{"input_tokens": u.InputTokens, "output_tokens": u.OutputTokens,
			"cache_creation_tokens": u.CacheCreationTokens, "cache_read_tokens": u.CacheReadTokens},
		"turns": res.Turns, "tool_calls": res.ToolCalls,
	})
	return out, nil
}

// parsePrompt reads a helper's prompt (a string or content blocks).
func parsePrompt(raw json.RawMessage) ([]llm.Block, error) {
	if !asks(raw) {
		return nil, invalidParams("prompt is required")
	}
	return wire.ParseContent(raw)
}

// transcript renders a member's committed conversation as one text block
// (the context a fork helper starts from), bounded to the latest rows.
func transcript(ctx context.Context, svc *session.Service, sid string) ([]llm.Block, error) {
	const maxRows = 200
	page, err := svc.History(ctx, sid, 0, 1)
	if err != nil {
		return nil, err
	}
	offset := max(page.MessageCount-maxRows, 0)
	if page, err = svc.History(ctx, sid, offset, maxRows); err != nil {
		return nil, err
	}
	var b []byte
	b = append(b, "[forked from the conversation of the source member]\n"...)
	for _, r := range page.Rows {
		if t := (llm.Message{Content: r.Content}).PlainText(); t != "" {
			b = append(b, string(r.Role)+": "+t+"\n"...)
		}
	}
	return []llm.Block{llm.Text(string(b))}, nil
}
