package session

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/rkat-dev/rkat/agent"
	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/hook"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/tool"
	"github.com/rkat-dev/rkat/tool/builtin"
)

// Sentinel errors of the service; match with errors.Is.
var (
	// ErrNotFound: no session with that id in this realm.
	ErrNotFound = errors.New("session: not found")
	// ErrArchived: the session is archived and takes no more turns or inputs.
	ErrArchived = errors.New("session: archived")
	// ErrBusy: a turn is already running on the session.
	ErrBusy = errors.New("session: busy")
	// ErrInvalid: the request is malformed (empty prompt, bad paging, ...).
	ErrInvalid = errors.New("session: invalid request")
	// ErrInterrupted: the turn was interrupted (also matches context.Canceled).
	ErrInterrupted = errors.New("session: turn interrupted")
	// ErrPendingFull: too many inputs are waiting for the running turn to end.
	ErrPendingFull = errors.New("session: too many pending inputs")
	// ErrClosed: the service was closed.
	ErrClosed = errors.New("session: service closed")
)

// Config configures a Service.
type Config struct {
	// Store holds the realm's sessions. Required. The Service does not close it.
	Store store.Store
	// Resolver chooses provider and model. Without one the service is
	// read-only: Create and Turn fail with ErrInvalid.
	Resolver llm.Resolver
	// Tools is the shared tool registry, snapshotted at every turn; may be nil.
	Tools *tool.Registry
	// Builtins provides the builtin tools sessions enable (EnableBuiltins,
	// EnableShell); nil means none can be enabled. The Service ends a
	// session's background jobs when it is archived; the caller closes it.
	Builtins *builtin.Toolbox
	// DefaultBuiltins and DefaultShell apply to sessions created without
	// EnableBuiltins or EnableShell.
	DefaultBuiltins, DefaultShell bool
	// MaxParallelTools bounds the concurrent tool calls of one model
	// response (zero: agent default).
	MaxParallelTools int
	// ToolSource, when set, adds each session's own tools (MCP servers) at
	// every turn boundary; may be nil.
	ToolSource ToolSource
	// Realm is the realm name recorded on new sessions.
	Realm string
	// DefaultSystemPrompt applies to sessions created without one.
	DefaultSystemPrompt string
	// ToolTimeout bounds each tool call (zero: agent default).
	ToolTimeout time.Duration
	// Retry is the retry policy of every run (zero: agent defaults).
	Retry agent.RetryPolicy
	// MaxPending bounds the inputs (inject_context, external events) held
	// per session while a turn runs; zero means 64.
	MaxPending int
	// Logger receives warnings (a model the catalog does not list); nil
	// discards them.
	Logger *slog.Logger
	// LeaseOwner names this service in the store leases its turns take
	// (one turn per session across every process on the store); empty
	// means a random id.
	LeaseOwner string
	// LeaseTTL is how long a turn's lease lasts unrenewed, so how long a
	// session stays busy after its owner crashed; zero means 10 s.
	LeaseTTL time.Duration
	// CompactionThreshold is the share of the model's context window past
	// which the history is compacted (zero: DefaultCompactionThreshold;
	// negative disables compaction, also on context-length errors).
	CompactionThreshold float64
	// ContextWindow overrides the catalog's context window of every model
	// (tokens; zero uses the catalog, where an unknown model never compacts
	// early).
	ContextWindow int
	// Hooks are the configured hook layers (hook.LoadFiles); every turn
	// runs them merged with the session's own overrides.
	Hooks [][]hook.Entry
	// HooksError, when set, is a broken hooks configuration: turns fail
	// with it rather than run without their guardrails.
	HooksError error
}

// ToolSource supplies the tools of one session at a turn boundary.
type ToolSource interface {
	// TurnTools returns the tools of session id for its turn number turn
	// (1-based) and events reporting the tool changes applied at this
	// boundary, emitted right after the run's run_started. It must not fail
	// the turn: what cannot be provided is reported in the events. ctx ends
	// when the turn is interrupted. Returning the same set while the tools
	// are unchanged lets their compiled schemas be reused.
	TurnTools(ctx context.Context, id string, turn int) (*tool.Set, []event.Event)
}

// Envelope is one event of a session as delivered to callers and
// subscribers.
type Envelope struct {
	EventID     string // UUIDv7, canonical lowercase
	SessionID   string
	Seq         uint64 // increasing per session
	TimestampMS int64  // unix milliseconds
	Event       event.Event
}

// Budget limits a run; zero fields are unlimited.
type Budget = agent.Budget

// ToolOverlay narrows the tools of one turn: Allowed nil means all.
type ToolOverlay struct {
	Allowed []string
	Blocked []string
}

