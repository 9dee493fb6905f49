package sdk

import (
	"context"
	"encoding/json"

	"github.com/rkat-dev/rkat/rpc/wire"
)

// CreateOptions are the optional settings of a new session.
type CreateOptions struct {
	// Content replaces the text prompt with content blocks (multimodal).
	Content      []wire.ContentBlock
	Model        string
	Provider     string
	SystemPrompt *string
	MaxTokens    *int
	// OutputSchema is a JSON Schema the run's structured output must match.
	OutputSchema            json.RawMessage
	StructuredOutputRetries *int
	Budget                  *wire.BudgetLimits
	Labels                  map[string]string
	AdditionalInstructions  []string
	ProviderParams          map[string]json.RawMessage
	// InjectedContext adds one context row each, before the prompt.
	InjectedContext []string
	// ExternalTools are callback tools of this session only.
	ExternalTools []Tool
	// KeepAlive answers at once while the first turn runs in the background.
	KeepAlive bool
	// HooksOverride is the session's hooks_override:
	// {"entries":[hook entries], "disable":[hook ids]}.
	HooksOverride json.RawMessage
}

// TurnOptions are the optional per-turn settings.
type TurnOptions struct {
	Content                []wire.ContentBlock
	Model                  string
	Provider               string
	SystemPrompt           *string
	AdditionalInstructions []string
	InjectedContext        []string
	ToolOverlay            *wire.ToolOverlay
	// ProviderParams replaces the session's provider params for this turn.
	ProviderParams map[string]json.RawMessage
	KeepAlive      *bool
}

func prompt(text string, content []wire.ContentBlock) json.RawMessage {
	if content != nil {
		b, _ := json.Marshal(content)
		return b
	}
	b, _ := json.Marshal(text)
	return b
}

func texts(ss []string) []json.RawMessage {
	var out []json.RawMessage
	for _, s := range ss {
		b, _ := json.Marshal(s)
		out = append(out, b)
	}
	return out
}

func (c *Client) createParams(text string, o *CreateOptions, initial string) (wire.CreateParams, error) {
	if o == nil {
		o = &CreateOptions{}
	}
	p := wire.CreateParams{
		Prompt: prompt(text, o.Content), InitialTurn: initial, Model: o.Model, Provider: o.Provider,
		MaxTokens: o.MaxTokens, StructuredOutputRetries: o.StructuredOutputRetries, OutputSchema: o.OutputSchema,
		KeepAlive: o.KeepAlive, BudgetLimits: o.Budget, ProviderParams: o.ProviderParams, Labels: o.Labels,
		AdditionalInstructions: o.AdditionalInstructions, InjectedContext: texts(o.InjectedContext),
		HooksOverride: o.HooksOverride,
	}
	if o.SystemPrompt != nil {
		p.SystemPrompt, _ = json.Marshal(*o.SystemPrompt)
	}
	for _, t := range o.ExternalTools {
		spec, err := t.spec()
		if err != nil {
			return p, err
		}
		p.ExternalTools = append(p.ExternalTools, spec)
	}
	c.addTools(o.ExternalTools)
	return p, nil
}

// Session is a session the client created or opened. Last holds the result
// of its latest run through this value.
type Session struct {
	c   *Client
	ID  string
	Ref string
	// Last is the result of the latest run made through this Session.
	Last *wire.RunResult
}

// Session returns a handle on an existing session id (or "realm:id" ref).
func (c *Client) Session(id string) *Session { return &Session{c: c, ID: id} }

// CreateSession creates a session and runs its first turn.
func (c *Client) CreateSession(ctx context.Context, text string, o *CreateOptions) (*Session, error) {
	p, err := c.createParams(text, o, "")
	if err != nil {
		return nil, err
	}
	c.createMu.RLock()
	defer c.createMu.RUnlock()
	var res wire.RunResult
	if err := c.call(ctx, wire.MethodSessionCreate, p, &res); err != nil {
		return nil, err
	}
	c.events.noteKnown(res.SessionID)
	return &Session{c: c, ID: res.SessionID, Ref: res.SessionRef, Last: &res}, nil
}

// CreateSessionStreaming creates a session and streams its first run.
// Streaming creates on one client run one at a time.
func (c *Client) CreateSessionStreaming(ctx context.Context, text string, o *CreateOptions) (*EventStream, error) {
	p, err := c.createParams(text, o, "")
	if err != nil {
		return nil, err
	}
	c.createMu.Lock()
	return c.startStream(ctx, "", wire.MethodSessionCreate, p, c.createMu.Unlock), nil
}

// DeferredSession is a session whose first turn has not run yet.
type DeferredSession struct {
	Session
}

// CreateDeferredSession reserves a session and stores its prompt; the first
// StartTurn runs it (its prompt follows the stored one).
func (c *Client) CreateDeferredSession(ctx context.Context, text string, o *CreateOptions) (*DeferredSession, error) {
	p, err := c.createParams(text, o, wire.InitialTurnDeferred)
	if err != nil {
		return nil, err
	}
	var res wire.DeferredResult
	if err := c.call(ctx, wire.MethodSessionCreate, p, &res); err != nil {
		return nil, err
	}
	c.events.noteKnown(res.SessionID)
	return &DeferredSession{Session{c: c, ID: res.SessionID, Ref: res.SessionRef}}, nil
}

// StartTurn runs the deferred session's first turn.
func (d *DeferredSession) StartTurn(ctx context.Context, text string, o *TurnOptions) (*wire.RunResult, error) {
	return d.Turn(ctx, text, o)
}

