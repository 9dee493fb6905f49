package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/rkat-dev/rkat/hook"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/store"
)

const (
	defaultMaxPending = 64
	defaultListLimit  = 100
	defaultPageLimit  = 100
)

// Service runs sessions of one realm. It is safe for concurrent use.
type Service struct {
	cfg Config

	history historyCache // committed rows of recently used sessions
	schemas schemaCache  // compiled output schemas of recently used sessions

	mu     sync.Mutex
	live   map[string]*entry // sessions with a running turn, subscribers or pending inputs
	closed bool
	turns  sync.WaitGroup // running turns, awaited by Close
	relay  *relay         // nil unless the store is an EventBus

	// baseHooks is the hook engine of the configured hooks alone (cfg.Hooks
	// never changes and an Engine is immutable), for sessions without
	// overrides; baseHooksErr is the error building it returned.
	baseHooks    *hook.Engine
	baseHooksErr error
}

// entry is the in-memory state of a session that is in use. It is dropped
// again when the session goes idle.
type entry struct {
	// Guarded by Service.mu.
	refs        int // operations holding the entry
	running     bool
	lease       *turnLease // the running turn's store lease; nil until claimed
	archived    bool       // end the subscriptions when the running turn ends
	cancel      context.CancelFunc
	seq         uint64               // last event sequence number handed out
	pending     []store.Row          // input rows held while a turn runs
	pendingKeys map[string]time.Time // idempotency keys pending or being committed, with their arrival

	// io serialises a turn's history load against direct input commits, so
	// an input committed while idle is seen by the next turn.
	io sync.Mutex

	// subMu guards subs.
	subMu sync.Mutex
	subs  []*Subscription
}

// settings is the session-level configuration kept in store.Session.Settings.
type settings struct {
	System                  string                     `json:"system,omitempty"`
	Hooks                   *hook.Overrides            `json:"hooks,omitempty"`
	Instructions            []string                   `json:"additional_instructions,omitempty"`
	MaxTokens               int                        `json:"max_tokens,omitempty"`
	OutputSchema            json.RawMessage            `json:"output_schema,omitempty"`
	StructuredOutputRetries *int                       `json:"structured_output_retries,omitempty"`
	Budget                  Budget                     `json:"budget"`
	ProviderParams          map[string]json.RawMessage `json:"provider_params,omitempty"`
	Builtins                bool                       `json:"enable_builtins,omitempty"`
	Shell                   bool                       `json:"enable_shell,omitempty"`
	ShellEnv                map[string]string          `json:"shell_env,omitempty"`
}

// stash is the first-turn input of a deferred session.
type stash struct {
	Prompt   []llm.Block   `json:"prompt,omitempty"`
	Injected [][]llm.Block `json:"injected,omitempty"`
	// Instructions are the create request's FirstTurnInstructions.
	Instructions []string `json:"instructions,omitempty"`
}

// New returns a Service over cfg.Store.
func New(_ context.Context, cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, fmt.Errorf("%w: a Store is required", ErrInvalid)
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = defaultMaxPending
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.LeaseOwner == "" {
		cfg.LeaseOwner = uuid.NewString()
	}
	if cfg.LeaseTTL <= 0 {
		cfg.LeaseTTL = defaultLeaseTTL
	}
	s := &Service{cfg: cfg, live: map[string]*entry{}}
	s.baseHooks, s.baseHooksErr = hook.New(hook.Merge(cfg.Hooks, hook.Overrides{}), hook.Options{})
	if bus, ok := cfg.Store.(store.EventBus); ok {
		s.startRelay(bus)
	}
	return s, nil
}

// Close interrupts running turns, waits for them to commit, and ends every
// subscription. The store stays open.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	for _, e := range s.live {
		if e.cancel != nil {
			e.cancel()
		}
	}
	s.mu.Unlock()
	s.turns.Wait()
	if s.relay != nil {
		s.relay.stop()
	}
	s.mu.Lock()
	entries := make([]*entry, 0, len(s.live))
	for _, e := range s.live {
		entries = append(entries, e)
	}
	s.mu.Unlock()
	for _, e := range entries {
		e.closeSubs()
	}
	return nil
}

