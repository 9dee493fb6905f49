package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rkat-dev/rkat/agent"
	"github.com/rkat-dev/rkat/comms"
	"github.com/rkat-dev/rkat/hook"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/scripted"
	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/session"
)

// Paging limits of the contract.
const (
	defaultPage = 100
	maxPage     = 1000
	maxOffset   = 1_000_000
)

// maxLabelFilters bounds the label filters of one session/list: each is a
// term of the store's query (SQLite refuses expression trees much deeper
// than about a thousand terms).
const maxLabelFilters = 64

func (s *Server) sessionCreate(ctx context.Context, c *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.CreateParams](params)
	if err != nil {
		return nil, err
	}
	if err := refuseUnsupported(&p); err != nil {
		return nil, err
	}
	if p.Prompt == nil {
		return nil, invalidParams("prompt is required")
	}
	prompt, err := wire.ParseContent(p.Prompt)
	if err != nil {
		return nil, err
	}
	deferred := false
	switch p.InitialTurn {
	case "", wire.InitialTurnRunImmediately:
	case wire.InitialTurnDeferred:
		deferred = true
	default:
		return nil, invalidParams("initial_turn must be %q or %q", wire.InitialTurnRunImmediately, wire.InitialTurnDeferred)
	}
	if deferred && p.TransientTurnContext != nil {
		return nil, invalidParams("transient_turn_context cannot be used with a deferred initial turn")
	}
	if err := checkProvider(p.Provider); err != nil {
		return nil, err
	}
	if err := s.checkEnableSchedule(p.EnableSchedule); err != nil {
		return nil, err
	}
	req := session.CreateRequest{
		Prompt: prompt, Deferred: deferred, Model: p.Model, Provider: p.Provider,
		AdditionalInstructions:  p.AdditionalInstructions,
		StructuredOutputRetries: p.StructuredOutputRetries,
		ProviderParams:          p.ProviderParams,
		Labels:                  p.Labels,
		EnableBuiltins:          p.EnableBuiltins,
		EnableShell:             p.EnableShell,
		ShellEnv:                p.ShellEnv,
	}
	if on(p.EnableBuiltins) && !s.cfg.Builtins {
		return nil, &unavailable{capability: "builtins", msg: "builtin tools are not available in this runtime"}
	}
	if on(p.EnableShell) && !s.cfg.Shell {
		return nil, &unavailable{capability: "shell", msg: "the shell is not available in this runtime"}
	}
	if p.MaxTokens != nil {
		if *p.MaxTokens < 0 {
			return nil, invalidParams("max_tokens must not be negative")
		}
		req.MaxTokens = *p.MaxTokens
	}
	if req.SystemPrompt, err = systemPrompt(p.SystemPrompt); err != nil {
		return nil, err
	}
	if req.OutputSchema, err = outputSchema(p.OutputSchema); err != nil {
		return nil, err
	}
	if req.Budget, err = budget(p.BudgetLimits); err != nil {
		return nil, err
	}
	if req.InjectedContext, err = contents(p.InjectedContext); err != nil {
		return nil, err
	}
	if asks(p.HooksOverride) {
		if !s.cfg.HookOverrides {
			return nil, invalidParams("hooks_override is not accepted by this server: its hooks would run commands and reach URLs on the server's machine")
		}
		o, err := hook.ParseOverrides(p.HooksOverride)
		if err != nil {
			return nil, invalidParams("%v", err)
		}
		req.Hooks = &o
	}
	if err := checkToolSpecs(p.ExternalTools); err != nil {
		return nil, err
	}
	if err := s.keepImages(ctx, append([][]llm.Block{req.Prompt}, req.InjectedContext...)...); err != nil {
		return nil, err
	}
	if p.TransientTurnContext != nil {
		req.FirstTurnInstructions = []string{*p.TransientTurnContext}
	}
	var meta wire.PeerMeta
	if asks(p.PeerMeta) {
		if meta, err = decode[wire.PeerMeta](p.PeerMeta); err != nil {
			return nil, invalidParams("peer_meta: %v", err)
		}
	}
	if p.CommsName != "" && s.cfg.Comms == nil {
		return nil, invalidParams("comms_name: this server runs without comms")
	}
	// Preloaded skills stay in the session's instructions; skill_refs
	// apply to the first turn only.
	skills, err := s.resolveSkills(p.PreloadSkills, p.SkillRefs)
	if err != nil {
		return nil, err
	}
	if skills.preload != "" {
		req.AdditionalInstructions = append(req.AdditionalInstructions, skills.preload)
	}
	if skills.refs != "" {
		req.FirstTurnInstructions = append(req.FirstTurnInstructions, skills.refs)
	}
	req.Notices = skills.notices()
	svc, _, err := s.service()
	if err != nil {
		return nil, err
	}
	if p.CommsName != "" || (p.KeepAlive && !deferred) || on(p.EnableSchedule) {
		return s.createStaged(ctx, c, svc, req, p.ExternalTools, p.CommsName, meta, p.KeepAlive, on(p.EnableSchedule))
	}
	run := c.newRun(s, p.ExternalTools)
	req.Tools, req.OnEvent = run.tools, run.onEvent
	res, err := svc.Create(ctx, req)
	if res.SessionID != "" {
		s.setExternalTools(res.SessionID, p.ExternalTools)
	}
	if deferred && err == nil {
		return wire.DeferredResult{SessionID: res.SessionID, SessionRef: s.ref(res.SessionID)}, nil
	}
	return s.runResult(res.Run, err)
}

