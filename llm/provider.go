package llm

import (
	"context"
	"encoding/json"
)

// Request is one model call.
type Request struct {
	Model     string
	System    string
	Messages  []Message
	Tools     []ToolDef
	MaxTokens int
	// ProviderParams are provider-specific parameters passed through to the
	// adapter, which validates the ones its provider documents.
	ProviderParams map[string]json.RawMessage
	// Attempt numbers the tries of the same call: 0 for the first, n for
	// the n-th retry after a failure. Real providers ignore it; the scripted
	// provider uses it to step through scripted errors.
	Attempt int
}

// ExtractionPrompt opens the instructions of the user message with which the
// agent asks the model for structured output at the end of a run. Such a
// message ends with two text blocks: the instructions, starting with
// ExtractionPrompt, and the JSON Schema the answer must match (tool results
// may precede them). Emulated providers (scripted) use the marker to tell
// the extraction step from a new prompt.
const ExtractionPrompt = "Structured output step."

// Provider streams model responses. Implementations are safe for concurrent
// use by several sessions.
type Provider interface {
	// Name is the provider id: "anthropic", "openai", "gemini",
	// "self_hosted" or "scripted".
	Name() string
	// Stream starts a model call. Errors before the first event are returned
	// here; later ones come from Stream.Recv. Both are *Error where the
	// provider classified them.
	Stream(ctx context.Context, req *Request) (Stream, error)
}

// Stream yields the events of one model call. Recv returns io.EOF after the
// EventStop event; any other error means the call failed (a stream that ends
// before EventStop is an error, never a silently short answer). Close releases
// the underlying connection and may be called at any time, more than once.
type Stream interface {
	Recv() (Event, error)
	Close() error
}

// EventType names a stream event.
type EventType uint8

// Stream event kinds.
const (
	// EventTextDelta carries a fragment of answer text in Event.Text.
	EventTextDelta EventType = iota + 1
	// EventReasoningDelta carries a fragment of reasoning in Event.Text.
	// Reasoning events with different Event.Index values belong to
	// different reasoning blocks, each with its own signature; adapters
	// whose API has one reasoning block per response leave Index zero.
	EventReasoningDelta
	// EventReasoningSignature carries the opaque signature of the reasoning
	// block in Event.Text, to be sent back with it on the next call.
	EventReasoningSignature
	// EventReasoningRedacted carries a whole reasoning block the provider
	// returned encrypted, opaque, in Event.Text; it is sent back as is.
	EventReasoningRedacted
	// EventToolCallDelta carries a fragment of tool-call arguments in
	// Event.Text for the call at Event.Index; the first delta of a call also
	// sets Event.ToolCall.ID and Name.
	EventToolCallDelta
	// EventToolCall carries a complete tool call in Event.ToolCall.
	// Its Args are the model's raw text and may be invalid JSON.
	EventToolCall
	// EventUsage carries the call's cumulative usage so far; the last one wins.
	EventUsage
	// EventStop ends the call with Event.StopReason.
	EventStop
)

// ToolCall is a tool invocation requested by the model.
type ToolCall struct {
	ID   string          `json:"id"`
	Name string          `json:"name"`
	Args json.RawMessage `json:"args"`
	// Signature is an opaque provider token that must go back on this very
	// call (Gemini's thought signature on a function call part).
	Signature string `json:"signature,omitempty"`
}

// Event is one item of a model stream.
type Event struct {
	Type       EventType
	Index      int
	Text       string
	ToolCall   *ToolCall
	Usage      Usage
	StopReason StopReason
}

// Resolver chooses the provider and catalog entry that serve a model.
// An empty provider means "whichever provider the catalog says serves
// model"; an empty model means that provider's default model.
type Resolver interface {
	Resolve(provider, model string) (Provider, Model, error)
}
