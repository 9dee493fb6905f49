// Package event defines the typed events of an agent run, in the shape they
// take as the payload of a `session/event` notification of the wire contract
// (spec/agent-rpc.md section 3.2). The runtime emits them and the Go SDK
// decodes them, so both sides share one vocabulary.
//
// Each event is a plain struct; its wire "type" comes from its Type method and
// is added by Marshal, so the structs themselves hold only payload fields.
// Some events carry legacy field names next to the canonical ones because the
// published Python SDK still reads them.
package event

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/rkat-dev/rkat/llm"
)

// Event is one typed run event.
type Event interface {
	// Type is the wire name of the event, e.g. "text_delta".
	Type() string
}

// Wire names of the events.
const (
	TypeRunStarted            = "run_started"
	TypeRunCompleted          = "run_completed"
	TypeRunFailed             = "run_failed"
	TypeTurnStarted           = "turn_started"
	TypeTurnCompleted         = "turn_completed"
	TypeTextDelta             = "text_delta"
	TypeTextComplete          = "text_complete"
	TypeReasoningDelta        = "reasoning_delta"
	TypeReasoningComplete     = "reasoning_complete"
	TypeToolCallRequested     = "tool_call_requested"
	TypeToolExecutionStarted  = "tool_execution_started"
	TypeToolExecutionDone     = "tool_execution_completed"
	TypeToolExecutionTimedOut = "tool_execution_timed_out"
	TypeToolResultReceived    = "tool_result_received"
	TypeRetrying              = "retrying"
	TypeBudgetWarning         = "budget_warning"
	TypeExtractionSucceeded   = "extraction_succeeded"
	TypeExtractionFailed      = "extraction_failed"
	TypeStreamTruncated       = "stream_truncated"
	TypeToolConfigChanged     = "tool_config_changed"
	TypeHookStarted           = "hook_started"
	TypeHookCompleted         = "hook_completed"
	TypeHookFailed            = "hook_failed"
	TypeHookDenied            = "hook_denied"
	TypeCompactionStarted     = "compaction_started"
	TypeCompactionCompleted   = "compaction_completed"
	TypeCompactionFailed      = "compaction_failed"
	TypeSkillsResolved        = "skills_resolved"
)

// RunInput says what started a run.
type RunInput struct {
	Kind    string      `json:"kind"` // "content" or "pending_tool_results"
	Content []llm.Block `json:"content,omitempty"`
}

// RunStarted opens a run. Prompt is the legacy plain-text form of Input.
type RunStarted struct {
	SessionID string   `json:"session_id"`
	Input     RunInput `json:"input"`
	Prompt    string   `json:"prompt"`
}

// RunCompleted closes a successful run.
type RunCompleted struct {
	SessionID          string          `json:"session_id"`
	Result             string          `json:"result"`
	Usage              llm.Usage       `json:"usage"`
	ExtractionRequired bool            `json:"extraction_required"`
	StructuredOutput   json.RawMessage `json:"structured_output,omitempty"`
	TerminalCauseKind  string          `json:"terminal_cause_kind,omitempty"`
}

// ErrorReport describes why a run failed.
type ErrorReport struct {
	Class   string `json:"class"`
	Message string `json:"message"`
	Reason  string `json:"reason,omitempty"`
}

// RunFailed closes a failed run. ErrorClass and Error are the legacy forms of
// ErrorReport.
type RunFailed struct {
	SessionID         string      `json:"session_id"`
	ErrorReport       ErrorReport `json:"error_report"`
	TerminalCauseKind string      `json:"terminal_cause_kind,omitempty"`
	ErrorClass        string      `json:"error_class"`
	Error             string      `json:"error"`
}

// TurnStarted opens one model call of a run; numbers start at 1.
type TurnStarted struct {
	TurnNumber int `json:"turn_number"`
}

// Accounting says how a turn's usage was measured.
type Accounting struct {
	Provider        string `json:"provider"`
	Model           string `json:"model"`
	PresentedTokens int64  `json:"presented_tokens"`
	Convention      string `json:"convention"`
	Aggregation     string `json:"aggregation"`
}

// TurnUsage is the usage of one model call.
type TurnUsage struct {
	llm.Usage
	Accounting Accounting `json:"accounting"`
}

// TurnCompleted closes one model call. Usage is nil when unmeasured.
type TurnCompleted struct {
	StopReason llm.StopReason `json:"stop_reason"`
	Usage      *TurnUsage     `json:"usage,omitempty"`
}

// TextDelta is a fragment of answer text.
type TextDelta struct {
	Delta string `json:"delta"`
}

// TextComplete is the whole answer text of one model call.
type TextComplete struct {
	Content string `json:"content"`
}

// ReasoningDelta is a fragment of reasoning.
type ReasoningDelta struct {
	Delta string `json:"delta"`
}

