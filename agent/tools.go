package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/hook"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
)

// pendingCall is a tool call the model asked for. A call with a reject
// message is answered with it instead of running.
type pendingCall struct {
	id, name string
	args     json.RawMessage // a JSON object
	tool     tool.Tool
	reject   string
}

// outcome is the result of one tool call of a batch.
type outcome struct {
	i        int
	res      tool.Result
	err      error
	duration time.Duration
}

// runTools runs the calls of one model response as a parallel batch and
// appends one tool_result per call, in call order. Malformed and unknown
// calls are answered with an error and count as calls. Calls over the
// tool-call budget, or made once the run is stopped or out of tokens or
// time, are answered with an error without running and end the run after
// the batch.
func (r *runner) runTools(calls []pendingCall) error {
	results := make([]llm.Block, len(calls))
	endErr := r.checkTime()
	if endErr == nil {
		endErr = r.checkTokens()
	}
	notRun := "Error: not run, the run's budget is exhausted."
	if re, ok := endErr.(*RunError); ok && re.Cause == CauseCancelled {
		notRun = "Error: not run, the run was interrupted."
	}
	limit := r.cfg.Budget.MaxToolCalls
	runnable := 0
	for i := range calls {
		c := &calls[i]
		switch {
		case endErr != nil:
			c.reject = notRun
		case c.reject != "":
			r.res.ToolCalls++
		case limit > 0 && r.res.ToolCalls >= limit:
			endErr = &RunError{Cause: CauseBudgetExhausted,
				Err: fmt.Errorf("%w: tool-call limit %d reached", ErrBudgetExhausted, limit)}
			c.reject = "Error: not run, the tool-call budget of this run is exhausted."
		default:
			r.res.ToolCalls++
			if r.preTool(c); c.reject == "" {
				runnable++
				continue
			}
		}
		r.deliver(c, results, i, tool.ErrorResult(c.reject))
	}
	if runnable > 0 {
		r.dispatch(calls, results, runnable)
	}
	r.msgs = append(r.msgs, llm.Message{Role: llm.RoleUser, Content: results})
	r.warn(budgetToolCalls, int64(r.res.ToolCalls), int64(limit))
	if err := r.stopped(); err != nil {
		return err
	}
	if endErr != nil {
		return endErr
	}
	return r.hookAt(hook.Invocation{Point: hook.TurnBoundary})
}

// timeoutGrace is added to a tool's own timeout (tool.Timeouter) so the
// tool's timeout, with its cleanup, fires before the dispatcher's.
const timeoutGrace = 5 * time.Second

// flight is a started call of a batch.
type flight struct {
	ctx      context.Context // the call's own context: its deadline, or the run's end
	cancel   context.CancelFunc
	deadline time.Time
	timeout  time.Duration
	start    time.Time
}