func on(b *bool) bool { return b != nil && *b }

// createStaged creates the session without running it, so that its id is
// known before its first turn: it joins the hub when it has a comms name
// (so its first turn has the comms tools) and is marked for the schedule
// tools with enable_schedule. Then it runs the first turn, which takes its
// prompt and first-turn instructions from the session's stash as Create's
// own first turn does: before answering, or with keep_alive in the
// background while it answers at once with an empty result (the events
// still flow as notifications).
func (s *Server) createStaged(ctx context.Context, c *connState, svc *session.Service, req session.CreateRequest,
	tools []wire.ToolSpec, name string, meta wire.PeerMeta, keepAlive, enableSchedule bool) (any, error) {
	deferred := req.Deferred
	if !deferred && len(req.Prompt) == 0 {
		return nil, fmt.Errorf("%w: prompt is required", session.ErrInvalid) // as Create refuses it, before storing
	}
	turn := session.TurnRequest{Notices: req.Notices}
	req.Deferred = true
	res, err := svc.Create(ctx, req)
	if err != nil {
		return nil, err
	}
	s.setExternalTools(res.SessionID, tools)
	if enableSchedule && s.cfg.Schedules != nil {
		s.mu.Lock()
		s.scheduleSessions[res.SessionID] = true
		s.mu.Unlock()
	}
	if name != "" {
		if _, err := s.joinComms(ctx, c, svc, res.SessionID, comms.Member{Name: name, Description: meta.Description, Labels: meta.Labels}); err != nil {
			return nil, err
		}
	}
	if deferred {
		return wire.DeferredResult{SessionID: res.SessionID, SessionRef: s.ref(res.SessionID)}, nil
	}
	turn.SessionID = res.SessionID
	run := c.newRun(s, tools)
	turn.Tools, turn.OnEvent = run.tools, run.onEvent
	turn.Tools = append(turn.Tools, s.sessionScheduleTools(res.SessionID)...)
	if !keepAlive {
		r, err := s.turn(ctx, c, svc, turn)
		return s.runResult(&r, err)
	}
	c.bg.Add(1)
	go func() {
		defer c.bg.Done()
		if _, err := s.turn(c.ctx, c, svc, turn); err != nil {
			s.cfg.Logger.Info("keep_alive first turn failed", "session_id", res.SessionID, "err", err)
		}
	}()
	return wire.RunResult{SessionID: res.SessionID, SessionRef: s.ref(res.SessionID)}, nil
}