// ReasoningComplete is the whole reasoning of one model call.
type ReasoningComplete struct {
	Content string `json:"content"`
}

// ToolCallRequested reports a tool call the model asked for. Args is always a
// JSON object; arguments that were not a valid object appear as {}.
type ToolCallRequested struct {
	ID   string          `json:"id"`
	Name string          `json:"name"`
	Args json.RawMessage `json:"args"`
}

// ToolExecutionStarted reports that a tool began running.
type ToolExecutionStarted struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ToolExecutionCompleted reports a tool's outcome.
type ToolExecutionCompleted struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Content    []llm.Block `json:"content"`
	IsError    bool        `json:"is_error"`
	DurationMS int64       `json:"duration_ms"`
}

// ToolExecutionTimedOut reports a tool that exceeded its timeout.
type ToolExecutionTimedOut struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	TimeoutMS int64  `json:"timeout_ms"`
}

// ToolResultReceived reports the result that goes back to the model.
type ToolResultReceived struct {
	ID      string      `json:"id"`
	Name    string      `json:"name"`
	Content []llm.Block `json:"content"`
	IsError bool        `json:"is_error"`
}

// RetryFailure describes the failure being retried.
type RetryFailure struct {
	Kind     string `json:"kind"`
	Message  string `json:"message"`
	Provider string `json:"provider"`
}

// RetryPlan describes the next attempt.
type RetryPlan struct {
	Attempt         int   `json:"attempt"`
	MaxRetries      int   `json:"max_retries"`
	SelectedDelayMS int64 `json:"selected_delay_ms"`
}

// RetryInfo groups a retry's failure and plan.
type RetryInfo struct {
	Failure RetryFailure `json:"failure"`
	Plan    RetryPlan    `json:"plan"`
}

// Retrying reports a retry of a failed model call. Attempt, MaxAttempts,
// Error and DelayMS are the legacy forms of Retry.
type Retrying struct {
	Retry       RetryInfo `json:"retry"`
	Attempt     int       `json:"attempt"`
	MaxAttempts int       `json:"max_attempts"`
	Error       string    `json:"error"`
	DelayMS     int64     `json:"delay_ms"`
}

// BudgetWarning reports that a budget passed its warning threshold.
// BudgetType is "tokens", "time" or "tool_calls".
type BudgetWarning struct {
	BudgetType string  `json:"budget_type"`
	Used       int64   `json:"used"`
	Limit      int64   `json:"limit"`
	Percent    float64 `json:"percent"`
}

// SchemaWarning is a non-fatal remark about an output schema.
type SchemaWarning struct {
	Provider string `json:"provider"`
	Path     string `json:"path"`
	Message  string `json:"message"`
}

// ExtractionSucceeded reports structured output that validated.
type ExtractionSucceeded struct {
	SessionID        string          `json:"session_id"`
	StructuredOutput json.RawMessage `json:"structured_output"`
	SchemaWarnings   []SchemaWarning `json:"schema_warnings,omitempty"`
}

// ExtractionFailed reports structured output that never validated.
type ExtractionFailed struct {
	SessionID  string `json:"session_id"`
	LastOutput string `json:"last_output"`
	Attempts   int    `json:"attempts"`
	Reason     string `json:"reason"`
}

// TruncationReason says why a subscriber missed events.
type TruncationReason struct {
	Kind    string `json:"kind"` // "channel_full", "stream_lagged" or TruncationOversizedEvent
	Dropped int    `json:"dropped,omitempty"`
	// The event left out, for TruncationOversizedEvent: its seq, its
	// encoded size and the limit it exceeded.
	DurableSeq   uint64 `json:"durable_seq,omitempty"`
	EncodedBytes int    `json:"encoded_bytes,omitempty"`
	MaxBytes     int    `json:"max_bytes,omitempty"`
}

// TruncationOversizedEvent is the contract's truncation kind for one event
// left out of a stream because, even with its content cut (Bound), it
// exceeded the stream's frame limit.
const TruncationOversizedEvent = "oversized_remote_event"

// StreamTruncated tells a lagging subscriber that events were dropped.
type StreamTruncated struct {
	Reason TruncationReason `json:"reason"`
}

// ToolConfigStatus is the status_info of a tool configuration change,
// tagged by Kind: "external_tool_delta" (Phase "pending", "applied" or
// "failed", Detail optional) or "warning_failed_closed" (Error).
type ToolConfigStatus struct {
	Kind   string `json:"kind"`
	Phase  string `json:"phase,omitempty"`
	Detail string `json:"detail,omitempty"`
	Error  string `json:"error,omitempty"`
}

