package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/rkat-dev/rkat/agent"
	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/tool/builtin"
)

// sourceSystemPrompt marks a system row that replaced the system prompt.
const sourceSystemPrompt = "system_prompt"

// Turn runs one turn on a session. It fails with ErrBusy at once when a turn
// is already running there.
func (s *Service) Turn(ctx context.Context, req TurnRequest) (_ RunResult, err error) {
	id := req.SessionID
	if id == "" {
		return RunResult{}, fmt.Errorf("%w: empty session id", ErrInvalid)
	}
	e, runCtx, lease, err := s.beginLeased(ctx, id)
	if err != nil {
		return RunResult{SessionID: id}, err
	}
	var commit store.Commit
	defer func() {
		if cerr := s.finish(ctx, id, e, commit, lease); cerr != nil && err == nil {
			err = cerr
		}
	}()

	e.io.Lock()
	plan, err := s.prepare(ctx, e, req, lease.token())
	e.io.Unlock()
	if err != nil {
		return RunResult{SessionID: id}, err
	}

	notices := append(s.addSourceTools(runCtx, plan, req), req.Notices...)
	seq := e.seq
	emit := func(ev event.Event) {
		seq++
		s.emit(e, id, seq, ev, req.OnEvent)
		// Tool changes applied at this boundary are reported right after
		// the run opens.
		if ev.Type() == event.TypeRunStarted {
			for _, n := range notices {
				seq++
				s.emit(e, id, seq, n, req.OnEvent)
			}
			notices = nil
		}
	}
	plan.cfg.Emit = emit
	runCtx = builtin.WithSession(runCtx, builtin.Session{ID: id, Env: plan.shellEnv})
	res, runErr := agent.Run(runCtx, plan.cfg, plan.history, plan.input)
	commit = plan.commit(res, seq)
	if req.IdempotencyKey != "" {
		commit.Keys = []string{req.IdempotencyKey}
	}

	out := RunResult{
		SessionID: id, Text: res.Text, Turns: res.Turns, ToolCalls: res.ToolCalls, Usage: res.Usage,
		StopReason: res.StopReason, StructuredOutput: res.StructuredOutput, SchemaWarnings: res.SchemaWarnings,
		ExtractionError: res.ExtractionError, TerminalCause: res.TerminalCause,
	}
	if runErr != nil && errors.Is(runErr, context.Canceled) {
		runErr = fmt.Errorf("%w: %w", ErrInterrupted, runErr)
	}
	return out, runErr
}

// begin marks the session running and returns its entry and the turn's
// cancellable context.
func (s *Service) begin(ctx context.Context, id string) (*entry, context.Context, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, nil, ErrClosed
	}
	e := s.live[id]
	if e == nil {
		e = &entry{}
		s.live[id] = e
	}
	if e.running {
		return nil, nil, fmt.Errorf("%w: %s", ErrBusy, id)
	}
	runCtx, cancel := context.WithCancel(ctx)
	e.running, e.cancel = true, cancel
	s.turns.Add(1)
	return e, runCtx, nil
}