// acquire returns the live entry of id, creating it, with a reference the
// caller gives back with release.
func (s *Service) acquire(id string) (*entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	e := s.live[id]
	if e == nil {
		e = &entry{}
		s.live[id] = e
	}
	e.refs++
	return e, nil
}

// release gives back a reference and drops the entry once nothing uses it.
func (s *Service) release(id string, e *entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e.refs--
	s.dropIfIdleLocked(id, e)
}

func (s *Service) dropIfIdleLocked(id string, e *entry) {
	if e.refs == 0 && !e.running && len(e.pending) == 0 && !e.hasSubs() && s.live[id] == e {
		delete(s.live, id)
	}
}

// load reads a session, mapping store errors to the service's.
func (s *Service) load(ctx context.Context, id string) (store.Session, error) {
	if id == "" {
		return store.Session{}, fmt.Errorf("%w: empty session id", ErrInvalid)
	}
	sess, err := s.cfg.Store.Session(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return sess, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return sess, fmt.Errorf("session: load %s: %w", id, err)
	}
	return sess, nil
}

// loadActive is load that also refuses archived sessions.
func (s *Service) loadActive(ctx context.Context, id string) (store.Session, error) {
	sess, err := s.load(ctx, id)
	if err == nil && sess.Archived {
		err = fmt.Errorf("%w: %s", ErrArchived, id)
	}
	return sess, err
}

// Create stores a new session and, unless req.Deferred, runs its first turn.
func (s *Service) Create(ctx context.Context, req CreateRequest) (CreateResult, error) {
	if !req.Deferred && len(req.Prompt) == 0 {
		return CreateResult{}, fmt.Errorf("%w: prompt is required", ErrInvalid)
	}
	_, model, err := s.resolve(req.Provider, req.Model)
	if err != nil {
		return CreateResult{}, err
	}
	if _, err := s.hooks(req.Hooks); err != nil {
		return CreateResult{}, err
	}
	set := settings{
		Hooks:                   req.Hooks,
		System:                  s.cfg.DefaultSystemPrompt,
		Instructions:            req.AdditionalInstructions,
		MaxTokens:               req.MaxTokens,
		StructuredOutputRetries: req.StructuredOutputRetries,
		Budget:                  req.Budget,
		ProviderParams:          req.ProviderParams,
		Builtins:                orDefault(req.EnableBuiltins, s.cfg.DefaultBuiltins),
		Shell:                   orDefault(req.EnableShell, s.cfg.DefaultShell),
		ShellEnv:                req.ShellEnv,
	}
	if (set.Builtins || set.Shell) && s.cfg.Builtins == nil {
		return CreateResult{}, fmt.Errorf("%w: builtin tools are not available in this runtime", ErrInvalid)
	}
	if req.SystemPrompt != nil {
		set.System = *req.SystemPrompt
	}
	if req.OutputSchema != nil {
		set.OutputSchema = req.OutputSchema.Raw()
	}
	setJSON, err := json.Marshal(set)
	if err != nil {
		return CreateResult{}, fmt.Errorf("%w: settings: %w", ErrInvalid, err)
	}
	stJSON, err := json.Marshal(stash{Prompt: req.Prompt, Injected: req.InjectedContext, Instructions: req.FirstTurnInstructions})
	if err != nil {
		return CreateResult{}, fmt.Errorf("%w: prompt: %w", ErrInvalid, err)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return CreateResult{}, fmt.Errorf("session: id: %w", err)
	}
	now := time.Now()
	sess := store.Session{
		ID: id.String(), Realm: s.cfg.Realm, Model: model.ID, Provider: model.Provider,
		Labels: req.Labels, Created: now, Updated: now, Settings: setJSON, Deferred: stJSON,
	}
	if err := s.cfg.Store.CreateSession(ctx, sess); err != nil {
		return CreateResult{}, fmt.Errorf("session: create: %w", err)
	}
	if req.OutputSchema != nil {
		s.schemas.put(sess.ID, req.OutputSchema)
	}
	res := CreateResult{SessionID: sess.ID}
	if req.Deferred {
		return res, nil
	}
	// The first turn takes its prompt and instructions from the stash.
	run, err := s.Turn(ctx, TurnRequest{SessionID: sess.ID, Tools: req.Tools, OnEvent: req.OnEvent, Notices: req.Notices})
	res.Run = &run
	return res, err
}