// ToolConfigChange describes one change of a session's tools, such as an MCP
// server added, removed, reloaded or failing to start.
type ToolConfigChange struct {
	Operation     string           `json:"operation"` // "add", "remove" or "reload"
	Target        string           `json:"target"`
	StatusInfo    ToolConfigStatus `json:"status_info"`
	Persisted     bool             `json:"persisted"`
	AppliedAtTurn *int             `json:"applied_at_turn,omitempty"`
}

// ToolConfigChanged reports a change of the session's tools at a turn
// boundary.
type ToolConfigChanged struct {
	Payload ToolConfigChange `json:"payload"`
}

// HookStarted reports that a hook began running at a point.
type HookStarted struct {
	HookID string `json:"hook_id"`
	Point  string `json:"point"`
}

// HookCompleted reports a hook that ran to its decision (allow or none).
type HookCompleted struct {
	HookID     string `json:"hook_id"`
	Point      string `json:"point"`
	DurationMS int64  `json:"duration_ms"`
}

// HookFailureReason says why a hook failed: reason_code "timeout" (with
// TimeoutMS) or "runtime_error" (with Message).
type HookFailureReason struct {
	ReasonCode string `json:"reason_code"`
	TimeoutMS  int64  `json:"timeout_ms,omitempty"`
	Message    string `json:"message,omitempty"`
}

// HookFailed reports a hook that timed out or failed; Error is the legacy
// plain-text form of Reason.
type HookFailed struct {
	HookID     string            `json:"hook_id"`
	Point      string            `json:"point"`
	DurationMS int64             `json:"duration_ms"`
	Reason     HookFailureReason `json:"reason"`
	Error      string            `json:"error"`
}

// HookDenied reports a guardrail that denied the operation at its point.
type HookDenied struct {
	HookID     string          `json:"hook_id"`
	Point      string          `json:"point"`
	DurationMS int64           `json:"duration_ms"`
	ReasonCode string          `json:"reason_code"`
	Message    string          `json:"message"`
	Payload    json.RawMessage `json:"payload,omitempty"`
}

// CompactionStarted opens a compaction of the history.
type CompactionStarted struct {
	InputTokens            int64 `json:"input_tokens"`
	EstimatedHistoryTokens int64 `json:"estimated_history_tokens"`
	MessageCount           int   `json:"message_count"`
}

// CompactionCompleted closes a compaction: the history went from
// MessagesBefore to MessagesAfter messages, the summary being one of them.
type CompactionCompleted struct {
	SummaryTokens  int64 `json:"summary_tokens"`
	MessagesBefore int   `json:"messages_before"`
	MessagesAfter  int   `json:"messages_after"`
}

// CompactionReason says why a compaction failed.
type CompactionReason struct {
	Kind    string `json:"kind"`
	Message string `json:"message,omitempty"`
}

// CompactionFailed reports a compaction that did not happen.
type CompactionFailed struct {
	Reason CompactionReason `json:"reason"`
}

// SkillKey identifies a skill: its source and its name.
type SkillKey struct {
	SourceUUID string `json:"source_uuid"`
	SkillName  string `json:"skill_name"`
}

// SkillsResolved reports the skills injected into a turn's instructions.
type SkillsResolved struct {
	Skills         []SkillKey `json:"skills"`
	InjectionBytes int        `json:"injection_bytes"`
}

// Unknown is an event whose type this version does not know; Raw holds the
// whole payload.
type Unknown struct {
	Name string
	Raw  json.RawMessage
}

func (RunStarted) Type() string             { return TypeRunStarted }
func (RunCompleted) Type() string           { return TypeRunCompleted }
func (RunFailed) Type() string              { return TypeRunFailed }
func (TurnStarted) Type() string            { return TypeTurnStarted }
func (TurnCompleted) Type() string          { return TypeTurnCompleted }
func (TextDelta) Type() string              { return TypeTextDelta }
func (TextComplete) Type() string           { return TypeTextComplete }
func (ReasoningDelta) Type() string         { return TypeReasoningDelta }
func (ReasoningComplete) Type() string      { return TypeReasoningComplete }
func (ToolCallRequested) Type() string      { return TypeToolCallRequested }
func (ToolExecutionStarted) Type() string   { return TypeToolExecutionStarted }
func (ToolExecutionCompleted) Type() string { return TypeToolExecutionDone }
func (ToolExecutionTimedOut) Type() string  { return TypeToolExecutionTimedOut }
func (ToolResultReceived) Type() string     { return TypeToolResultReceived }
func (Retrying) Type() string               { return TypeRetrying }
func (BudgetWarning) Type() string          { return TypeBudgetWarning }
func (ExtractionSucceeded) Type() string    { return TypeExtractionSucceeded }
func (ExtractionFailed) Type() string       { return TypeExtractionFailed }
func (StreamTruncated) Type() string        { return TypeStreamTruncated }
func (ToolConfigChanged) Type() string      { return TypeToolConfigChanged }
func (HookStarted) Type() string            { return TypeHookStarted }
func (HookCompleted) Type() string          { return TypeHookCompleted }
func (HookFailed) Type() string             { return TypeHookFailed }
func (HookDenied) Type() string             { return TypeHookDenied }
func (CompactionStarted) Type() string      { return TypeCompactionStarted }
func (CompactionCompleted) Type() string    { return TypeCompactionCompleted }
func (CompactionFailed) Type() string       { return TypeCompactionFailed }
func (SkillsResolved) Type() string         { return TypeSkillsResolved }