// dispatch runs the runnable calls (those without a reject message)
// concurrently, at most cfg.MaxParallelTools at a time in call order, each
// with its own timeout, and fills their results. A call still running when
// its timeout passes or the run stops is answered with an error at once; its
// goroutine ends when the tool honours its cancelled context.
func (r *runner) dispatch(calls []pendingCall, results []llm.Block, runnable int) {
	bound := r.cfg.MaxParallelTools
	if bound <= 0 {
		bound = DefaultMaxParallelTools
	}
	done := make(chan outcome, runnable) // every started goroutine sends once
	flights := make(map[int]*flight, min(bound, runnable))
	next := 0
	launch := func() {
		for ; next < len(calls) && len(flights) < bound; next++ {
			c := &calls[next]
			if c.reject != "" {
				continue
			}
			timeout := r.callTimeout(c)
			ctx, cancel := context.WithTimeout(r.ctx, timeout)
			now := time.Now()
			flights[next] = &flight{ctx: ctx, cancel: cancel, deadline: now.Add(timeout), timeout: timeout, start: now}
			r.emit(event.ToolExecutionStarted{ID: c.id, Name: c.name})
			go invoke(tool.WithCallID(ctx, c.id), c.tool, c.args, next, done)
		}
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for remaining := runnable; remaining > 0; {
		launch()
		timer.Reset(time.Until(earliest(flights)))
		select {
		case o := <-done:
			f, live := flights[o.i]
			if !live {
				continue // already answered when its timeout passed
			}
			delete(flights, o.i)
			ended := f.ctx.Err() != nil // timed out or interrupted before the tool returned
			f.cancel()
			remaining--
			c := &calls[o.i]
			if o.err != nil && ended {
				r.cut(c, results, o.i, f.timeout, o.duration)
				continue
			}
			res := o.res
			if o.err != nil {
				res = tool.ErrorResult("Error: " + o.err.Error())
			}
			res = r.postTool(c, res)
			r.emit(event.ToolExecutionCompleted{ID: c.id, Name: c.name, Content: res.Content,
				IsError: res.IsError, DurationMS: o.duration.Milliseconds()})
			r.deliver(c, results, o.i, res)
		case <-timer.C:
			now := time.Now()
			for i, f := range flights {
				if !now.Before(f.deadline) {
					delete(flights, i)
					f.cancel()
					remaining--
					r.cut(&calls[i], results, i, f.timeout, now.Sub(f.start))
				}
			}
		case <-r.ctx.Done():
			// Answer every call not answered yet, started or not.
			for i := range calls {
				if calls[i].reject == "" && results[i].Type == "" {
					elapsed := time.Duration(0)
					if f := flights[i]; f != nil {
						f.cancel()
						elapsed = time.Since(f.start)
					}
					r.cut(&calls[i], results, i, r.callTimeout(&calls[i]), elapsed)
				}
			}
			return
		}
	}
}

// callTimeout is the dispatcher's timeout for call c.
func (r *runner) callTimeout(c *pendingCall) time.Duration {
	timeout := r.cfg.ToolTimeout
	if timeout <= 0 {
		timeout = DefaultToolTimeout
	}
	if t, ok := c.tool.(tool.Timeouter); ok {
		if own := t.CallTimeout(c.args); own > 0 {
			timeout = max(timeout, own+timeoutGrace)
		}
	}
	return timeout
}

// earliest returns the first deadline among flights (far ahead if none).
func earliest(flights map[int]*flight) time.Time {
	t := time.Now().Add(time.Hour)
	for _, f := range flights {
		if f.deadline.Before(t) {
			t = f.deadline
		}
	}
	return t
}

// cut answers call i, ended by its timeout or by the run stopping.
func (r *runner) cut(c *pendingCall, results []llm.Block, i int, timeout, elapsed time.Duration) {
	if r.ctx.Err() != nil {
		res := tool.ErrorResult("Error: the run was interrupted while this tool was running.")
		r.emit(event.ToolExecutionCompleted{ID: c.id, Name: c.name, Content: res.Content, IsError: true,
			DurationMS: elapsed.Milliseconds()})
		r.deliver(c, results, i, res)
		return
	}
	r.emit(event.ToolExecutionTimedOut{ID: c.id, Name: c.name, TimeoutMS: timeout.Milliseconds()})
	r.deliver(c, results, i, tool.ErrorResult("Error: tool "+strconv.Quote(c.name)+" timed out after "+timeout.String()+"."))
}

// deliver records the result of call i and reports it.
func (r *runner) deliver(c *pendingCall, results []llm.Block, i int, res tool.Result) {
	results[i] = llm.Block{Type: llm.BlockToolResult, ID: c.id, Name: c.name, Text: resultText(res.Content), IsError: res.IsError,
		Images: imagesOf(res.Content)}
	r.emit(event.ToolResultReceived{ID: c.id, Name: c.name, Content: res.Content, IsError: res.IsError})
}

// invoke runs one tool call on its own goroutine, turning a panic into an
// error, and sends the outcome on done (buffered for the whole batch).
func invoke(ctx context.Context, t tool.Tool, args json.RawMessage, i int, done chan<- outcome) {
	start := time.Now()
	o := outcome{i: i}
	defer func() {
		if p := recover(); p != nil {
			o.err = fmt.Errorf("tool %q panicked: %v", t.Def().Name, p)
		}
		o.duration = time.Since(start)
		done <- o
	}()
	o.res, o.err = t.Call(ctx, args)
}

// imagesOf returns the image blocks of a tool result, nil when there are
// none.
func imagesOf(content []llm.Block) []llm.Block {
	var out []llm.Block
	for _, b := range content {
		if b.Type == llm.BlockImage {
			out = append(out, b)
		}
	}
	return out
}

// resultText flattens a tool result for the transcript's tool_result block:
// text blocks joined by newlines, other blocks named by a placeholder.
func resultText(content []llm.Block) string {
	if len(content) == 1 && content[0].Type == llm.BlockText {
		return content[0].Text
	}
	parts := make([]string, 0, len(content))
	for _, b := range content {
		if b.Type == llm.BlockText {
			parts = append(parts, b.Text)
		} else {
			parts = append(parts, "["+string(b.Type)+" omitted]")
		}
	}
	return strings.Join(parts, "\n")
}