// beginLeased is begin followed by claiming the session's store lease, so
// that no other process runs a turn there meanwhile.
func (s *Service) beginLeased(ctx context.Context, id string) (*entry, context.Context, *turnLease, error) {
	e, runCtx, err := s.begin(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	lease, err := s.claimLease(ctx, e, id)
	if err != nil {
		s.finish(ctx, id, e, store.Commit{}, nil)
		return nil, nil, nil, err
	}
	return e, runCtx, lease, nil
}

// cancelTurn interrupts the turn running on e, if any.
func (s *Service) cancelTurn(e *entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.cancel != nil {
		e.cancel()
	}
}

// finish commits the turn's rows followed by the inputs that arrived while
// it ran, fenced by the turn's lease, releases the lease and marks the
// session idle. It returns the first commit error.
func (s *Service) finish(ctx context.Context, id string, e *entry, c store.Commit, lease *turnLease) error {
	ctx = context.WithoutCancel(ctx)
	c.SessionID = id
	var firstErr error
	for {
		s.mu.Lock()
		batch := e.pending
		e.pending = nil
		e.seq = max(e.seq, c.Update.LastSeq)
		idle := len(batch) == 0 && c.Rows == nil && c.Update.Touch.IsZero()
		if idle && lease != nil {
			// Inputs arriving during the release are still held, and
			// committed unfenced by the next round.
			s.mu.Unlock()
			if err := lease.end(ctx); err != nil && firstErr == nil {
				firstErr = err
			}
			lease = nil
			continue
		}
		if idle {
			e.running = false
			e.cancel()
			e.cancel = nil
			if e.archived {
				e.archived = false
				e.closeSubs()
			}
			s.dropIfIdleLocked(id, e)
			s.mu.Unlock()
			s.turns.Done()
			return firstErr
		}
		s.mu.Unlock()
		c.Fence = lease.token()
		if err := s.commitWithInputs(ctx, c, batch); err != nil && firstErr == nil {
			firstErr = err
		}
		s.mu.Lock()
		for _, row := range batch {
			delete(e.pendingKeys, row.IdempotencyKey)
		}
		s.mu.Unlock()
		c = store.Commit{SessionID: id}
	}
}

// commitWithInputs commits c plus the pending inputs. A pending key that
// reached the store meanwhile is dropped rather than failing the batch.
func (s *Service) commitWithInputs(ctx context.Context, c store.Commit, batch []store.Row) error {
	base, turnKeys := len(c.Rows), len(c.Keys)
	for _, row := range batch {
		c.Rows = append(c.Rows, row)
		if row.IdempotencyKey != "" {
			c.Keys = append(c.Keys, row.IdempotencyKey)
		}
		c.Update.Touch = row.Created
	}
	_, err := s.cfg.Store.Commit(ctx, c)
	if errors.Is(err, store.ErrDuplicateKey) {
		c.Rows, c.Keys = c.Rows[:base], c.Keys[:turnKeys]
		for _, key := range c.Keys {
			// The turn's own key (TurnRequest.IdempotencyKey) was recorded
			// by another run of the same request: its rows are not
			// committed twice.
			if dup, herr := s.cfg.Store.HasKey(ctx, c.SessionID, key); herr == nil && dup {
				c.Rows, c.Keys = nil, nil
				break
			}
		}
		for _, row := range batch {
			if key := row.IdempotencyKey; key != "" {
				if dup, herr := s.cfg.Store.HasKey(ctx, c.SessionID, key); herr != nil || dup {
					continue
				}
				c.Keys = append(c.Keys, key)
			}
			c.Rows = append(c.Rows, row)
		}
		_, err = s.cfg.Store.Commit(ctx, c)
	}
	if errors.Is(err, store.ErrFenced) {
		err = fmt.Errorf("%w: %s: its lease lapsed and another process took the session over; nothing of this turn was committed: %w",
			ErrBusy, c.SessionID, err)
		if len(batch) > 0 {
			// The held inputs were accepted: they land unfenced, as on an
			// idle session.
			err = errors.Join(err, s.commitWithInputs(ctx, store.Commit{SessionID: c.SessionID}, batch))
		}
		return err
	}
	if err != nil {
		return fmt.Errorf("session: commit turn of %s: %w", c.SessionID, err)
	}
	return nil
}

// turnPlan is everything a prepared turn needs.
type turnPlan struct {
	cfg     agent.Config
	history []llm.Message
	input   []llm.Block
	// rows committed before the run's own messages: a system prompt change,
	// injected context, the user prompt.
	lead   []store.Row
	update store.Update
	runID  string // UUIDv7 shared by the rows of this turn
	// shellEnv is the session's shell_env, handed to the builtin tools.
	shellEnv map[string]string
	turn     int // 1-based number of this run on the session
}

// prepare loads the session and builds the run's configuration, transcript
// and input, fenced by the turn's lease token. It runs under e.io.
func (s *Service) prepare(ctx context.Context, e *entry, req TurnRequest, fence uint64) (*turnPlan, error) {
	sess, err := s.loadActive(ctx, req.SessionID)
	if err != nil {
		return nil, err
	}
	e.seq = max(e.seq, sess.LastSeq)
	set, err := settingsOf(sess)
	if err != nil {
		return nil, err
	}
	var st stash
	if sess.Deferred != nil {
		if err := json.Unmarshal(sess.Deferred, &st); err != nil {
			return nil, fmt.Errorf("session: stash of %s: %w", sess.ID, err)
		}
	}
	input := append(append([]llm.Block(nil), st.Prompt...), req.Prompt...)
	req.AdditionalInstructions = append(slices.Clip(st.Instructions), req.AdditionalInstructions...)
	if len(input) == 0 {
		return nil, fmt.Errorf("%w: prompt is required", ErrInvalid)
	}
	providerName, modelName := sess.Provider, sess.Model
	if req.Model != "" || req.Provider != "" {
		providerName, modelName = req.Provider, req.Model
	}
	provider, model, err := s.resolve(providerName, modelName)
	if err != nil {
		return nil, err
	}

	now := time.Now()
	p := &turnPlan{runID: newEventID(), turn: sess.Runs + 1, update: store.Update{AddRuns: 1, Touch: now, ClearDeferred: sess.Deferred != nil}}
	if model.ID != sess.Model || model.Provider != sess.Provider {
		p.update.Model, p.update.Provider = model.ID, model.Provider
	}
	if req.SystemPrompt != nil && *req.SystemPrompt != set.System {
		set.System = *req.SystemPrompt
		if p.update.Settings, err = json.Marshal(set); err != nil {
			return nil, fmt.Errorf("session: settings: %w", err)
		}
		p.lead = append(p.lead, store.Row{Role: store.RoleSystem, Content: []llm.Block{llm.Text(set.System)}, Source: sourceSystemPrompt, Created: now})
	}
	for _, blocks := range append(st.Injected, req.InjectedContext...) {
		if len(blocks) > 0 {
			p.lead = append(p.lead, store.Row{Role: store.RoleUser, Content: blocks, TranscriptRole: store.TranscriptInjected, Created: now})
		}
	}
	rows, err := s.history.rows(ctx, s.cfg.Store, sess.ID, sess.MessageCount)
	if err != nil {
		return nil, err
	}
	transcript, extraSystem := transcriptOf(append(view(rows), p.lead...))
	p.lead = append(p.lead, store.Row{Role: store.RoleUser, Content: input, Created: now})
	// A transcript ending in a user message is merged into the new input so
	// that user and assistant messages alternate.
	if n := len(transcript); n > 0 && transcript[n-1].Role == llm.RoleUser {
		input = append(append([]llm.Block(nil), transcript[n-1].Content...), input...)
		transcript = transcript[:n-1]
	}
	p.history, p.input = transcript, input
	p.cfg = s.agentConfig(sess.ID, set, req, provider, model.ID, extraSystem)
	if p.cfg.OutputSchema == nil && len(set.OutputSchema) > 0 {
		// A stored schema that does not compile (older versions stored
		// any JSON) fails the run, not the turn's preparation.
		if p.cfg.OutputSchema, err = s.schemas.get(sess.ID, set.OutputSchema); err != nil {
			p.cfg.OutputSchema = agent.InvalidOutputSchema(set.OutputSchema, err)
		}
	}
	if p.cfg.Hooks, err = s.hooks(set.Hooks); err != nil {
		return nil, err
	}
	if limit, ok := s.compactionLimit(model); ok {
		p.cfg.Compactor = &compactor{st: s.cfg.Store, id: sess.ID, runID: p.runID, fence: fence, provider: provider, model: model.ID,
			limit: limit, rows: rows, lead: p.lead[:len(p.lead)-1]}
	}
	p.shellEnv = set.ShellEnv
	return p, nil
}

// settingsOf decodes the session's stored settings.
func settingsOf(sess store.Session) (settings, error) {
	var set settings
	if len(sess.Settings) > 0 {
		if err := json.Unmarshal(sess.Settings, &set); err != nil {
			return settings{}, fmt.Errorf("session: settings of %s: %w", sess.ID, err)
		}
	}
	return set, nil
}

// systemText assembles the system prompt: the session's system prompt, the
// system rows of its transcript (extraSystem), its additional instructions
// and the turn's, skipping empty parts.
func systemText(set settings, extraSystem, additional []string) string {
	parts := make([]string, 0, 1+len(extraSystem)+len(set.Instructions)+len(additional))
	parts = append(append(append(append(parts, set.System), extraSystem...), set.Instructions...), additional...)
	return joinNonEmpty(parts)
}

// agentConfig merges session settings and turn overrides.
func (s *Service) agentConfig(id string, set settings, req TurnRequest, p llm.Provider, model string, extraSystem []string) agent.Config {
	system := systemText(set, extraSystem, req.AdditionalInstructions)
	cfg := agent.Config{
		SessionID: id, Provider: p, Model: model, System: system,
		MaxTokens: set.MaxTokens, ToolTimeout: s.cfg.ToolTimeout, MaxParallelTools: s.cfg.MaxParallelTools,
		Budget: set.Budget, Retry: s.cfg.Retry,
		OutputSchema: req.OutputSchema, ProviderParams: set.ProviderParams, Steer: req.Steer,
	}
	if set.StructuredOutputRetries != nil {
		cfg.StructuredOutputRetries = retriesValue(*set.StructuredOutputRetries)
	}
	if req.MaxTokens > 0 {
		cfg.MaxTokens = req.MaxTokens
	}
	if req.StructuredOutputRetries != nil {
		cfg.StructuredOutputRetries = retriesValue(*req.StructuredOutputRetries)
	}
	if req.Budget != nil {
		cfg.Budget = *req.Budget
	}
	if req.ProviderParams != nil {
		cfg.ProviderParams = req.ProviderParams
	}
	// Builtins first; registered and per-turn tools of the same name
	// replace them.
	if s.cfg.Builtins != nil {
		cfg.Tools = s.cfg.Builtins.Set(set.Builtins, set.Shell)
	}
	if s.cfg.Tools != nil {
		cfg.Tools = cfg.Tools.Merge(s.cfg.Tools.Snapshot())
	}
	if len(req.Tools) > 0 {
		cfg.Tools = cfg.Tools.With(req.Tools...)
	}
	if o := req.ToolOverlay; o != nil {
		cfg.Tools = cfg.Tools.Filter(o.Allowed, o.Blocked)
	}
	return cfg
}

// retriesValue maps the wire's retry count (0 = none) to agent.Config's
// convention (0 = default, negative = none).
func retriesValue(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}

func joinNonEmpty(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p)
	}
	return b.String()
}