func (s *Session) turnParams(text string, o *TurnOptions) wire.TurnParams {
	if o == nil {
		o = &TurnOptions{}
	}
	p := wire.TurnParams{
		SessionID: s.ID, Prompt: prompt(text, o.Content), Model: o.Model, Provider: o.Provider,
		SystemPrompt: o.SystemPrompt, AdditionalInstructions: o.AdditionalInstructions,
		InjectedContext: texts(o.InjectedContext), TurnToolOverlay: o.ToolOverlay, KeepAlive: o.KeepAlive,
	}
	if o.ProviderParams != nil {
		p.ProviderParams, _ = json.Marshal(o.ProviderParams)
	}
	return p
}

// Turn runs one turn and returns its result.
func (s *Session) Turn(ctx context.Context, text string, o *TurnOptions) (*wire.RunResult, error) {
	s.c.events.noteKnown(s.ID)
	var res wire.RunResult
	if err := s.c.call(ctx, wire.MethodTurnStart, s.turnParams(text, o), &res); err != nil {
		return nil, err
	}
	s.Last = &res
	return &res, nil
}

// Stream runs one turn and streams its events.
func (s *Session) Stream(ctx context.Context, text string, o *TurnOptions) *EventStream {
	return s.c.startStream(ctx, s.ID, wire.MethodTurnStart, s.turnParams(text, o), nil)
}

// Interrupt stops the running turn (a no-op when idle).
func (s *Session) Interrupt(ctx context.Context) (wire.InterruptResult, error) {
	var out wire.InterruptResult
	return out, s.c.call(ctx, wire.MethodTurnInterrupt, wire.SessionIDParams{SessionID: s.ID}, &out)
}

// Archive archives the session; it takes no more turns.
func (s *Session) Archive(ctx context.Context) error {
	return s.c.call(ctx, wire.MethodSessionArchive, wire.SessionIDParams{SessionID: s.ID}, nil)
}

// History returns committed history rows from offset; limit 0 means the
// server's default page.
func (s *Session) History(ctx context.Context, offset, limit int) (wire.History, error) {
	return s.c.ReadSessionHistory(ctx, s.ID, offset, limit)
}

// InjectContext adds context for the next turn; it reports whether it was
// applied or a duplicate of an earlier idempotency key.
func (s *Session) InjectContext(ctx context.Context, text, source, idempotencyKey string) (string, error) {
	return s.c.InjectContext(ctx, s.ID, text, source, idempotencyKey)
}

// SendExternalEvent records an external event for the next turn.
func (s *Session) SendExternalEvent(ctx context.Context, eventType string, payload any) (wire.AcceptResult, error) {
	return s.c.SendExternalEvent(ctx, s.ID, eventType, payload)
}

// ListSessions lists sessions, newest first; labels filter, limit 0 means
// the server's default.
func (c *Client) ListSessions(ctx context.Context, labels map[string]string, offset, limit int) ([]wire.SessionSummary, error) {
	p := wire.ListParams{Labels: labels, Offset: &offset}
	if limit > 0 {
		p.Limit = &limit
	}
	var out wire.ListResult
	return out.Sessions, c.call(ctx, wire.MethodSessionList, p, &out)
}

// ReadSession returns a session's metadata.
func (c *Client) ReadSession(ctx context.Context, id string) (wire.SessionInfo, error) {
	var out wire.SessionInfo
	return out, c.call(ctx, wire.MethodSessionRead, wire.SessionIDParams{SessionID: id}, &out)
}

// ReadSessionHistory returns committed history rows of a session.
func (c *Client) ReadSessionHistory(ctx context.Context, id string, offset, limit int) (wire.History, error) {
	p := wire.HistoryParams{SessionID: id, Offset: &offset}
	if limit > 0 {
		p.Limit = &limit
	}
	var out wire.History
	return out, c.call(ctx, wire.MethodSessionHistory, p, &out)
}

// InjectContext adds context to a session for its next turn and returns
// "applied" or "duplicate".
func (c *Client) InjectContext(ctx context.Context, id, text, source, idempotencyKey string) (string, error) {
	content, _ := json.Marshal(wire.ContentBlock{Type: "text", Text: text})
	var out wire.InjectResult
	err := c.call(ctx, wire.MethodInjectContext, wire.InjectParams{SessionID: id, Content: content,
		Source: source, IdempotencyKey: idempotencyKey}, &out)
	return out.Status, err
}

// SendExternalEvent records a generic_json external event for a session.
func (c *Client) SendExternalEvent(ctx context.Context, id, eventType string, payload any) (wire.AcceptResult, error) {
	raw, err := rawJSON(payload)
	if err != nil {
		return wire.AcceptResult{}, err
	}
	if raw == nil {
		raw = json.RawMessage("null")
	}
	var out wire.AcceptResult
	return out, c.call(ctx, wire.MethodExternalEvent, wire.ExternalEventParams{SessionID: id,
		Kind: wire.ExternalKindGenericJSON, EventType: eventType, Payload: raw}, &out)
}

// InputState reads one input of the session by its id (SendExternalEvent's
// InputID) or idempotency key (InjectContext's); nil when none matches.
func (s *Session) InputState(ctx context.Context, sel wire.InputSelector) (*wire.InputState, error) {
	var out wire.InputStatusResult
	err := s.c.call(ctx, wire.MethodInputStatus, wire.InputStatusParams{SessionID: s.ID, Selector: sel}, &out)
	return out.State, err
}
