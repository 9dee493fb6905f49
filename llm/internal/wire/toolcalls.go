package wire

import (
	"bytes"
	"encoding/json"

	"github.com/rkat-dev/rkat/internal/randhex"
	"github.com/rkat-dev/rkat/llm"
)

// ToolCalls accumulates streamed tool calls keyed by the provider's index
// and completes each exactly once. A call is only ever emitted as complete
// when the provider said it was (or ended the response normally); calls of
// a truncated stream are never completed.
type ToolCalls struct {
	calls []pendingCall
}

type pendingCall struct {
	index    int
	id, name string
	args     []byte
	done     bool
}

// Start registers call index and returns the first EventToolCallDelta,
// which carries the call's ID and Name. A call without an id (Gemini, some
// compatible servers) gets a fresh local one.
func (t *ToolCalls) Start(index int, id, name string) llm.Event {
	if id == "" {
		id = NewCallID()
	}
	t.calls = append(t.calls, pendingCall{index: index, id: id, name: name})
	return llm.Event{Type: llm.EventToolCallDelta, Index: index, ToolCall: &llm.ToolCall{ID: id, Name: name}}
}

// Has reports whether call index was started.
func (t *ToolCalls) Has(index int) bool { return t.find(index) != nil }

// Append adds an argument fragment to call index and returns its delta
// event; ok is false when no such call was started.
func (t *ToolCalls) Append(index int, frag string) (ev llm.Event, ok bool) {
	c := t.find(index)
	if c == nil || c.done {
		return llm.Event{}, false
	}
	c.args = append(c.args, frag...)
	return llm.Event{Type: llm.EventToolCallDelta, Index: index, Text: frag}, true
}

// SetName fills in a function name that arrived after the call started
// (OpenAI-compatible servers may send it in a later fragment).
func (t *ToolCalls) SetName(index int, name string) {
	if c := t.find(index); c != nil && c.name == "" {
		c.name = name
	}
}

// Finish completes call index. When final is non-nil it replaces the
// accumulated arguments (providers that repeat the full arguments at the
// end). It returns false for an unknown or already completed call.
func (t *ToolCalls) Finish(index int, final *string, out []llm.Event) ([]llm.Event, bool) {
	c := t.find(index)
	if c == nil || c.done {
		return out, false
	}
	c.done = true
	args := c.args
	if final != nil {
		args = []byte(*final)
	}
	if len(bytes.TrimSpace(args)) == 0 {
		args = []byte("{}")
	}
	return append(out, llm.Event{Type: llm.EventToolCall, Index: index,
		ToolCall: &llm.ToolCall{ID: c.id, Name: c.name, Args: json.RawMessage(args)}}), true
}

// FinishAll completes every open call in start order.
func (t *ToolCalls) FinishAll(out []llm.Event) []llm.Event {
	for i := range t.calls {
		out, _ = t.Finish(t.calls[i].index, nil, out)
	}
	return out
}

// Count returns how many calls were started.
func (t *ToolCalls) Count() int { return len(t.calls) }

func (t *ToolCalls) find(index int) *pendingCall {
	for i := range t.calls {
		if t.calls[i].index == index {
			return &t.calls[i]
		}
	}
	return nil
}

// ObjectArgs returns args when they are a JSON object and {} otherwise.
// APIs that take tool-call arguments as an object need it: a call whose
// arguments were invalid has already been answered with an error result,
// and replaying the broken text would fail the whole request.
func ObjectArgs(args json.RawMessage) json.RawMessage {
	trimmed := bytes.TrimSpace(args)
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(trimmed) {
		return json.RawMessage(`{}`)
	}
	return trimmed
}

// LocalIDPrefix marks tool-call ids rkat made up because the provider sent
// none; adapters do not send them back to the provider as its own ids.
const LocalIDPrefix = "rkat_call_"

// NewCallID returns a fresh tool-call id for a call that came without one.
func NewCallID() string {
	return LocalIDPrefix + randhex.String(8)
}
