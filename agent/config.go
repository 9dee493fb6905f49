// Package agent runs the turn loop of an agent: it streams a model call,
// emits typed events (package agent/event), runs the tools the model asked
// for as one parallel batch with per-call timeouts, appends their results and
// calls the model again until the model ends its turn. It applies retries
// with backoff, budgets, interruption through context cancellation and an
// optional structured-output extraction step. It knows nothing of sessions,
// storage or RPC.
package agent

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/hook"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
)

// Budget limits one run. A zero field means unlimited. Usage past a limit is
// reported as it happened: the limit is checked between steps, so the step
// that crosses it completes and its cost is counted.
type Budget struct {
	MaxTokens    int64         // input+output tokens over the run
	MaxDuration  time.Duration // wall time of the run
	MaxToolCalls int           // tool calls over the run
	MaxTurns     int           // model calls over the run
}

// RetryPolicy bounds retries of retryable provider errors. Zero fields take
// the defaults: 3 retries, 500 ms base delay, 30 s maximum delay. A negative
// MaxRetries disables retries.
type RetryPolicy struct {
	MaxRetries int
	BaseDelay  time.Duration
	MaxDelay   time.Duration
}

// Default retry and timeout values.
const (
	DefaultMaxRetries              = 3
	DefaultBaseDelay               = 500 * time.Millisecond
	DefaultMaxDelay                = 30 * time.Second
	DefaultToolTimeout             = 60 * time.Second
	DefaultMaxParallelTools        = 8
	DefaultStructuredOutputRetries = 2
)

// Config configures one run.
type Config struct {
	SessionID string // copied into events that carry session_id
	Provider  llm.Provider
	Model     string
	System    string
	MaxTokens int       // per model call; 0 lets the provider choose
	Tools     *tool.Set // may be nil
	// ToolTimeout bounds each tool call; zero means DefaultToolTimeout. A
	// tool implementing tool.Timeouter may ask for longer per call.
	ToolTimeout time.Duration
	// MaxParallelTools bounds the calls of one model response that run at
	// once; zero means DefaultMaxParallelTools. Results keep call order.
	MaxParallelTools int
	Budget           Budget
	Retry            RetryPolicy
	// OutputSchema, when set, ends the run with an extraction step whose
	// JSON output must validate against it.
	OutputSchema *OutputSchema
	// StructuredOutputRetries is the number of extra extraction attempts
	// after the first; zero means DefaultStructuredOutputRetries when a
	// schema is set, negative means none.
	StructuredOutputRetries int
	ProviderParams          map[string]json.RawMessage
	// Compactor shortens the history when it grows past its limit or the
	// provider reports a context-length error; nil never compacts.
	Compactor Compactor
	// Hooks run at the run's hook points; nil runs none.
	Hooks *hook.Engine
	// Emit receives every event of the run, in order, on the run's
	// goroutine. It must not block for long (the session layer buffers).
	// Nil discards events.
	Emit func(event.Event)
	// Steer, when set, is asked after every tool batch for input to add to
	// the running turn; what it returns becomes a user message right after
	// the tool results, before the next model call (peer messages delivered
	// with handling_mode steer). Providers take consecutive user messages
	// as one user turn; later turns' transcripts merge them (session).
	Steer func() []llm.Block
}

// TerminalCause classifies why a run ended without success; its values are
// the wire's terminal_cause_kind strings.
type TerminalCause string

// Terminal causes the agent produces.
const (
	CauseLLMFailure         TerminalCause = "llm_failure"
	CauseToolFailure        TerminalCause = "tool_failure"
	CauseStructuredOutput   TerminalCause = "structured_output_validation_failed"
	CauseBudgetExhausted    TerminalCause = "budget_exhausted"
	CauseTimeBudgetExceeded TerminalCause = "time_budget_exceeded"
	CauseRetryExhausted     TerminalCause = "retry_exhausted"
	CauseTurnLimitReached   TerminalCause = "turn_limit_reached"
	CauseFatalFailure       TerminalCause = "fatal_failure"
	// CauseCancelled marks an interrupted run. It is not a wire
	// terminal_cause_kind: surfaces report interruption on their own terms.
	CauseCancelled TerminalCause = "cancelled"
)

// ErrBudgetExhausted is matched (errors.Is) by the error of a run that ended
// on any budget: tokens, time, tool calls or turns.
var ErrBudgetExhausted = errors.New("agent: budget exhausted")

// ErrStructuredOutput is matched by the error of a run whose structured
// output never validated.
var ErrStructuredOutput = errors.New("agent: structured output did not validate")

// RunError is the error of a failed run. Err wraps the underlying failure:
// context.Canceled on interrupt, ErrBudgetExhausted on a budget, a *llm.Error
// on a provider failure, ErrStructuredOutput on failed extraction.
type RunError struct {
	Cause TerminalCause
	Err   error
}

func (e *RunError) Error() string { return fmt.Sprintf("agent: %s: %v", e.Cause, e.Err) }

func (e *RunError) Unwrap() error { return e.Err }

// ExtractionError describes structured output that never validated.
type ExtractionError struct {
	LastOutput string `json:"last_output"`
	Attempts   int    `json:"attempts"`
	Reason     string `json:"reason"`
}

// Result is what a run produced. Run fills it as far as it got, also on
// failure.
type Result struct {
	Text             string // final assistant text
	Turns            int    // model calls made, extraction included
	ToolCalls        int
	Usage            llm.Usage // honest total, including overshoot past a budget
	StopReason       llm.StopReason
	StructuredOutput json.RawMessage
	SchemaWarnings   []event.SchemaWarning
	ExtractionError  *ExtractionError
	TerminalCause    TerminalCause // "" on success
	// Messages are the new transcript rows of this run, starting with the
	// user input message. They form a valid transcript even when Run fails:
	// every tool_use block has its tool_result, and partial assistant output
	// of an interrupted call is left out.
	Messages []llm.Message
}