// compactionLimit is the estimated history size, in tokens, past which a
// session on model is compacted (zero: only on context-length errors, the
// window being unknown); ok is false when compaction is disabled.
func (s *Service) compactionLimit(model llm.Model) (limit int64, ok bool) {
	window := model.ContextWindow
	if s.cfg.ContextWindow > 0 {
		window = s.cfg.ContextWindow
	}
	threshold := s.cfg.CompactionThreshold
	if threshold == 0 {
		threshold = DefaultCompactionThreshold
	}
	if threshold < 0 {
		return 0, false
	}
	return int64(float64(window) * threshold), true
}

// hooks builds the hook engine of a session with overrides o; nil when no
// hook applies. Configuration errors wrap ErrInvalid and hook.ErrConfig.
func (s *Service) hooks(o *hook.Overrides) (*hook.Engine, error) {
	if s.cfg.HooksError != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, s.cfg.HooksError)
	}
	var e *hook.Engine
	var err error
	if o == nil || len(o.Entries) == 0 && len(o.Disable) == 0 {
		e, err = s.baseHooks, s.baseHooksErr
	} else {
		e, err = hook.New(hook.Merge(s.cfg.Hooks, *o), hook.Options{})
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return e, nil
}

func orDefault(v *bool, def bool) bool {
	if v != nil {
		return *v
	}
	return def
}

