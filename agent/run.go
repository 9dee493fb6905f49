package agent

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/hook"
	"github.com/rkat-dev/rkat/llm"
)

// errTimeBudget is the cancellation cause of a run that ran out of wall time.
var errTimeBudget = errors.New("agent: time budget exceeded")

// runner holds the state of one run. It lives on the run's goroutine.
type runner struct {
	ctx    context.Context
	cfg    *Config
	emit   func(event.Event)
	start  time.Time
	msgs   []llm.Message // whole transcript: history, then this run's rows
	base   int           // len(history)
	req    llm.Request
	res    Result
	warned [budgetKinds]bool
	hooks  *hook.Run // nil without hooks
	// compacted is set once the run compacted its history (at most once).
	compacted bool
}

// Run executes one run: input (the new user content) is appended to history,
// then model call -> tool batch -> model call ... until the model ends its
// turn, followed by the extraction step when cfg.OutputSchema is set.
// history is not modified.
//
// On failure Run returns the Result as far as it got and a *RunError whose
// Err matches context.Canceled on interrupt, ErrBudgetExhausted on any
// budget, a *llm.Error on provider failures (llm.AsError) and
// ErrStructuredOutput when extraction failed. Events end with RunCompleted
// on success and RunFailed otherwise.
func Run(ctx context.Context, cfg Config, history []llm.Message, input []llm.Block) (Result, error) {
	if cfg.Provider == nil {
		return Result{}, &RunError{Cause: CauseFatalFailure, Err: errors.New("no provider configured")}
	}
	r := &runner{cfg: &cfg, emit: cfg.Emit, start: time.Now(), base: len(history)}
	if r.emit == nil {
		r.emit = func(event.Event) {}
	}
	if d := cfg.Budget.MaxDuration; d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, d, errTimeBudget)
		defer cancel()
	}
	r.ctx = ctx
	r.msgs = make([]llm.Message, len(history), len(history)+4)
	copy(r.msgs, history)
	r.msgs = append(r.msgs, llm.Message{Role: llm.RoleUser, Content: input})
	r.req = llm.Request{
		Model:          cfg.Model,
		System:         cfg.System,
		Tools:          cfg.Tools.Defs(),
		MaxTokens:      cfg.MaxTokens,
		ProviderParams: cfg.ProviderParams,
	}

	prompt := r.msgs[len(r.msgs)-1].PlainText()
	r.emit(event.RunStarted{
		SessionID: cfg.SessionID,
		Input:     event.RunInput{Kind: "content", Content: input},
		Prompt:    prompt,
	})
	r.hooks = cfg.Hooks.Begin(cfg.SessionID, r.emit)
	err := r.hookAt(hook.Invocation{Point: hook.RunStarted, Prompt: prompt})
	var x *extraction
	if o := cfg.OutputSchema; o != nil && err == nil {
		if o.err != nil {
			err = &RunError{Cause: CauseStructuredOutput, Err: fmt.Errorf("output %w", o.err)}
		} else {
			x = newExtraction(o, cfg.Provider.Name(), cfg.StructuredOutputRetries)
		}
	}
	if err == nil {
		err = r.loop()
	}
	if err == nil && x != nil {
		err = r.extract(x)
	}
	return r.finish(err)
}

// loop calls the model and runs the tools it asks for until it ends its turn.
func (r *runner) loop() error {
	for {
		out, err := r.call()
		if err != nil {
			return err
		}
		if len(out.calls) == 0 {
			r.res.Text = out.text
			return nil
		}
		if err := r.runTools(out.calls); err != nil {
			return err
		}
		if r.cfg.Steer != nil {
			if b := r.cfg.Steer(); len(b) > 0 {
				r.msgs = append(r.msgs, llm.Message{Role: llm.RoleUser, Content: b})
			}
		}
	}
}

// finish fills the result's transcript and cause and emits the last event.
func (r *runner) finish(err error) (Result, error) {
	r.res.Messages = r.msgs[r.base:]
	if err == nil {
		err = r.hookAt(hook.Invocation{Point: hook.RunCompleted})
	}
	if err == nil {
		r.hooks.End()
		r.emit(event.RunCompleted{
			SessionID:          r.cfg.SessionID,
			Result:             r.res.Text,
			Usage:              r.res.Usage,
			ExtractionRequired: r.cfg.OutputSchema != nil,
			StructuredOutput:   r.res.StructuredOutput,
		})
		return r.res, nil
	}
	var re *RunError
	if !errors.As(err, &re) {
		re = &RunError{Cause: CauseFatalFailure, Err: err}
	}
	r.res.TerminalCause = re.Cause
	wireCause := string(re.Cause)
	if re.Cause == CauseCancelled {
		wireCause = ""
	}
	msg := re.Err.Error()
	r.hookAt(hook.Invocation{Point: hook.RunFailed, Error: msg}) // the run has failed already
	r.hooks.End()
	r.emit(event.RunFailed{
		SessionID:         r.cfg.SessionID,
		ErrorReport:       event.ErrorReport{Class: string(re.Cause), Message: msg},
		TerminalCauseKind: wireCause,
		ErrorClass:        string(re.Cause),
		Error:             msg,
	})
	return r.res, re
}

// stopped returns the error that ends the run when its context is done:
// time_budget_exceeded when the wall-time budget ran out, cancelled
// otherwise. It returns nil while the context is live.
func (r *runner) stopped() error {
	if r.ctx.Err() == nil {
		return nil
	}
	if errors.Is(context.Cause(r.ctx), errTimeBudget) {
		limit := r.cfg.Budget.MaxDuration
		r.warn(budgetTime, time.Since(r.start).Milliseconds(), limit.Milliseconds())
		return timeBudgetError(limit)
	}
	return &RunError{Cause: CauseCancelled, Err: r.ctx.Err()}
}

// timeBudgetError ends a run that used up its wall-time limit.
func timeBudgetError(limit time.Duration) error {
	return &RunError{Cause: CauseTimeBudgetExceeded,
		Err: fmt.Errorf("%w: wall time limit %s reached", ErrBudgetExhausted, limit)}
}
