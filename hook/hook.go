package hook

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Point is where in a run a hook fires.
type Point string

// The eight hook points.
const (
	RunStarted        Point = "run_started"
	RunCompleted      Point = "run_completed"
	RunFailed         Point = "run_failed"
	PreLLMRequest     Point = "pre_llm_request"
	PostLLMResponse   Point = "post_llm_response"
	PreToolExecution  Point = "pre_tool_execution"
	PostToolExecution Point = "post_tool_execution"
	TurnBoundary      Point = "turn_boundary"
)

// Points lists every hook point.
var points = []Point{RunStarted, RunCompleted, RunFailed, PreLLMRequest, PostLLMResponse,
	PreToolExecution, PostToolExecution, TurnBoundary}

// Mode says whether a hook blocks the run.
type Mode string

// Modes.
const (
	Foreground Mode = "foreground"
	Background Mode = "background"
)

// Capability says what a hook may do.
type Capability string

// Capabilities: an observe hook only watches; a guardrail may deny or
// rewrite.
const (
	Observe   Capability = "observe"
	Guardrail Capability = "guardrail"
)

// FailurePolicy says what a hook's failure means for the run.
type FailurePolicy string

// Failure policies. The default is fail_closed for guardrails and fail_open
// for observers.
const (
	FailOpen   FailurePolicy = "fail_open"
	FailClosed FailurePolicy = "fail_closed"
)

// ReasonCode types a denial.
type ReasonCode string

// Reason codes of a denial.
const (
	PolicyViolation ReasonCode = "policy_violation"
	SafetyViolation ReasonCode = "safety_violation"
	SchemaViolation ReasonCode = "schema_violation"
	Timeout         ReasonCode = "timeout"
	RuntimeError    ReasonCode = "runtime_error"
)

var reasonCodes = []ReasonCode{PolicyViolation, SafetyViolation, SchemaViolation, Timeout, RuntimeError}

// DefaultTimeout bounds a hook without timeout_ms.
const DefaultTimeout = 5 * time.Second

// ErrConfig marks an invalid hook entry or hooks file.
var ErrConfig = errors.New("hook: invalid configuration")

// Entry is one configured hook, as hooks.toml and hooks_override spell it.
type Entry struct {
	ID            string        `toml:"id" json:"id"`
	Enabled       *bool         `toml:"enabled" json:"enabled,omitempty"`
	Point         Point         `toml:"point" json:"point"`
	Mode          Mode          `toml:"mode" json:"mode,omitempty"`
	Capability    Capability    `toml:"capability" json:"capability,omitempty"`
	Priority      int           `toml:"priority" json:"priority,omitempty"`
	TimeoutMS     int64         `toml:"timeout_ms" json:"timeout_ms,omitempty"`
	FailurePolicy FailurePolicy `toml:"failure_policy" json:"failure_policy,omitempty"`
	Runtime       RuntimeConfig `toml:"runtime" json:"runtime"`
}

// RuntimeConfig selects how a hook runs: type "command" (Command, Args,
// Env), "http" (URL, Headers; always POST) or "in_process" (Handler, a
// function registered in Options.Handlers).
type RuntimeConfig struct {
	Type    string            `toml:"type" json:"type"`
	Command string            `toml:"command" json:"command,omitempty"`
	Args    []string          `toml:"args" json:"args,omitempty"`
	Env     map[string]string `toml:"env" json:"env,omitempty"`
	URL     string            `toml:"url" json:"url,omitempty"`
	Method  string            `toml:"method" json:"method,omitempty"`
	Headers map[string]string `toml:"headers" json:"headers,omitempty"`
	Handler string            `toml:"handler" json:"handler,omitempty"`
}

// Overrides are a session's hooks_override: entries added after (or, by
// id, replacing) the configured ones, and ids disabled.
type Overrides struct {
	Entries []Entry  `json:"entries,omitempty"`
	Disable []string `json:"disable,omitempty"`
}

// ParseOverrides decodes a hooks_override object, refusing unknown keys.
func ParseOverrides(raw json.RawMessage) (Overrides, error) {
	var o Overrides
	if err := decodeStrict(raw, &o); err != nil {
		return o, fmt.Errorf("%w: hooks_override: %w", ErrConfig, err)
	}
	for i := range o.Entries {
		if err := o.Entries[i].normalize(); err != nil {
			return o, fmt.Errorf("hooks_override entry %d: %w", i, err)
		}
	}
	return o, nil
}

// Merge layers entries: later layers replace earlier entries of the same id
// in place and append new ones; overrides come last and then disable ids.
// Disabled entries (enabled = false) are dropped.
func Merge(layers [][]Entry, o Overrides) []Entry {
	var out []Entry
	for _, layer := range append(slices.Clip(layers), o.Entries) { // never into the caller's array
		for _, e := range layer {
			if i := slices.IndexFunc(out, func(x Entry) bool { return x.ID == e.ID }); i >= 0 {
				out[i] = e
			} else {
				out = append(out, e)
			}
		}
	}
	return slices.DeleteFunc(out, func(e Entry) bool {
		return (e.Enabled != nil && !*e.Enabled) || slices.Contains(o.Disable, e.ID)
	})
}