// resolve maps provider/model through the resolver; failures are ErrInvalid.
func (s *Service) resolve(provider, model string) (llm.Provider, llm.Model, error) {
	if s.cfg.Resolver == nil {
		return nil, llm.Model{}, fmt.Errorf("%w: no model provider configured", ErrInvalid)
	}
	p, m, err := s.cfg.Resolver.Resolve(provider, model)
	if err != nil {
		return nil, llm.Model{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if m.Provider == "" {
		m.Provider = p.Name()
	}
	if m.ID == "" {
		m.ID = model
	}
	if m.Uncatalogued {
		s.cfg.Logger.Warn("model not in the catalog: sent to its provider as named, with no capabilities assumed",
			"model", m.ID, "provider", m.Provider)
	}
	return p, m, nil
}

// Interrupt cancels the session's running turn, here or, through the
// relay, in the process on the same store that holds the session's lease
// (a turn starting here meanwhile, which will find the session busy, is
// left to fail). On an idle session it succeeds without effect; on a deferred session that
// never ran it reports InterruptStagedNoop.
func (s *Service) Interrupt(ctx context.Context, id string) (InterruptResult, error) {
	res := InterruptResult{SessionID: id, Interrupted: true, Result: InterruptInterrupted}
	if s.interruptHere(id, holdsLease) {
		return res, nil
	}
	sess, err := s.load(ctx, id)
	if err != nil {
		return InterruptResult{}, err
	}
	if l := sess.Lease; s.relay != nil && sess.Leased(time.Now()) && l.Owner != s.cfg.LeaseOwner {
		if err := s.relay.interrupt(ctx, l.Owner, id, l.Token); err != nil && (ctx.Err() != nil || s.stillLeased(ctx, id, l.Owner)) {
			return InterruptResult{}, fmt.Errorf("session: interrupt %s running in process %s: %w", id, l.Owner, err)
		}
		return res, nil
	}
	// A turn starting here that has not claimed the lease yet; one that
	// will fail to, the lease being held elsewhere, is left alone above.
	if s.interruptHere(id, anyTurn) {
		return res, nil
	}
	if sess.Deferred != nil {
		res.Interrupted, res.Result = false, InterruptStagedNoop
	}
	return res, nil
}

// interruptHere cancels the turn running on session id in this process,
// if match accepts the token of its lease (0 before the turn claimed it),
// and reports whether there was one.
func (s *Service) interruptHere(id string, match func(token uint64) bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.live[id]; e != nil && e.running && match(e.lease.token()) {
		e.cancel()
		return true
	}
	return false
}

// anyTurn matches every turn in interruptHere; holdsLease those that have
// claimed their lease.
func anyTurn(uint64) bool      { return true }
func holdsLease(t uint64) bool { return t != 0 }

// stillLeased reports whether owner still holds an unexpired lease on
// session id (true when that cannot be read): an interrupt that got no
// answer failed only if the turn it was meant for may still run.
func (s *Service) stillLeased(ctx context.Context, id, owner string) bool {
	sess, err := s.cfg.Store.Session(ctx, id)
	return err != nil || (sess.Leased(time.Now()) && sess.Lease.Owner == owner)
}

// Read returns a session's metadata.
func (s *Service) Read(ctx context.Context, id string) (Info, error) {
	sess, err := s.load(ctx, id)
	if err != nil {
		return Info{}, err
	}
	return Info{Session: sess, Running: s.running(sess)}, nil
}

// running reports whether a turn runs on sess here or, holding its lease,
// in another process.
func (s *Service) running(sess store.Session) bool {
	s.mu.Lock()
	e := s.live[sess.ID]
	local := e != nil && e.running
	s.mu.Unlock()
	return local || sess.Leased(time.Now())
}

// List returns sessions matching req, newest first.
func (s *Service) List(ctx context.Context, req ListRequest) (ListResult, error) {
	if err := store.ValidatePage(req.Offset, req.Limit); err != nil {
		return ListResult{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if req.Limit == 0 {
		req.Limit = defaultListLimit
	}
	list, total, err := s.cfg.Store.ListSessions(ctx, store.ListQuery{
		Labels: req.Labels, IncludeArchived: req.IncludeArchived, Offset: req.Offset, Limit: req.Limit,
	})
	if err != nil {
		return ListResult{}, fmt.Errorf("session: list: %w", err)
	}
	out := ListResult{Sessions: make([]Info, len(list)), Total: total}
	for i, sess := range list {
		out.Sessions[i] = Info{Session: sess, Running: s.running(sess)}
	}
	return out, nil
}

// History returns committed history rows, oldest first; limit zero means 100.
func (s *Service) History(ctx context.Context, id string, offset, limit int) (HistoryPage, error) {
	if err := store.ValidatePage(offset, limit); err != nil {
		return HistoryPage{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if limit == 0 {
		limit = defaultPageLimit
	}
	if id == "" {
		return HistoryPage{}, fmt.Errorf("%w: empty session id", ErrInvalid)
	}
	rows, total, err := s.cfg.Store.Rows(ctx, id, offset, limit)
	if errors.Is(err, store.ErrNotFound) {
		return HistoryPage{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return HistoryPage{}, fmt.Errorf("session: history: %w", err)
	}
	return HistoryPage{
		SessionID: id, MessageCount: total, Offset: offset, Limit: limit,
		HasMore: offset+len(rows) < total, Rows: rows,
	}, nil
}

// Archive marks a session archived and interrupts its turn running in this
// process. A turn running in another process (on a shared store) is not
// interrupted: it runs to its end.
func (s *Service) Archive(ctx context.Context, id string) error {
	if _, err := s.load(ctx, id); err != nil {
		return err
	}
	s.interruptHere(id, anyTurn)
	_, err := s.cfg.Store.Commit(ctx, store.Commit{SessionID: id, Update: store.Update{Archive: true, Touch: time.Now()}})
	if err != nil {
		return fmt.Errorf("session: archive: %w", err)
	}
	if s.cfg.Builtins != nil {
		s.cfg.Builtins.EndSession(id)
	}
	// An archived session produces no more events: its subscriptions end,
	// after the interrupted turn's last events when one is still running.
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.live[id]; e != nil {
		if e.running {
			e.archived = true
		} else {
			e.closeSubs()
			s.dropIfIdleLocked(id, e)
		}
	}
	return nil
}

// InjectContext appends one system row for the next turn. A repeated
// idempotency key is reported as Duplicate and appends nothing.
func (s *Service) InjectContext(ctx context.Context, req InjectRequest) (InjectResult, error) {
	if len(req.Content) == 0 {
		return InjectResult{}, fmt.Errorf("%w: content is required", ErrInvalid)
	}
	row := store.Row{Role: store.RoleSystem, Content: req.Content, Source: req.Source, IdempotencyKey: req.IdempotencyKey}
	dup, err := s.addInput(ctx, req.SessionID, row)
	return InjectResult{Duplicate: dup}, err
}

// ExternalEvent records an event from outside as a system_notice row that
// the next turn sees.
func (s *Service) ExternalEvent(ctx context.Context, req ExternalEventRequest) (AcceptResult, error) {
	if req.EventType == "" {
		return AcceptResult{}, fmt.Errorf("%w: event_type is required", ErrInvalid)
	}
	body, err := json.Marshal(struct {
		EventType string          `json:"event_type"`
		Payload   json.RawMessage `json:"payload,omitempty"`
	}{req.EventType, req.Payload})
	if err != nil {
		return AcceptResult{}, fmt.Errorf("%w: payload: %w", ErrInvalid, err)
	}
	// The input id doubles as the row's idempotency key, so InputStatus
	// finds the input, pending or committed, by its id; a caller's key
	// takes its place, recording the event at most once.
	inputID := req.IdempotencyKey
	if inputID == "" {
		inputID = newEventID()
	}
	row := store.Row{Role: store.RoleSystemNotice, Kind: "external_event", Body: string(body), Content: req.Blocks,
		IdempotencyKey: inputID}
	dup, err := s.addInput(ctx, req.SessionID, row)
	if err != nil {
		return AcceptResult{}, err
	}
	return AcceptResult{InputID: inputID, Duplicate: dup}, nil
}

// addInput commits an input row at once when the session is idle, or holds
// it for the end of the running turn. It reports a duplicate idempotency
// key (row.IdempotencyKey).
func (s *Service) addInput(ctx context.Context, id string, row store.Row) (bool, error) {
	key := row.IdempotencyKey
	if _, err := s.loadActive(ctx, id); err != nil {
		return false, err
	}
	e, err := s.acquire(id)
	if err != nil {
		return false, err
	}
	defer s.release(id, e)
	e.io.Lock()
	defer e.io.Unlock()
	row.Created = time.Now()
	if key != "" {
		dup, err := s.cfg.Store.HasKey(ctx, id, key)
		if err != nil || dup {
			return dup, err
		}
	}

	s.mu.Lock()
	if _, pending := e.pendingKeys[key]; key != "" && pending {
		s.mu.Unlock()
		return true, nil
	}
	if e.running {
		if len(e.pending) >= s.cfg.MaxPending {
			s.mu.Unlock()
			return false, ErrPendingFull
		}
		if key != "" {
			e.addPendingKey(key, row.Created)
		}
		e.pending = append(e.pending, row)
		s.mu.Unlock()
		return false, nil
	}
	s.mu.Unlock()

	c := store.Commit{SessionID: id, Rows: []store.Row{row}, Update: store.Update{Touch: row.Created}}
	if key != "" {
		c.Keys = []string{key}
	}
	_, err = s.cfg.Store.Commit(ctx, c)
	if errors.Is(err, store.ErrDuplicateKey) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("session: commit input: %w", err)
	}
	return false, nil
}

func (e *entry) addPendingKey(key string, at time.Time) {
	if e.pendingKeys == nil {
		e.pendingKeys = map[string]time.Time{}
	}
	e.pendingKeys[key] = at
}
