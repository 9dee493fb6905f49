package agent

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/hook"
	"github.com/rkat-dev/rkat/internal/clip"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
)

// callOutput is the outcome of one successful model call.
type callOutput struct {
	text  string
	calls []pendingCall
}

// errNoStop reports a stream that ended without its stop event.
var errNoStop = errors.New("model stream ended without a stop event")

// call runs one model call with retries, emits its events and appends the
// assistant message to the transcript.
func (r *runner) call() (callOutput, error) {
	if err := r.beforeModelCall(); err != nil {
		return callOutput{}, err
	}
	r.compactIfLarge()
	r.res.Turns++
	r.emit(event.TurnStarted{TurnNumber: r.res.Turns})
	r.hooks.SetTurn(r.res.Turns)
	if err := r.hookAt(hook.Invocation{Point: hook.PreLLMRequest, LLMRequest: &hook.LLMRequest{
		Model: r.req.Model, MaxTokens: r.req.MaxTokens, MessageCount: len(r.msgs)}}); err != nil {
		return callOutput{}, r.cancelTurn(err)
	}
	policy := r.cfg.Retry.resolved()
	for attempt := 0; ; attempt++ {
		r.req.Messages = r.msgs
		r.req.Attempt = attempt
		out, err := r.stream()
		if err == nil {
			if r.hooks == nil {
				return out, nil
			}
			if err := r.hookAt(hook.Invocation{Point: hook.PostLLMResponse, LLMResponse: llmResponse(out, r.res.StopReason)}); err != nil {
				r.closeCalls(out.calls, "Error: not run, a hook denied the response.")
				return callOutput{}, err
			}
			return out, nil
		}
		if stop := r.stopped(); stop != nil {
			return callOutput{}, r.cancelTurn(stop)
		}
		le, ok := llm.AsError(err)
		if ok && r.recoverContextLength(le) {
			continue // one more attempt with the compacted history
		}
		if !ok || !le.Retryable() {
			return callOutput{}, &RunError{Cause: CauseLLMFailure, Err: err}
		}
		if attempt >= policy.MaxRetries {
			return callOutput{}, &RunError{Cause: CauseRetryExhausted, Err: err}
		}
		d := policy.delay(attempt, le.RetryAfter)
		r.emit(event.Retrying{
			Retry: event.RetryInfo{
				Failure: event.RetryFailure{Kind: string(le.Kind), Message: le.Error(), Provider: le.Provider},
				Plan:    event.RetryPlan{Attempt: attempt + 1, MaxRetries: policy.MaxRetries, SelectedDelayMS: d.Milliseconds()},
			},
			Attempt:     attempt + 1,
			MaxAttempts: policy.MaxRetries,
			Error:       le.Error(),
			DelayMS:     d.Milliseconds(),
		})
		if err := r.sleep(d); err != nil {
			return callOutput{}, r.cancelTurn(err)
		}
	}
}

// cancelTurn closes a model call cut short by the run stopping and returns
// err.
func (r *runner) cancelTurn(err error) error {
	r.res.StopReason = llm.StopCancelled
	r.emit(event.TurnCompleted{StopReason: llm.StopCancelled})
	return err
}

// stream performs one attempt of a model call. Its usage counts even when it
// fails; on success it emits the closing events of the turn and appends the
// assistant message.
func (r *runner) stream() (callOutput, error) {
	st, err := r.cfg.Provider.Stream(r.ctx, &r.req)
	if err != nil {
		return callOutput{}, err
	}
	defer st.Close()
	var (
		text     strings.Builder
		thoughts reasoningBlocks
		calls    []*llm.ToolCall
		usage    llm.Usage
		measured bool
		stop     llm.StopReason
	)
	for stop == "" {
		ev, err := st.Recv()
		if err != nil {
			r.res.Usage = r.res.Usage.Add(usage)
			if err == io.EOF {
				err = &llm.Error{Provider: r.cfg.Provider.Name(), Kind: llm.KindRetryable, Err: errNoStop}
			}
			return callOutput{}, err
		}
		switch ev.Type {
		case llm.EventTextDelta:
			text.WriteString(ev.Text)
			r.emit(event.TextDelta{Delta: ev.Text})
		case llm.EventReasoningDelta:
			thoughts.at(ev.Index).text.WriteString(ev.Text)
			r.emit(event.ReasoningDelta{Delta: ev.Text})
		case llm.EventReasoningSignature:
			thoughts.at(ev.Index).signature += ev.Text
		case llm.EventReasoningRedacted:
			thoughts = append(thoughts, &reasoningBlock{index: ev.Index, data: ev.Text})
		case llm.EventToolCall:
			if ev.ToolCall != nil {
				calls = append(calls, ev.ToolCall)
			}
		case llm.EventUsage:
			usage, measured = ev.Usage, true
		case llm.EventStop:
			stop = ev.StopReason
		}
	}
	r.res.Usage = r.res.Usage.Add(usage)
	r.res.StopReason = stop

	blocks := make([]llm.Block, 0, len(thoughts)+1+len(calls))
	for _, t := range thoughts {
		blocks = append(blocks, llm.Block{Type: llm.BlockReasoning, Text: t.text.String(), Signature: t.signature, Data: t.data})
		if t.data == "" {
			r.emit(event.ReasoningComplete{Content: t.text.String()})
		}
	}
	out := callOutput{text: text.String()}
	if out.text != "" || len(calls) == 0 {
		if out.text != "" {
			blocks = append(blocks, llm.Text(out.text))
		}
		r.emit(event.TextComplete{Content: out.text})
	}
	if len(calls) > 0 {
		out.calls = make([]pendingCall, len(calls))
		for i, c := range calls {
			p := r.newPendingCall(c, i)
			out.calls[i] = p
			blocks = append(blocks, llm.Block{Type: llm.BlockToolUse, ID: p.id, Name: p.name, Args: p.args, Signature: c.Signature})
			r.emit(event.ToolCallRequested{ID: p.id, Name: p.name, Args: p.args})
		}
	}
	r.msgs = append(r.msgs, llm.Message{Role: llm.RoleAssistant, Content: blocks})
	r.emit(event.TurnCompleted{StopReason: stop, Usage: r.turnUsage(usage, measured)})
	r.warn(budgetTokens, r.res.Usage.Total(), r.cfg.Budget.MaxTokens)
	return out, nil
}