// Type returns the unknown event's wire name.
func (u Unknown) Type() string { return u.Name }

// Marshal encodes e as a payload object with its "type" field first.
func Marshal(e Event) ([]byte, error) {
	if u, ok := e.(Unknown); ok {
		return u.Raw, nil
	}
	body, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("event: marshal %s: %w", e.Type(), err)
	}
	return AppendPayload(make([]byte, 0, len(body)+len(e.Type())+12), e.Type(), body), nil
}

// AppendPayload appends to dst the object body (a JSON object) with a leading
// "type" member set to name. It lets hot paths encode without reflection.
func AppendPayload(dst []byte, name string, body []byte) []byte {
	dst = append(dst, `{"type":"`...)
	dst = append(dst, name...)
	dst = append(dst, '"')
	if len(body) > 2 {
		dst = append(dst, ',')
		dst = append(dst, body[1:]...)
		return dst
	}
	return append(dst, '}')
}

// Unmarshal decodes a payload object into its typed event. A payload of an
// unknown type becomes Unknown; a known type with malformed fields is an error.
func Unmarshal(payload []byte) (Event, error) {
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(payload, &head); err != nil {
		return nil, fmt.Errorf("event: %w", err)
	}
	var e Event
	switch head.Type {
	case TypeRunStarted:
		e = decode[RunStarted](payload)
	case TypeRunCompleted:
		e = decode[RunCompleted](payload)
	case TypeRunFailed:
		e = decode[RunFailed](payload)
	case TypeTurnStarted:
		e = decode[TurnStarted](payload)
	case TypeTurnCompleted:
		e = decode[TurnCompleted](payload)
	case TypeTextDelta:
		e = decode[TextDelta](payload)
	case TypeTextComplete:
		e = decode[TextComplete](payload)
	case TypeReasoningDelta:
		e = decode[ReasoningDelta](payload)
	case TypeReasoningComplete:
		e = decode[ReasoningComplete](payload)
	case TypeToolCallRequested:
		e = decode[ToolCallRequested](payload)
	case TypeToolExecutionStarted:
		e = decode[ToolExecutionStarted](payload)
	case TypeToolExecutionDone:
		e = decode[ToolExecutionCompleted](payload)
	case TypeToolExecutionTimedOut:
		e = decode[ToolExecutionTimedOut](payload)
	case TypeToolResultReceived:
		e = decode[ToolResultReceived](payload)
	case TypeRetrying:
		e = decode[Retrying](payload)
	case TypeBudgetWarning:
		e = decode[BudgetWarning](payload)
	case TypeExtractionSucceeded:
		e = decode[ExtractionSucceeded](payload)
	case TypeExtractionFailed:
		e = decode[ExtractionFailed](payload)
	case TypeStreamTruncated:
		e = decode[StreamTruncated](payload)
	case TypeToolConfigChanged:
		e = decode[ToolConfigChanged](payload)
	case TypeHookStarted:
		e = decode[HookStarted](payload)
	case TypeHookCompleted:
		e = decode[HookCompleted](payload)
	case TypeHookFailed:
		e = decode[HookFailed](payload)
	case TypeHookDenied:
		e = decode[HookDenied](payload)
	case TypeCompactionStarted:
		e = decode[CompactionStarted](payload)
	case TypeCompactionCompleted:
		e = decode[CompactionCompleted](payload)
	case TypeCompactionFailed:
		e = decode[CompactionFailed](payload)
	case TypeSkillsResolved:
		e = decode[SkillsResolved](payload)
	case "":
		return nil, fmt.Errorf("event: payload has no type")
	default:
		return Unknown{Name: head.Type, Raw: append(json.RawMessage(nil), payload...)}, nil
	}
	if err, ok := e.(decodeError); ok {
		return nil, fmt.Errorf("event: malformed %s: %w", head.Type, err.err)
	}
	return e, nil
}

type decodeError struct{ err error }

func (decodeError) Type() string { return "" }

func decode[T Event](payload []byte) Event {
	var v T
	dec := json.NewDecoder(bytes.NewReader(payload))
	if err := dec.Decode(&v); err != nil {
		return decodeError{err}
	}
	return v
}
