package hook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/rkat-dev/rkat/agent/event"
)

// MaxBackground bounds the background hooks in flight per run.
const MaxBackground = 16

// Options are what entries may refer to.
type Options struct {
	// HTTPClient serves http hooks; nil uses a client without redirects.
	HTTPClient *http.Client
	// Handlers are the in_process hooks by name.
	Handlers map[string]Handler
}

// Engine holds validated hooks, sorted by priority then registration. It
// is immutable and safe for concurrent use; a nil *Engine runs no hooks.
type Engine struct {
	hooks []bound
}

type bound struct {
	Entry
	rt runtime
}

// New validates entries (as Merge returns them) into an Engine; nil when
// there are none. Errors wrap ErrConfig.
func New(entries []Entry, opts Options) (*Engine, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	client := opts.HTTPClient
	if client == nil {
		client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	e := &Engine{}
	for _, en := range entries {
		if err := en.normalize(); err != nil {
			return nil, err
		}
		b := bound{Entry: en}
		switch en.Runtime.Type {
		case "command":
			b.rt = commandRuntime{en.Runtime}
		case "http":
			b.rt = httpRuntime{en.Runtime, client}
		case "in_process":
			h := opts.Handlers[en.Runtime.Handler]
			if h == nil {
				return nil, fmt.Errorf("%w: hook %q: no in_process handler %q", ErrConfig, en.ID, en.Runtime.Handler)
			}
			b.rt = funcRuntime{h}
		}
		e.hooks = append(e.hooks, b)
	}
	slices.SortStableFunc(e.hooks, func(a, b bound) int { return a.Priority - b.Priority })
	return e, nil
}

// Run is the hooks of one agent run. Its methods are called on the run's
// goroutine; a nil *Run runs nothing.
type Run struct {
	e       *Engine
	session string
	emit    func(event.Event)
	turn    int

	bg      sync.WaitGroup
	slots   chan struct{} // MaxBackground tokens
	mu      sync.Mutex
	pending []event.Event // background completions not yet emitted
}

// Begin opens the hooks of one run of session, reporting their events to
// emit (on the caller's goroutine only).
func (e *Engine) Begin(session string, emit func(event.Event)) *Run {
	if e == nil {
		return nil
	}
	return &Run{e: e, session: session, emit: emit, slots: make(chan struct{}, MaxBackground)}
}

// SetTurn sets the turn number of later invocations.
func (r *Run) SetTurn(n int) {
	if r != nil {
		r.turn = n
	}
}

// At runs the hooks of inv.Point: background ones start, foreground ones
// run in order until one denies. A hook's Args or Result rewrite applies to
// the invocation seen by the hooks after it.
func (r *Run) At(ctx context.Context, inv Invocation) Outcome {
	var out Outcome
	if r == nil {
		return out
	}
	r.flush()
	inv.SessionID, inv.TurnNumber = r.session, r.turn
	for i := range r.e.hooks {
		h := &r.e.hooks[i]
		if h.Point != inv.Point {
			continue
		}
		inv.HookID = h.ID
		if h.Mode == Background {
			r.background(ctx, h, inv)
			continue
		}
		r.emit(event.HookStarted{HookID: h.ID, Point: string(h.Point)})
		d, deny, ev := r.e.run(ctx, h, inv)
		r.emit(ev)
		if deny != nil {
			out.Deny = deny
			return out
		}
		if d != nil && d.Rewrite != nil {
			if d.Rewrite.Args != nil {
				tc := *inv.ToolCall // the caller's invocation stays as it was
				tc.Args, out.Args = d.Rewrite.Args, d.Rewrite.Args
				inv.ToolCall = &tc
			}
			if d.Rewrite.Result != nil {
				res := *inv.ToolResult
				res.Content, res.IsError = d.Rewrite.Result.Content, d.Rewrite.Result.IsError
				out.Result, inv.ToolResult = &res, &res
			}
		}
	}
	return out
}

// background starts a background hook, or reports it skipped when
// MaxBackground are already running.
func (r *Run) background(ctx context.Context, h *bound, inv Invocation) {
	select {
	case r.slots <- struct{}{}:
	default:
		r.emit(event.HookFailed{HookID: h.ID, Point: string(h.Point),
			Reason: event.HookFailureReason{ReasonCode: string(RuntimeError), Message: "too many background hooks running; skipped"},
			Error:  "too many background hooks running; skipped"})
		return
	}
	r.emit(event.HookStarted{HookID: h.ID, Point: string(h.Point)})
	r.bg.Add(1)
	ctx = context.WithoutCancel(ctx) // observers see the run end too; the timeout bounds them
	go func() {
		defer r.bg.Done()
		_, _, ev := r.e.run(ctx, h, inv)
		r.mu.Lock()
		r.pending = append(r.pending, ev)
		r.mu.Unlock()
		<-r.slots
	}()
}

// flush emits the completions of background hooks.
func (r *Run) flush() {
	r.mu.Lock()
	evs := r.pending
	r.pending = nil
	r.mu.Unlock()
	for _, ev := range evs {
		r.emit(ev)
	}
}

// End waits for the run's background hooks (each bounded by its timeout)
// and emits their completions.
func (r *Run) End() {
	if r == nil {
		return
	}
	r.bg.Wait()
	r.flush()
}

// run runs one hook and returns its decision, its denial (a guardrail's
// deny, or a failure under fail_closed) and the event closing it.
func (e *Engine) run(ctx context.Context, h *bound, inv Invocation) (*Decision, *Denial, event.Event) {
	start := time.Now()
	timeout := h.timeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	body, err := marshal(inv)
	var answer []byte
	if err == nil {
		answer, err = h.rt.run(ctx, inv, body)
	}
	var d *Decision
	if err == nil {
		d, err = decide(h, inv, answer)
	}
	ms := time.Since(start).Milliseconds()
	if err != nil {
		code, reason := RuntimeError, event.HookFailureReason{ReasonCode: string(RuntimeError), Message: err.Error()}
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			code = Timeout
			reason = event.HookFailureReason{ReasonCode: string(Timeout), TimeoutMS: timeout.Milliseconds()}
			err = fmt.Errorf("hook timed out after %s", timeout)
		}
		ev := event.HookFailed{HookID: h.ID, Point: string(h.Point), DurationMS: ms, Reason: reason, Error: err.Error()}
		if h.FailurePolicy == FailClosed && h.Mode == Foreground {
			return nil, &Denial{HookID: h.ID, Point: h.Point, ReasonCode: code, Message: err.Error(), Failure: true}, ev
		}
		return nil, nil, ev
	}
	if d != nil && d.Decision == "deny" {
		return d, &Denial{HookID: h.ID, Point: h.Point, ReasonCode: d.ReasonCode, Message: d.Message, Payload: d.Payload},
			event.HookDenied{HookID: h.ID, Point: string(h.Point), DurationMS: ms, ReasonCode: string(d.ReasonCode),
				Message: d.Message, Payload: d.Payload}
	}
	return d, nil, event.HookCompleted{HookID: h.ID, Point: string(h.Point), DurationMS: ms}
}