// commit turns the run's result into the rows and update of the turn.
func (p *turnPlan) commit(res agent.Result, seq uint64) store.Commit {
	rows := p.lead
	now := time.Now()
	if len(res.Messages) > 1 {
		rows = append(rows, rowsOf(res.Messages[1:], res.StopReason, now)...)
	}
	for i := range rows {
		rows[i].RunID = p.runID
	}
	u := p.update
	u.AddUsage = res.Usage
	u.LastSeq = seq
	if res.Text != "" {
		text := res.Text
		u.LastAssistantText = &text
	}
	u.Touch = now
	return store.Commit{Rows: rows, Update: u}
}

// rowsOf converts run messages into history rows. The last assistant message
// carries the run's stop reason; earlier ones end in tool use or end_turn.
func rowsOf(msgs []llm.Message, final llm.StopReason, now time.Time) []store.Row {
	lastAssistant := -1
	for i, m := range msgs {
		if m.Role == llm.RoleAssistant {
			lastAssistant = i
		}
	}
	rows := make([]store.Row, 0, len(msgs))
	for i, m := range msgs {
		r := store.Row{Role: store.RoleUser, Content: m.Content, Created: now}
		switch {
		case m.Role == llm.RoleAssistant:
			r.Role = store.RoleAssistant
			switch {
			case len(m.ToolCalls()) > 0:
				r.StopReason = llm.StopToolUse
			case i == lastAssistant && final.Valid():
				r.StopReason = final
			default:
				r.StopReason = llm.StopEndTurn
			}
		case llm.OnlyToolResults(m.Content):
			r.Role = store.RoleToolResults
		}
		rows = append(rows, r)
	}
	return rows
}