// reasoningBlock is one reasoning block of a response as it streams in.
type reasoningBlock struct {
	index     int // the provider's block index (llm.Event.Index)
	text      strings.Builder
	signature string
	data      string // a block the provider returned encrypted
}

// reasoningBlocks are a response's reasoning blocks in stream order.
type reasoningBlocks []*reasoningBlock

// at returns the block that reasoning events with index belong to: the
// latest one when it has that index and is not an encrypted block, else a
// new one.
func (rb *reasoningBlocks) at(index int) *reasoningBlock {
	if n := len(*rb); n > 0 && (*rb)[n-1].index == index && (*rb)[n-1].data == "" {
		return (*rb)[n-1]
	}
	b := &reasoningBlock{index: index}
	*rb = append(*rb, b)
	return b
}

// turnUsage is the usage of one call as TurnCompleted reports it, nil when
// the provider did not measure it.
func (r *runner) turnUsage(u llm.Usage, measured bool) *event.TurnUsage {
	if !measured {
		return nil
	}
	return &event.TurnUsage{Usage: u, Accounting: event.Accounting{
		Provider:        r.cfg.Provider.Name(),
		Model:           r.cfg.Model,
		PresentedTokens: u.InputTokens + u.CacheCreationTokens + u.CacheReadTokens,
		Convention:      "provider_reported",
		Aggregation:     "per_call",
	}}
}

// newPendingCall checks a requested call: it gets an id when the provider
// gave none, and arguments that are not a JSON object are replaced by {} in
// the transcript and make the call fail with a message the model can read.
func (r *runner) newPendingCall(c *llm.ToolCall, i int) pendingCall {
	p := pendingCall{id: c.ID, name: c.Name, args: emptyObject}
	if p.id == "" {
		p.id = "call_" + strconv.Itoa(len(r.msgs)) + "_" + strconv.Itoa(i)
	}
	switch {
	case isBlank(c.Args):
	case !json.Valid(c.Args) || firstByte(c.Args) != '{':
		p.reject = "Error: the arguments of tool " + strconv.Quote(c.Name) +
			" are not a valid JSON object: " + clip.String(string(c.Args), 200) + ". Call it again with a JSON object."
	default:
		p.args = c.Args
	}
	if p.reject == "" {
		t, ok := r.cfg.Tools.Lookup(c.Name)
		switch {
		case !ok:
			p.reject = "Error: unknown tool " + strconv.Quote(c.Name) + ". Available tools: " + r.toolNames() + "."
		default:
			if err := r.cfg.Tools.Validate(c.Name, p.args); err != nil {
				p.reject = "Error: invalid arguments for tool " + strconv.Quote(c.Name) + ": " +
					strings.TrimPrefix(err.Error(), tool.ErrInvalidArgs.Error()+": ") + ". Call it again with arguments that match its input schema."
			}
		}
		p.tool = t
	}
	return p
}

var emptyObject = json.RawMessage("{}")

func (r *runner) toolNames() string {
	defs := r.cfg.Tools.Defs()
	if len(defs) == 0 {
		return "none"
	}
	names := make([]string, len(defs))
	for i, d := range defs {
		names[i] = d.Name
	}
	return strings.Join(names, ", ")
}

func isBlank(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }

func firstByte(b []byte) byte {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return 0
	}
	return b[0]
}