func (s *Server) turnStart(ctx context.Context, c *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.TurnParams](params)
	if err != nil {
		return nil, err
	}
	switch {
	case p.MaxTokens != nil:
		return nil, invalidParams("max_tokens is only accepted by session/create")
	case p.OutputSchema != nil:
		return nil, invalidParams("output_schema is only accepted by session/create")
	case p.StructuredOutputRetries != nil:
		return nil, invalidParams("structured_output_retries is only accepted by session/create")
	case p.Prompt == nil:
		return nil, invalidParams("prompt is required")
	}
	sid, err := s.sessionID(p.SessionID)
	if err != nil {
		return nil, err
	}
	req := session.TurnRequest{SessionID: sid, Model: p.Model, Provider: p.Provider,
		SystemPrompt: p.SystemPrompt, AdditionalInstructions: p.AdditionalInstructions}
	if req.Prompt, err = wire.ParseContent(p.Prompt); err != nil {
		return nil, err
	}
	if req.InjectedContext, err = contents(p.InjectedContext); err != nil {
		return nil, err
	}
	if err := s.keepImages(ctx, append([][]llm.Block{req.Prompt}, req.InjectedContext...)...); err != nil {
		return nil, err
	}
	if err := checkProvider(p.Provider); err != nil {
		return nil, err
	}
	if p.TransientTurnContext != nil {
		req.AdditionalInstructions = append(req.AdditionalInstructions, *p.TransientTurnContext)
	}
	skills, err := s.resolveSkills(nil, p.SkillRefs)
	if err != nil {
		return nil, err
	}
	if skills.refs != "" {
		req.AdditionalInstructions = append(req.AdditionalInstructions, skills.refs)
	}
	req.Notices = skills.notices()
	if o := p.TurnToolOverlay; o != nil {
		req.ToolOverlay = &session.ToolOverlay{Allowed: o.AllowedTools, Blocked: o.BlockedTools}
	}
	if req.ProviderParams, err = providerParams(p.ProviderParams); err != nil {
		return nil, err
	}
	if _, err := triState(p.AuthBinding, "auth_binding"); err != nil {
		return nil, err
	}
	svc, _, err := s.service()
	if err != nil {
		return nil, err
	}
	if p.Provider != "" && p.Model == "" {
		info, err := svc.Read(ctx, sid)
		if err != nil {
			return nil, err
		}
		if info.Deferred != nil {
			return nil, invalidParams("provider without model is not allowed on the first turn of a deferred session")
		}
	}
	run := c.newRun(s, s.externalToolsOf(sid))
	req.Tools, req.OnEvent = append(run.tools, s.sessionScheduleTools(sid)...), run.onEvent
	res, err := s.turn(ctx, c, svc, req)
	return s.runResult(&res, err)
}

// runResult turns a run's outcome into WireRunResult or an error. A run whose
// structured output never validated still answers with its result and the
// extraction error, as the contract's WireRunResult allows.
func (s *Server) runResult(r *session.RunResult, err error) (any, error) {
	if err != nil && !(errors.Is(err, agent.ErrStructuredOutput) && r != nil && r.SessionID != "") {
		return nil, err
	}
	if r == nil {
		return nil, errors.New("run produced no result")
	}
	out := wire.RunResult{
		SessionID: r.SessionID, SessionRef: s.ref(r.SessionID), Text: r.Text, Turns: r.Turns,
		ToolCalls: r.ToolCalls, Usage: wire.UsageOf(r.Usage), StructuredOutput: r.StructuredOutput,
		SchemaWarnings: r.SchemaWarnings,
	}
	if e := r.ExtractionError; e != nil {
		out.ExtractionError = &wire.ExtractionError{LastOutput: e.LastOutput, Attempts: e.Attempts, Reason: e.Reason}
	}
	if r.TerminalCause != agent.CauseCancelled {
		out.TerminalCauseKind = string(r.TerminalCause)
	}
	return out, nil
}

func (s *Server) turnInterrupt(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	svc, sid, err := s.sessionCall(params)
	if err != nil {
		return nil, err
	}
	res, err := svc.Interrupt(ctx, sid)
	if err != nil {
		return nil, err
	}
	return wire.InterruptResult{SessionID: sid, Interrupted: res.Interrupted, Result: res.Result}, nil
}