// decide decodes and checks a hook's answer: only guardrails may deny or
// rewrite, a deny needs a known reason code, and a rewrite must fit the
// point.
func decide(h *bound, inv Invocation, answer []byte) (*Decision, error) {
	if len(bytes.TrimSpace(answer)) == 0 {
		return nil, nil
	}
	var d Decision
	if err := decodeStrict(answer, &d); err != nil {
		return nil, fmt.Errorf("malformed decision: %w", err)
	}
	acts := d.Decision == "deny" || d.Rewrite != nil
	switch {
	case d.Decision != "" && d.Decision != "allow" && d.Decision != "deny":
		return nil, fmt.Errorf("decision must be allow or deny, got %q", d.Decision)
	case acts && h.Capability != Guardrail:
		return nil, errors.New("an observe hook cannot deny or rewrite")
	case d.Decision == "deny" && !slices.Contains(reasonCodes, d.ReasonCode):
		return nil, fmt.Errorf("a deny needs reason_code, one of %v", reasonCodes)
	case d.Decision == "deny" && d.Rewrite != nil:
		return nil, errors.New("a deny cannot rewrite")
	}
	if rw := d.Rewrite; rw != nil {
		switch {
		case rw.Args != nil && (inv.Point != PreToolExecution || !isObject(rw.Args)):
			return nil, errors.New("rewrite.args must be a JSON object, at pre_tool_execution only")
		case rw.Result != nil && inv.Point != PostToolExecution:
			return nil, errors.New("rewrite.result is allowed at post_tool_execution only")
		}
	}
	return &d, nil
}

func isObject(raw json.RawMessage) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal(raw, &m) == nil && m != nil
}

func marshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("hook: encode: %w", err)
	}
	return b, nil
}