// normalize fills defaults and validates e.
func (e *Entry) normalize() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: hook %q: %s", ErrConfig, e.ID, fmt.Sprintf(format, args...))
	}
	if e.Mode == "" {
		e.Mode = Foreground
	}
	if e.Capability == "" {
		e.Capability = Observe
	}
	if e.FailurePolicy == "" {
		e.FailurePolicy = FailOpen
		if e.Capability == Guardrail {
			e.FailurePolicy = FailClosed
		}
	}
	switch {
	case e.ID == "":
		return bad("id is required")
	case !slices.Contains(points, e.Point):
		return bad("point %q is not one of %v", e.Point, points)
	case e.Mode != Foreground && e.Mode != Background:
		return bad("mode must be foreground or background")
	case e.Capability != Observe && e.Capability != Guardrail:
		return bad("capability must be observe or guardrail")
	case e.Mode == Background && e.Capability != Observe:
		return bad("background hooks may only observe")
	case e.FailurePolicy != FailOpen && e.FailurePolicy != FailClosed:
		return bad("failure_policy must be fail_open or fail_closed")
	case e.TimeoutMS < 0:
		return bad("timeout_ms must not be negative")
	}
	switch r := e.Runtime; r.Type {
	case "command":
		if r.Command == "" {
			return bad("a command runtime needs command")
		}
	case "http":
		if r.URL == "" {
			return bad("an http runtime needs url")
		}
		if r.Method != "" && r.Method != "POST" {
			return bad("an http runtime only POSTs")
		}
	case "in_process":
		if r.Handler == "" {
			return bad("an in_process runtime needs handler")
		}
	default:
		return bad("runtime type must be command, http or in_process, got %q", r.Type)
	}
	return nil
}

func (e *Entry) timeout() time.Duration {
	if e.TimeoutMS > 0 {
		return time.Duration(e.TimeoutMS) * time.Millisecond
	}
	return DefaultTimeout
}

// Invocation is what a hook receives (as JSON).
type Invocation struct {
	HookID      string       `json:"hook_id"`
	Point       Point        `json:"point"`
	SessionID   string       `json:"session_id"`
	TurnNumber  int          `json:"turn_number,omitempty"`
	Prompt      string       `json:"prompt,omitempty"`
	Error       string       `json:"error,omitempty"`
	LLMRequest  *LLMRequest  `json:"llm_request,omitempty"`
	LLMResponse *LLMResponse `json:"llm_response,omitempty"`
	ToolCall    *ToolCall    `json:"tool_call,omitempty"`
	ToolResult  *ToolResult  `json:"tool_result,omitempty"`
}

// LLMRequest describes a model call about to be made.
type LLMRequest struct {
	Model        string `json:"model"`
	MaxTokens    int    `json:"max_tokens"`
	MessageCount int    `json:"message_count"`
}

// LLMResponse describes a model call's answer.
type LLMResponse struct {
	AssistantText string   `json:"assistant_text"`
	ToolCallNames []string `json:"tool_call_names"`
	StopReason    string   `json:"stop_reason,omitempty"`
}

// ToolCall is a tool call about to run.
type ToolCall struct {
	ToolUseID string          `json:"tool_use_id"`
	Name      string          `json:"name"`
	Args      json.RawMessage `json:"args"`
}

// ToolResult is a tool call's result, its content as text.
type ToolResult struct {
	ToolUseID string `json:"tool_use_id"`
	Name      string `json:"name"`
	Content   string `json:"content"`
	IsError   bool   `json:"is_error"`
}

// Decision is what a hook answers (as JSON). An empty answer or an empty
// decision observes only.
type Decision struct {
	Decision   string          `json:"decision,omitempty"` // "allow" or "deny"
	ReasonCode ReasonCode      `json:"reason_code,omitempty"`
	Message    string          `json:"message,omitempty"`
	Payload    json.RawMessage `json:"payload,omitempty"`
	Rewrite    *Rewrite        `json:"rewrite,omitempty"`
}

// Rewrite changes what a guardrail allows: Args replaces a tool call's
// arguments (pre_tool_execution), Result its result (post_tool_execution).
type Rewrite struct {
	Args   json.RawMessage `json:"args,omitempty"`
	Result *ToolResult     `json:"result,omitempty"`
}

// Denial is a guardrail's denial, or a failed hook under fail_closed.
type Denial struct {
	HookID     string
	Point      Point
	ReasonCode ReasonCode
	Message    string
	Payload    json.RawMessage
	// Failure is true when the hook failed (under fail_closed) rather
	// than denied.
	Failure bool
}

// DeniedError ends a run whose hook denied it (at any point but the tool
// points, where a denial only answers the tool call).
type DeniedError struct{ Denial }

func (e *DeniedError) Error() string {
	return fmt.Sprintf("hook %s denied at %s (%s): %s", e.HookID, e.Point, e.ReasonCode, e.Message)
}

// Outcome is the merged result of the hooks of one point.
type Outcome struct {
	Deny *Denial
	// Args are rewritten tool arguments (pre_tool_execution), nil if none.
	Args json.RawMessage
	// Result is a rewritten tool result (post_tool_execution), nil if none.
	Result *ToolResult
}