func (s *Server) sessionList(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, offset, limit, err := listParams(params)
	if err != nil {
		return nil, err
	}
	svc, _, err := s.service()
	if err != nil {
		return nil, err
	}
	res, err := svc.List(ctx, session.ListRequest{Labels: p.Labels, Offset: offset, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := wire.ListResult{Sessions: make([]wire.SessionSummary, 0, len(res.Sessions))}
	for _, in := range res.Sessions {
		out.Sessions = append(out.Sessions, wire.SessionSummary{
			SessionID: in.ID, SessionRef: s.ref(in.ID), CreatedAt: in.Created.Unix(), UpdatedAt: in.Updated.Unix(),
			MessageCount: in.MessageCount, TotalTokens: in.Usage.Total(), IsActive: in.Running, Labels: in.Labels,
		})
	}
	return out, nil
}

func (s *Server) sessionRead(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	svc, sid, err := s.sessionCall(params)
	if err != nil {
		return nil, err
	}
	in, err := svc.Read(ctx, sid)
	if err != nil {
		return nil, err
	}
	if in.Archived {
		return nil, session.ErrArchived
	}
	return wire.SessionInfo{
		SessionID: in.ID, SessionRef: s.ref(in.ID), CreatedAt: in.Created.Unix(), UpdatedAt: in.Updated.Unix(),
		MessageCount: in.MessageCount, IsActive: in.Running, Model: orUnknown(in.Model),
		Provider: orUnknown(in.Provider), LastAssistantText: in.LastAssistantText, Labels: in.Labels,
		ResolvedCapabilities: s.resolvedCapabilities(in.Provider, in.Model),
	}, nil
}

// resolvedCapabilities reports the catalog's modalities of a model, or nil
// when the catalog does not list it (for that provider).
func (s *Server) resolvedCapabilities(provider, model string) *wire.ResolvedCapabilities {
	if s.cfg.Catalog == nil {
		return nil
	}
	m, err := s.cfg.Catalog.Lookup(model)
	if err != nil || m.Provider != provider {
		return nil
	}
	p := m.Profile
	return &wire.ResolvedCapabilities{Vision: p.Vision, ImageInput: p.ImageInput, ImageToolResults: p.ImageToolResults,
		InlineVideo: p.InlineVideo, Realtime: p.Realtime, WebSearch: p.WebSearch, ImageGeneration: p.ImageGeneration}
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func (s *Server) sessionHistory(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.HistoryParams](params)
	if err != nil {
		return nil, err
	}
	sid, err := s.sessionID(p.SessionID)
	if err != nil {
		return nil, err
	}
	offset, limit, err := page(p.Offset, p.Limit)
	if err != nil {
		return nil, err
	}
	svc, _, err := s.service()
	if err != nil {
		return nil, err
	}
	h, err := svc.History(ctx, sid, offset, limit)
	if err != nil {
		return nil, err
	}
	out := wire.History{SessionID: sid, SessionRef: s.ref(sid), MessageCount: h.MessageCount,
		Offset: h.Offset, Limit: p.Limit, HasMore: h.HasMore, Messages: make([]wire.HistoryRow, 0, len(h.Rows))}
	for _, r := range h.Rows {
		out.Messages = append(out.Messages, historyRow(r))
	}
	return out, nil
}

func (s *Server) sessionArchive(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	svc, sid, err := s.sessionCall(params)
	if err != nil {
		return nil, err
	}
	if err := svc.Archive(ctx, sid); err != nil {
		return nil, err
	}
	s.setExternalTools(sid, nil)
	if s.cfg.MCP != nil {
		s.cfg.MCP.Forget(sid)
	}
	return wire.ArchiveResult{Archived: true}, nil
}

func (s *Server) injectContext(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.InjectParams](params)
	if err != nil {
		return nil, err
	}
	sid, err := s.sessionID(p.SessionID)
	if err != nil {
		return nil, err
	}
	content, err := wire.ParseContent(p.Content)
	if err != nil {
		return nil, err
	}
	if len(content) == 0 {
		return nil, invalidParams("content is required")
	}
	if err := s.keepImages(ctx, content); err != nil {
		return nil, err
	}
	svc, _, err := s.service()
	if err != nil {
		return nil, err
	}
	res, err := svc.InjectContext(ctx, session.InjectRequest{SessionID: sid, Content: content,
		Source: p.Source, IdempotencyKey: p.IdempotencyKey})
	if err != nil {
		return nil, err
	}
	if res.Duplicate {
		return wire.InjectResult{Status: wire.InjectDuplicate}, nil
	}
	return wire.InjectResult{Status: wire.InjectApplied}, nil
}

func (s *Server) externalEvent(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.ExternalEventParams](params)
	if err != nil {
		return nil, err
	}
	sid, err := s.sessionID(p.SessionID)
	if err != nil {
		return nil, err
	}
	switch {
	case p.Kind != wire.ExternalKindGenericJSON:
		return nil, invalidParams("kind must be %q", wire.ExternalKindGenericJSON)
	case p.EventType == "":
		return nil, invalidParams("event_type is required")
	case p.Payload == nil:
		return nil, invalidParams("payload is required")
	}
	blocks, err := contents(p.Blocks)
	if err != nil {
		return nil, err
	}
	if err := s.keepImages(ctx, blocks...); err != nil {
		return nil, err
	}
	svc, _, err := s.service()
	if err != nil {
		return nil, err
	}
	res, err := svc.ExternalEvent(ctx, session.ExternalEventRequest{SessionID: sid, EventType: p.EventType,
		Payload: p.Payload, Blocks: concat(blocks)})
	if err != nil {
		return nil, err
	}
	return wire.AcceptResult{OutcomeType: "accepted", InputID: res.InputID}, nil
}