// transcriptOf rebuilds the model transcript from history rows: system rows
// become extra system text (a system-prompt row replaces the earlier ones'
// role as base prompt and is not repeated), notices become user text, and
// consecutive messages of one role are merged.
func transcriptOf(rows []store.Row) ([]llm.Message, []string) {
	msgs := make([]llm.Message, 0, len(rows))
	var system []string
	// Messages share the rows' blocks (nobody modifies them); a merge
	// appends to a clipped slice, which always copies.
	add := func(role llm.Role, blocks []llm.Block) {
		if len(blocks) == 0 {
			return
		}
		if n := len(msgs); n > 0 && msgs[n-1].Role == role {
			msgs[n-1].Content = append(slices.Clip(msgs[n-1].Content), blocks...)
			return
		}
		msgs = append(msgs, llm.Message{Role: role, Content: blocks})
	}
	for _, r := range rows {
		switch r.Role {
		case store.RoleSystem:
			if r.Source != sourceSystemPrompt {
				for _, b := range r.Content {
					if b.Type == llm.BlockText && b.Text != "" {
						system = append(system, b.Text)
					}
				}
			}
		case store.RoleSystemNotice:
			add(llm.RoleUser, append([]llm.Block{llm.Text("[" + r.Kind + "] " + r.Body)}, r.Content...))
		case store.RoleAssistant:
			add(llm.RoleAssistant, r.Content)
		default:
			add(llm.RoleUser, r.Content)
		}
	}
	return msgs, system
}

// emit wraps ev in an envelope with sequence number seq and hands it to the
// caller and the subscribers.
func (s *Service) emit(e *entry, id string, seq uint64, ev event.Event, onEvent func(Envelope)) {
	env := Envelope{EventID: newEventID(), SessionID: id, Seq: seq, TimestampMS: time.Now().UnixMilli(), Event: ev}
	if onEvent != nil {
		onEvent(env)
	}
	e.publish(env)
	if s.relay != nil {
		s.relay.offer(env)
	}
}

// newEventID returns a UUIDv7 string (for event and run ids), or a random
// UUID if the clock-based generator fails.
func newEventID() string {
	if id, err := uuid.NewV7(); err == nil {
		return id.String()
	}
	return uuid.NewString()
}
