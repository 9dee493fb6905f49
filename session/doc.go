// Package session is the session service of the agent runtime: it creates
// sessions, runs their turns through package agent, keeps their committed
// history in a store.Store and delivers the events of every run.
//
// # API
//
//	svc, err := session.New(ctx, session.Config{Store: st, Resolver: r, Tools: reg, Realm: "default"})
//	defer svc.Close()
//
//	svc.Create(ctx, CreateRequest) (CreateResult, error)      // run now, or Deferred: identity only
//	svc.Turn(ctx, TurnRequest) (RunResult, error)              // one turn; ErrBusy at once if one runs
//	svc.Interrupt(ctx, id) (InterruptResult, error)            // cancels the running turn; idle => no-op
//	svc.Read(ctx, id) (Info, error)
//	svc.List(ctx, ListRequest) (ListResult, error)
//	svc.History(ctx, id, offset, limit) (HistoryPage, error)  // committed rows only
//	svc.Archive(ctx, id) error
//	svc.InjectContext(ctx, InjectRequest) (InjectResult, error)
//	svc.ExternalEvent(ctx, ExternalEventRequest) (AcceptResult, error)
//	svc.Subscribe(ctx, id, buffer) (*Subscription, error)     // bounded fan-out of Envelopes
//
// Errors are the sentinels of api.go (match with errors.Is): ErrNotFound,
// ErrArchived, ErrBusy, ErrInvalid, ErrInterrupted, ErrPendingFull,
// ErrClosed. A failed run also matches agent.ErrBudgetExhausted,
// agent.ErrStructuredOutput or wraps an *llm.Error / *agent.RunError,
// exactly as agent.Run returned it. A turn whose commit failed returns the
// store's error (e.g. store.ErrClosed).
//
// Session refs ("<realm>:<id>") are the caller's business: Config.Realm is
// recorded on each session (store.Session.Realm).
//
// # Semantics
//
// At most one turn runs per session at a time, across every process on the
// store: a turn first claims the session's store lease (lease.go; renewed by
// a goroutine of the turn, its token fencing the turn's commits), and a
// second Turn, here or in another process, returns ErrBusy immediately; it
// is never queued. A crashed owner's lease lapses after Config.LeaseTTL.
// When the store is a store.EventBus (Postgres), relay.go publishes every
// event to the other processes and hands theirs to local subscribers (two
// goroutines owned by the Service, a send queue bounded in events and bytes
// that drops when full; an event over store.MaxEventPayload less edgeRoom
// is cut with event.Fit). Interrupt cancels the running turn, which then
// returns an error matching ErrInterrupted (and context.Canceled); a turn
// running in another process (holding the session's lease) is asked over
// the relay, naming that lease, and Interrupt returns once that process
// answered (at most 5 s). Archive interrupts only a turn running here. When the session is
// idle Interrupt succeeds without effect, and on a deferred session that
// never ran it reports "staged_noop".
//
// History rows are committed atomically when a turn ends (successfully or
// not): first the rows of context injected for this turn (TurnRequest
// InjectedContext, a new system prompt), then the user prompt, then the
// assistant and tool_results rows the run produced. A crash mid-turn loses
// that turn only. InjectContext and ExternalEvent on an idle session commit
// their row at once; while a turn runs they are held (bounded) and committed
// right after that turn's rows, so they take effect from the next turn. A
// repeated inject_context idempotency key is reported as Duplicate and
// appends nothing.
//
// A deferred session (CreateRequest.Deferred) gets its identity and settings
// at once and runs nothing; its first Turn merges the stashed create prompt
// and injected context before the turn's own prompt, so the first user row
// holds both prompts.
//
// Events: every event of a run is wrapped in an Envelope (UUIDv7 event id,
// per-session increasing Seq, millisecond timestamp) and handed to the
// request's OnEvent synchronously, in order, before Turn/Create returns. The
// same envelopes are fanned out to Subscribe'd subscribers through bounded
// buffers: a subscriber that falls behind loses events and then receives a
// stream_truncated envelope; it never slows the turn. A subscriber gets the
// events after the session's last committed Seq at Subscribe, so the relay
// never hands it the late tail of a turn that ended before it attached.
//
// Memory: the Service keeps no history in memory. Per-session in-memory
// state exists only while a turn runs, a subscriber is attached or inputs
// are pending; idle sessions live in the store only.
//
// Per-turn settings: Model/Provider hot-swap (resolved through the
// llm.Resolver and persisted on the session), a system prompt (persisted as
// a system row at this boundary), additional instructions (this turn only),
// injected context rows, a tool overlay (allowed/blocked names) and extra
// tools for the turn (e.g. callback tools served by the RPC layer; the
// service does not remember them between turns). Config.ToolSource adds a
// session's own tools (its MCP servers) at every turn boundary; the changes
// it reports are emitted right after run_started. MaxTokens, OutputSchema,
// StructuredOutputRetries and Budget may be overridden for one turn; the RPC
// layer rejects those on turn/start as the contract says, the CLI uses them.
//
// Builtin tools: CreateRequest.EnableBuiltins and EnableShell (nil: the
// Config defaults) and ShellEnv are kept in the session's settings, so every
// later turn, also after a restart, gets the same families from
// Config.Builtins. A turn's tools are the builtins, then the registry's,
// then the turn's own, then the ToolSource's (a later one replaces an
// earlier one of the same name, except that a source tool never replaces
// one already there), narrowed by the overlay. The run's context carries
// the session (builtin.WithSession) for the task list, background jobs and
// shell_env; Archive ends the session's background jobs.
package session