// sessionCall decodes {session_id} params and opens the service.
func (s *Server) sessionCall(params json.RawMessage) (*session.Service, string, error) {
	p, err := decode[wire.SessionIDParams](params)
	if err != nil {
		return nil, "", err
	}
	sid, err := s.sessionID(p.SessionID)
	if err != nil {
		return nil, "", err
	}
	svc, _, err := s.service()
	return svc, sid, err
}

// sessionID accepts a bare id or a "<realm>:<id>" ref of this realm.
func (s *Server) sessionID(v string) (string, error) {
	if v == "" {
		return "", invalidParams("session_id is required")
	}
	if i := strings.LastIndexByte(v, ':'); i >= 0 {
		if v[:i] != s.cfg.RealmID {
			return "", invalidParams("session ref %q belongs to another realm than %q", v, s.cfg.RealmID)
		}
		v = v[i+1:]
	}
	return v, nil
}

func (s *Server) ref(sid string) string {
	if sid == "" || s.cfg.RealmID == "" {
		return ""
	}
	return s.cfg.RealmID + ":" + sid
}

func (s *Server) setExternalTools(sid string, tools []wire.ToolSpec) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(tools) == 0 {
		delete(s.externalTools, sid)
		return
	}
	s.externalTools[sid] = tools
}

func (s *Server) externalToolsOf(sid string) []wire.ToolSpec {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.externalTools[sid]
}

// listParams decodes the params of a list method (session/list,
// schedule/list): at most maxLabelFilters labels, and the page.
func listParams(params json.RawMessage) (p wire.ListParams, offset, limit int, err error) {
	if p, err = decode[wire.ListParams](params); err != nil {
		return p, 0, 0, err
	}
	if len(p.Labels) > maxLabelFilters {
		return p, 0, 0, invalidParams("labels: %d filters exceed the limit of %d", len(p.Labels), maxLabelFilters)
	}
	offset, limit, err = page(p.Offset, p.Limit)
	return p, offset, limit, err
}

func page(offset, limit *int) (int, int, error) {
	o, l := 0, defaultPage
	if offset != nil {
		o = *offset
	}
	if limit != nil {
		l = *limit
	}
	if o < 0 || o > maxOffset {
		return 0, 0, invalidParams("offset must be between 0 and %d", maxOffset)
	}
	if l < 1 || l > maxPage {
		return 0, 0, invalidParams("limit must be between 1 and %d", maxPage)
	}
	return o, l, nil
}

// checkProvider accepts the contract's provider ids, plus "scripted", the
// offline test provider of this runtime.
func checkProvider(p string) error {
	switch p {
	case "", llm.ProviderAnthropic, llm.ProviderOpenAI, llm.ProviderGemini, llm.ProviderSelfHosted, scripted.Name:
		return nil
	}
	return invalidParams("unknown provider %q (expected anthropic, openai, gemini or self_hosted)", p)
}

// systemPrompt reads a string (even "" sets it) or {"action":"disable"}.
func systemPrompt(raw json.RawMessage) (*string, error) {
	if raw == nil {
		return nil, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return &s, nil
	}
	var a struct {
		Action string `json:"action"`
	}
	if json.Unmarshal(raw, &a) == nil && a.Action == "disable" {
		empty := ""
		return &empty, nil
	}
	return nil, invalidParams(`system_prompt must be a string or {"action":"disable"}`)
}

