package schedule

import (
	"encoding/json"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/rpc/wire"
)

// Target kinds (target_kind "session"; the contract's identity, mob and
// host_runnable targets are not served by this build).
const (
	TargetExactSession     = "exact_session"
	TargetResumableSession = "resumable_session"
	// TargetMaterialize creates a session at the first firing and binds
	// the schedule to it (bound_session_id); later firings reuse it. With
	// session_per_occurrence (an rkat extension) every firing gets a new one.
	TargetMaterialize = "materialize_on_demand_session"

	ActionPrompt = "prompt"
	ActionEvent  = "event"
)

// Target is where an occurrence is delivered, in the contract's shape:
//
//	{"target_kind":"session","type":"exact_session","session_id":"..","action":{"type":"prompt","prompt":".."}}
type Target struct {
	TargetKind string      `json:"target_kind"`
	Type       string      `json:"type"`
	SessionID  string      `json:"session_id,omitempty"`
	Create     *CreateSpec `json:"create,omitempty"`
	Action     Action      `json:"action"`
	// BoundSessionID is the session a materialize target created and reuses.
	BoundSessionID       string `json:"bound_session_id,omitempty"`
	SessionPerOccurrence bool   `json:"session_per_occurrence,omitempty"`
}

// CreateSpec is the session a materialize_on_demand_session target creates.
type CreateSpec struct {
	Model                  string            `json:"model,omitempty"`
	Provider               string            `json:"provider,omitempty"`
	SystemPrompt           *string           `json:"system_prompt,omitempty"`
	MaxTokens              int               `json:"max_tokens,omitempty"`
	Labels                 map[string]string `json:"labels,omitempty"`
	AdditionalInstructions []string          `json:"additional_instructions,omitempty"`
}

// Action is what is delivered: a prompt (a turn, with optional injected
// context) or an external event.
type Action struct {
	Type string `json:"type"`
	// prompt
	Prompt                 json.RawMessage   `json:"prompt,omitempty"`
	SystemPrompt           *string           `json:"system_prompt,omitempty"`
	AdditionalInstructions []string          `json:"additional_instructions,omitempty"`
	InjectedContext        []json.RawMessage `json:"injected_context,omitempty"`
	// event
	EventType string          `json:"event_type,omitempty"`
	Payload   json.RawMessage `json:"payload,omitempty"`
}

// delivery is a parsed target, ready to dispatch.
type delivery struct {
	Target
	prompt   []llm.Block
	injected [][]llm.Block
}

// ParseTarget decodes and validates a target. Errors are *InvalidError
// naming the field ("target.session_id", ...).
func ParseTarget(raw json.RawMessage) (Target, error) {
	d, err := parseTarget(raw)
	return d.Target, err
}

func parseTarget(raw json.RawMessage) (delivery, error) {
	var d delivery
	if err := strictDecode(raw, "target", &d.Target); err != nil {
		return d, err
	}
	t := &d.Target
	if t.TargetKind != "session" {
		return d, invalid("target.target_kind", "must be session (got %q)", t.TargetKind)
	}
	switch t.Type {
	case TargetExactSession, TargetResumableSession:
		if t.SessionID == "" {
			return d, invalid("target.session_id", "is required")
		}
		if t.Create != nil || t.BoundSessionID != "" || t.SessionPerOccurrence {
			return d, invalid("target", "create, bound_session_id and session_per_occurrence only apply to %s", TargetMaterialize)
		}
	case TargetMaterialize:
		if t.SessionID != "" {
			return d, invalid("target.session_id", "does not apply to %s", TargetMaterialize)
		}
		if t.Create == nil {
			t.Create = &CreateSpec{}
		}
		if t.Create.MaxTokens < 0 {
			return d, invalid("target.create.max_tokens", "must not be negative")
		}
	default:
		return d, invalid("target.type", "must be %s, %s or %s (got %q)", TargetExactSession, TargetResumableSession,
			TargetMaterialize, t.Type)
	}
	a := &t.Action
	switch a.Type {
	case ActionPrompt:
		p, err := wire.ParseContent(a.Prompt)
		if err != nil || len(p) == 0 {
			return d, invalid("target.action.prompt", "must be a non-empty ContentInput")
		}
		d.prompt = p
		for _, c := range a.InjectedContext {
			blocks, err := wire.ParseContent(c)
			if err != nil || len(blocks) == 0 {
				return d, invalid("target.action.injected_context", "each entry must be a non-empty ContentInput")
			}
			d.injected = append(d.injected, blocks)
		}
		if a.EventType != "" || a.Payload != nil {
			return d, invalid("target.action", "event_type and payload belong to an event action")
		}
	case ActionEvent:
		if a.EventType == "" {
			return d, invalid("target.action.event_type", "is required")
		}
		if a.Prompt != nil || a.SystemPrompt != nil || a.AdditionalInstructions != nil || a.InjectedContext != nil {
			return d, invalid("target.action", "prompt fields belong to a prompt action")
		}
		if t.Type == TargetMaterialize {
			return d, invalid("target.action.type", "a new session needs a prompt action")
		}
	default:
		return d, invalid("target.action.type", "must be prompt or event (got %q)", a.Type)
	}
	return d, nil
}