// CreateRequest creates a session.
type CreateRequest struct {
	// Prompt is the first user input. Required unless Deferred.
	Prompt []llm.Block
	// Deferred stores the session and its prompt without running anything;
	// the first Turn runs it.
	Deferred bool
	Model    string // empty: the provider's (or the catalog's) default
	Provider string // empty: whichever provider serves Model
	// SystemPrompt replaces Config.DefaultSystemPrompt when non-nil (an empty
	// string disables it).
	SystemPrompt *string
	// AdditionalInstructions are appended to the system prompt of every turn.
	AdditionalInstructions []string
	// FirstTurnInstructions are appended to the system prompt of the first
	// turn only (the contract's transient_turn_context).
	FirstTurnInstructions []string
	MaxTokens             int
	// OutputSchema, when set, ends every run with structured output. Its
	// raw form is persisted with the session; the compiled one is kept for
	// the session's turns in this process.
	OutputSchema *agent.OutputSchema
	// StructuredOutputRetries: nil means the agent default.
	StructuredOutputRetries *int
	Budget                  Budget
	ProviderParams          map[string]json.RawMessage
	Labels                  map[string]string
	// InjectedContext adds one injected-context user row each, before the prompt.
	InjectedContext [][]llm.Block
	// Hooks are the session's hooks_override, kept for all its turns.
	Hooks *hook.Overrides
	// Notices are events reported right after the first run's run_started
	// (e.g. skills_resolved); a deferred session drops them.
	Notices []event.Event
	// Tools are extra tools for the first turn (not remembered).
	Tools []tool.Tool
	// EnableBuiltins and EnableShell turn the builtin tool families on or
	// off for the session's life (nil: the Config default). They are
	// persisted with the session.
	EnableBuiltins, EnableShell *bool
	// ShellEnv is added to the environment of the session's shell commands.
	ShellEnv map[string]string
	// OnEvent receives the events of the first run synchronously, in order.
	OnEvent func(Envelope)
}

// CreateResult is the outcome of Create. SessionID is set whenever the
// session was stored, even when its first run failed. Run is nil for a
// deferred session.
type CreateResult struct {
	SessionID string
	Run       *RunResult
}

// TurnRequest runs one turn on an existing session. Zero-valued overrides
// inherit the session's settings.
type TurnRequest struct {
	SessionID string
	Prompt    []llm.Block
	// Model/Provider hot-swap the session's model from this turn on.
	Model    string
	Provider string
	// SystemPrompt, when non-nil, becomes the session's system prompt from
	// this turn on, recorded as a system row at this boundary.
	SystemPrompt *string
	// AdditionalInstructions apply to this turn only.
	AdditionalInstructions []string
	// InjectedContext adds one injected-context user row each, before the prompt.
	InjectedContext [][]llm.Block
	ToolOverlay     *ToolOverlay
	// Notices are events reported right after the run's run_started.
	Notices []event.Event
	// Tools are extra tools for this turn only (same name replaces).
	Tools []tool.Tool
	// One-turn overrides (nil/zero inherit).
	MaxTokens               int
	OutputSchema            *agent.OutputSchema
	StructuredOutputRetries *int
	Budget                  *Budget
	ProviderParams          map[string]json.RawMessage
	// Steer, when set, is asked after every tool batch of the turn for
	// input to add before the next model call (see agent.Config.Steer).
	Steer func() []llm.Block
	// IdempotencyKey, when set, is recorded with the turn's commit (at
	// most once per session; see store.Commit.Keys), so a caller that may
	// retry after a crash can tell a committed turn with HasKey.
	IdempotencyKey string
	// OnEvent receives the run's events synchronously, in order, before
	// Turn returns. It runs on the turn's goroutine with no lock held and
	// slows the turn while it blocks.
	OnEvent func(Envelope)
}

// RunResult is the outcome of one run (the wire's WireRunResult fields).
type RunResult struct {
	SessionID        string
	Text             string
	Turns            int
	ToolCalls        int
	Usage            llm.Usage
	StopReason       llm.StopReason
	StructuredOutput json.RawMessage
	SchemaWarnings   []event.SchemaWarning
	ExtractionError  *agent.ExtractionError
	// TerminalCause is "" on success, else the agent's cause.
	TerminalCause agent.TerminalCause
}

// Interrupt outcomes.
const (
	InterruptInterrupted = "interrupted"
	InterruptStagedNoop  = "staged_noop"
)

// InterruptResult is the outcome of Interrupt.
type InterruptResult struct {
	SessionID   string
	Interrupted bool
	Result      string // InterruptInterrupted or InterruptStagedNoop
}

// Info describes a session: its stored metadata and whether a turn runs now.
type Info struct {
	store.Session
	Running bool
}

// ListRequest selects sessions; Limit zero means 100.
type ListRequest struct {
	Labels          map[string]string
	IncludeArchived bool
	Offset          int
	Limit           int
}

// ListResult is one page of sessions, newest first.
type ListResult struct {
	Sessions []Info
	Total    int
}

// HistoryPage is a page of committed history rows, oldest first.
type HistoryPage struct {
	SessionID    string
	MessageCount int // all committed rows
	Offset       int
	Limit        int
	HasMore      bool
	Rows         []store.Row
}

// InjectRequest adds context for the next turn.
type InjectRequest struct {
	SessionID      string
	Content        []llm.Block
	Source         string
	IdempotencyKey string
}

// InjectResult reports whether the context was applied or a duplicate.
type InjectResult struct {
	Duplicate bool
}

// ExternalEventRequest records an event from outside for the next turn.
type ExternalEventRequest struct {
	SessionID string
	EventType string
	Payload   json.RawMessage
	Blocks    []llm.Block
	// IdempotencyKey, when set, records the event at most once; it is
	// then also the input's id.
	IdempotencyKey string
}

// AcceptResult reports an accepted external input.
type AcceptResult struct {
	InputID string
	// Duplicate: the idempotency key was recorded before; nothing was added.
	Duplicate bool
}