// outputSchema unwraps {"schema":{..},"name":..} and compiles the schema,
// which may not reference other documents; the session keeps the compiled
// form for its turns.
func outputSchema(raw json.RawMessage) (*agent.OutputSchema, error) {
	if raw == nil {
		return nil, nil
	}
	var wrapped struct {
		Schema json.RawMessage `json:"schema"`
		Name   string          `json:"name"`
		Strict *bool           `json:"strict"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if dec.Decode(&wrapped) == nil && len(wrapped.Schema) > 0 && wrapped.Schema[0] == '{' {
		raw = wrapped.Schema
	}
	o, err := agent.CompileOutputSchema(raw)
	if err != nil {
		return nil, invalidParams("output_schema: %v", err)
	}
	return o, nil
}

func budget(b *wire.BudgetLimits) (session.Budget, error) {
	var out session.Budget
	if b == nil {
		return out, nil
	}
	if b.MaxTokens != nil {
		if *b.MaxTokens < 0 {
			return out, invalidParams("budget_limits.max_tokens must not be negative")
		}
		out.MaxTokens = *b.MaxTokens
	}
	if b.MaxToolCalls != nil {
		if *b.MaxToolCalls < 0 {
			return out, invalidParams("budget_limits.max_tool_calls must not be negative")
		}
		out.MaxToolCalls = *b.MaxToolCalls
	}
	if d := b.MaxDuration; d != nil {
		if d.Secs < 0 || d.Nanos < 0 || d.Nanos >= 1e9 {
			return out, invalidParams("budget_limits.max_duration must be {secs>=0, 0<=nanos<1e9}")
		}
		out.MaxDuration = time.Duration(d.Secs)*time.Second + time.Duration(d.Nanos)
	}
	return out, nil
}

func contents(raws []json.RawMessage) ([][]llm.Block, error) {
	var out [][]llm.Block
	for _, r := range raws {
		b, err := wire.ParseContent(r)
		if err != nil {
			return nil, err
		}
		if len(b) > 0 {
			out = append(out, b)
		}
	}
	return out, nil
}

func concat(bs [][]llm.Block) []llm.Block {
	var out []llm.Block
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}

// triState reads a turn override: absent (nil, nil) inherits, a bare value or
// {"action":"set","value":X} sets X, {"action":"clear"} yields "{}".
func triState(raw json.RawMessage, field string) (json.RawMessage, error) {
	if raw == nil {
		return nil, nil
	}
	var a struct {
		Action string          `json:"action"`
		Value  json.RawMessage `json:"value"`
	}
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) && json.Unmarshal(raw, &a) == nil && a.Action != "" {
		switch a.Action {
		case "set":
			if a.Value == nil {
				return nil, invalidParams("%s: action set needs a value", field)
			}
			return a.Value, nil
		case "clear":
			return json.RawMessage("{}"), nil
		default:
			return nil, invalidParams("%s: unknown action %q", field, a.Action)
		}
	}
	return raw, nil
}

func providerParams(raw json.RawMessage) (map[string]json.RawMessage, error) {
	v, err := triState(raw, "provider_params")
	if err != nil || v == nil {
		return nil, err
	}
	out := map[string]json.RawMessage{}
	if err := json.Unmarshal(v, &out); err != nil {
		return nil, invalidParams("provider_params must be an object")
	}
	return out, nil
}

// toolDef builds a tool definition from a declared callback tool.
func toolDef(t wire.ToolSpec) llm.ToolDef {
	schema := t.InputSchema
	if len(bytes.TrimSpace(schema)) == 0 || bytes.Equal(bytes.TrimSpace(schema), []byte("null")) {
		schema = json.RawMessage(`{"type":"object"}`)
	}
	return llm.ToolDef{Name: t.Name, Description: t.Description, InputSchema: schema}
}

func checkToolSpecs(specs []wire.ToolSpec) error {
	seen := map[string]bool{}
	for i, t := range specs {
		if t.Name == "" {
			return invalidParams("tool %d: name is required", i)
		}
		if seen[t.Name] {
			return invalidParams("tool %q declared twice", t.Name)
		}
		seen[t.Name] = true
		if s := bytes.TrimSpace(t.InputSchema); len(s) > 0 && s[0] != '{' && !bytes.Equal(s, []byte("null")) {
			return invalidParams("tool %q: input_schema must be an object", t.Name)
		}
	}
	return nil
}
