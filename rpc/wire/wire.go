// Package wire holds the method names, parameter and result shapes of the
// agent runtime's JSON-RPC surface (spec/agent-rpc.md), shared by the server
// (rpc/server) and the Go SDK (sdk) so both read and write one definition.
//
// Optional parameters are pointers or omitempty fields: the server tells an
// absent key from a zero value, and clients leave unset keys out.
package wire

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/rpc"
)

// ContractVersion is the wire contract this module implements. Clients of the
// 0.8 line accept any 0.8.x.
const ContractVersion = "0.8.26"

// CurrentVersion is ContractVersion in the {major, minor, patch} form that
// capabilities/get and models/catalog carry.
func CurrentVersion() Version {
	v, _ := ParseVersion(ContractVersion) // a constant; wire tests pin that it parses
	return v
}

// Method names.
const (
	MethodInitialize     = "initialize"
	MethodInitialized    = "initialized"
	MethodCapabilities   = "capabilities/get"
	MethodModelsCatalog  = "models/catalog"
	MethodSessionCreate  = "session/create"
	MethodSessionList    = "session/list"
	MethodSessionRead    = "session/read"
	MethodSessionHistory = "session/history"
	MethodSessionArchive = "session/archive"
	MethodInjectContext  = "session/inject_context"
	MethodExternalEvent  = "session/external_event"
	MethodTurnStart      = "turn/start"
	MethodTurnInterrupt  = "turn/interrupt"
	MethodConfigGet      = "config/get"
	MethodConfigSet      = "config/set"
	MethodConfigPatch    = "config/patch"
	MethodToolsRegister  = "tools/register"
	MethodStreamOpen     = "session/stream_open"
	MethodStreamClose    = "session/stream_close"
	MethodSkillsList     = "skills/list"
	// MethodAgentJoin and MethodAgentLeave are rkat extensions: an agent
	// joins a realtime channel as a peer (package agentpeer).
	MethodAgentJoin  = "agent/join"
	MethodAgentLeave = "agent/leave"
	// MethodToolExecute is the server-to-client callback of a callback tool.
	MethodToolExecute = "tool/execute"
	// MethodSessionEvent is the notification carrying one run event.
	MethodSessionEvent = "session/event"
	// Notifications of an explicit session event stream (session/stream_open).
	MethodStreamEvent = "session/stream_event"
	MethodStreamEnd   = "session/stream_end"
)

// Version is a parsed contract version.
type Version struct {
	Major int `json:"major"`
	Minor int `json:"minor"`
	Patch int `json:"patch"`
}

// ParseVersion parses "major.minor.patch", ignoring -pre and +build suffixes.
func ParseVersion(s string) (Version, error) {
	if i := strings.IndexAny(s, "-+"); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return Version{}, fmt.Errorf("wire: version %q is not major.minor.patch", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return Version{}, fmt.Errorf("wire: version %q: bad number %q", s, p)
		}
		n[i] = v
	}
	return Version{n[0], n[1], n[2]}, nil
}

// CompatibleWith applies the contract's rule: with both majors 0 the minors
// must match, otherwise the majors must match; patch levels never matter.
func (v Version) CompatibleWith(o Version) bool {
	if v.Major == 0 && o.Major == 0 {
		return v.Minor == o.Minor
	}
	return v.Major == o.Major
}

// String formats v as major.minor.patch.
func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// ServerInfo names the server.
type ServerInfo struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// InitializeResult answers initialize.
type InitializeResult struct {
	ServerInfo      ServerInfo `json:"server_info"`
	ContractVersion string     `json:"contract_version"`
	Methods         []string   `json:"methods"`
}

// Capability statuses other than Available are single-key objects.
const StatusAvailable = "Available"

// Capability is one entry of capabilities/get. Status is the JSON string
// "Available" or a single-key object such as {"NotCompiled":{"feature":..}}.
type Capability struct {
	ID          string          `json:"id"`
	Description string          `json:"description"`
	Status      json.RawMessage `json:"status"`
}

// Available reports whether the status is exactly "Available".
func (c Capability) Available() bool { return string(c.Status) == `"`+StatusAvailable+`"` }

// StatusName returns "Available" or the key of a tagged status.
func (c Capability) StatusName() string {
	var s string
	if json.Unmarshal(c.Status, &s) == nil {
		return s
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(c.Status, &m) == nil {
		for k := range m {
			return k
		}
	}
	return ""
}

// CapabilitiesResult answers capabilities/get.
type CapabilitiesResult struct {
	ContractVersion Version      `json:"contract_version"`
	Capabilities    []Capability `json:"capabilities"`
}

// ModelsCatalog answers models/catalog.
type ModelsCatalog struct {
	ContractVersion Version              `json:"contract_version"`
	Providers       []llm.ProviderModels `json:"providers"`
}

// Duration is the contract's {"secs","nanos"} duration.
type Duration struct {
	Secs  int64 `json:"secs"`
	Nanos int64 `json:"nanos"`
}

// BudgetLimits is session/create's budget_limits.
type BudgetLimits struct {
	MaxTokens       *int64    `json:"max_tokens,omitempty"`
	MaxDuration     *Duration `json:"max_duration,omitempty"`
	MaxTurnDuration *Duration `json:"max_turn_duration,omitempty"`
	MaxToolCalls    *int      `json:"max_tool_calls,omitempty"`
}

// ToolSpec declares a callback tool (tools/register, external_tools).
type ToolSpec struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	InputSchema json.RawMessage `json:"input_schema"`
	Execution   json.RawMessage `json:"execution,omitempty"`
}

// CreateParams are session/create's params. Prompt, SystemPrompt and the
// injected context entries hold the raw ContentInput / union forms.
type CreateParams struct {
	Prompt                  json.RawMessage            `json:"prompt"`
	InitialTurn             string                     `json:"initial_turn,omitempty"`
	Model                   string                     `json:"model,omitempty"`
	Provider                string                     `json:"provider,omitempty"`
	MaxTokens               *int                       `json:"max_tokens,omitempty"`
	StructuredOutputRetries *int                       `json:"structured_output_retries,omitempty"`
	SystemPrompt            json.RawMessage            `json:"system_prompt,omitempty"`
	OutputSchema            json.RawMessage            `json:"output_schema,omitempty"`
	HooksOverride           json.RawMessage            `json:"hooks_override,omitempty"`
	EnableBuiltins          *bool                      `json:"enable_builtins,omitempty"`
	EnableShell             *bool                      `json:"enable_shell,omitempty"`
	EnableMemory            *bool                      `json:"enable_memory,omitempty"`
	EnableSchedule          *bool                      `json:"enable_schedule,omitempty"`
	EnableWorkgraph         *bool                      `json:"enable_workgraph,omitempty"`
	EnableMob               *bool                      `json:"enable_mob,omitempty"`
	EnableWebSearch         *bool                      `json:"enable_web_search,omitempty"`
	KeepAlive               bool                       `json:"keep_alive,omitempty"`
	CommsName               string                     `json:"comms_name,omitempty"`
	PeerMeta                json.RawMessage            `json:"peer_meta,omitempty"`
	BudgetLimits            *BudgetLimits              `json:"budget_limits,omitempty"`
	ProviderParams          map[string]json.RawMessage `json:"provider_params,omitempty"`
	AuthBinding             json.RawMessage            `json:"auth_binding,omitempty"`
	PreloadSkills           json.RawMessage            `json:"preload_skills,omitempty"`
	SkillRefs               json.RawMessage            `json:"skill_refs,omitempty"`
	Labels                  map[string]string          `json:"labels,omitempty"`
	ShellEnv                map[string]string          `json:"shell_env,omitempty"`
	AdditionalInstructions  []string                   `json:"additional_instructions,omitempty"`
	AppContext              json.RawMessage            `json:"app_context,omitempty"`
	ExternalTools           []ToolSpec                 `json:"external_tools,omitempty"`
	InjectedContext         []json.RawMessage          `json:"injected_context,omitempty"`
	TransientTurnContext    *string                    `json:"transient_turn_context,omitempty"`
}

// Initial turn modes of session/create.
const (
	InitialTurnRunImmediately = "run_immediately"
	InitialTurnDeferred       = "deferred"
)

// ToolOverlay is turn/start's turn_tool_overlay.
type ToolOverlay struct {
	AllowedTools []string `json:"allowed_tools,omitempty"`
	BlockedTools []string `json:"blocked_tools,omitempty"`
}

// TurnParams are turn/start's params. MaxTokens, OutputSchema and
// StructuredOutputRetries exist because clients may send them; the server
// rejects them (create-time only). ProviderParams and AuthBinding hold the
// tri-state forms (bare value, {"action":"set","value":..}, {"action":"clear"}).
type TurnParams struct {
	SessionID               string            `json:"session_id"`
	Prompt                  json.RawMessage   `json:"prompt"`
	InjectedContext         []json.RawMessage `json:"injected_context,omitempty"`
	TransientTurnContext    *string           `json:"transient_turn_context,omitempty"`
	AdditionalInstructions  []string          `json:"additional_instructions,omitempty"`
	SkillRefs               json.RawMessage   `json:"skill_refs,omitempty"`
	TurnToolOverlay         *ToolOverlay      `json:"turn_tool_overlay,omitempty"`
	KeepAlive               *bool             `json:"keep_alive,omitempty"`
	Model                   string            `json:"model,omitempty"`
	Provider                string            `json:"provider,omitempty"`
	SelfHostedServerID      string            `json:"self_hosted_server_id,omitempty"`
	SystemPrompt            *string           `json:"system_prompt,omitempty"`
	MaxTokens               *int              `json:"max_tokens,omitempty"`
	OutputSchema            json.RawMessage   `json:"output_schema,omitempty"`
	StructuredOutputRetries *int              `json:"structured_output_retries,omitempty"`
	ProviderParams          json.RawMessage   `json:"provider_params,omitempty"`
	AuthBinding             json.RawMessage   `json:"auth_binding,omitempty"`
}

// Usage is the wire usage of a run.
type Usage struct {
	InputTokens         int64 `json:"input_tokens"`
	OutputTokens        int64 `json:"output_tokens"`
	TotalTokens         int64 `json:"total_tokens"`
	CacheCreationTokens int64 `json:"cache_creation_tokens,omitempty"`
	CacheReadTokens     int64 `json:"cache_read_tokens,omitempty"`
}

// UsageOf converts llm usage to the wire form.
func UsageOf(u llm.Usage) Usage {
	return Usage{InputTokens: u.InputTokens, OutputTokens: u.OutputTokens, TotalTokens: u.Total(),
		CacheCreationTokens: u.CacheCreationTokens, CacheReadTokens: u.CacheReadTokens}
}

// RunResult is WireRunResult: the answer of session/create and turn/start.
type RunResult struct {
	SessionID         string                `json:"session_id"`
	SessionRef        string                `json:"session_ref,omitempty"`
	Text              string                `json:"text"`
	Turns             int                   `json:"turns"`
	ToolCalls         int                   `json:"tool_calls"`
	Usage             Usage                 `json:"usage"`
	TerminalCauseKind string                `json:"terminal_cause_kind,omitempty"`
	StructuredOutput  json.RawMessage       `json:"structured_output,omitempty"`
	ExtractionError   *ExtractionError      `json:"extraction_error,omitempty"`
	SchemaWarnings    []event.SchemaWarning `json:"schema_warnings,omitempty"`
}

// ExtractionError describes structured output that never validated.
type ExtractionError struct {
	LastOutput string `json:"last_output"`
	Attempts   int    `json:"attempts"`
	Reason     string `json:"reason"`
}

// DeferredResult answers a deferred session/create.
type DeferredResult struct {
	SessionID  string `json:"session_id"`
	SessionRef string `json:"session_ref,omitempty"`
}

// SessionIDParams is the params of methods keyed by session only.
type SessionIDParams struct {
	SessionID string `json:"session_id"`
}

// ListParams are the params of session/list and schedule/list.
type ListParams struct {
	Labels map[string]string `json:"labels,omitempty"`
	Limit  *int              `json:"limit,omitempty"`
	Offset *int              `json:"offset,omitempty"`
}

// SessionSummary is one entry of session/list; timestamps are unix seconds.
type SessionSummary struct {
	SessionID    string            `json:"session_id"`
	SessionRef   string            `json:"session_ref,omitempty"`
	CreatedAt    int64             `json:"created_at"`
	UpdatedAt    int64             `json:"updated_at"`
	MessageCount int               `json:"message_count"`
	TotalTokens  int64             `json:"total_tokens"`
	IsActive     bool              `json:"is_active"` // a turn is running
	Labels       map[string]string `json:"labels,omitempty"`
}

// ListResult answers session/list.
type ListResult struct {
	Sessions []SessionSummary `json:"sessions"`
}

// SessionInfo answers session/read.
type SessionInfo struct {
	SessionID         string `json:"session_id"`
	SessionRef        string `json:"session_ref,omitempty"`
	CreatedAt         int64  `json:"created_at"`
	UpdatedAt         int64  `json:"updated_at"`
	MessageCount      int    `json:"message_count"`
	IsActive          bool   `json:"is_active"` // a turn is running
	Model             string `json:"model"`
	Provider          string `json:"provider"`
	LastAssistantText string `json:"last_assistant_text,omitempty"`
	// ResolvedCapabilities are the catalog's capabilities of the session's
	// model; absent when the model is not catalogued.
	ResolvedCapabilities *ResolvedCapabilities `json:"resolved_capabilities,omitempty"`
	Labels               map[string]string     `json:"labels,omitempty"`
}

// ResolvedCapabilities are a model's modalities as session/read reports them.
type ResolvedCapabilities struct {
	Vision           bool `json:"vision"`
	ImageInput       bool `json:"image_input"`
	ImageToolResults bool `json:"image_tool_results"`
	InlineVideo      bool `json:"inline_video"`
	Realtime         bool `json:"realtime"`
	WebSearch        bool `json:"web_search"`
	ImageGeneration  bool `json:"image_generation"`
}

// HistoryParams are session/history's params.
type HistoryParams struct {
	SessionID string `json:"session_id"`
	Offset    *int   `json:"offset,omitempty"`
	Limit     *int   `json:"limit,omitempty"`
}

// History answers session/history.
type History struct {
	SessionID    string       `json:"session_id"`
	SessionRef   string       `json:"session_ref,omitempty"`
	MessageCount int          `json:"message_count"`
	Offset       int          `json:"offset"`
	Limit        *int         `json:"limit,omitempty"`
	HasMore      bool         `json:"has_more"`
	Messages     []HistoryRow `json:"messages"`
}

// History row roles.
const (
	RowSystem         = "system"
	RowSystemNotice   = "system_notice"
	RowUser           = "user"
	RowBlockAssistant = "block_assistant"
	RowToolResults    = "tool_results"
)

// HistoryRow is one committed row, tagged by Role; which fields are set
// depends on it (spec/agent-rpc.md 4.4). Content is a ContentInput (a string
// for plain text, else a block array) for user rows and a string for system
// rows.
type HistoryRow struct {
	Role           string            `json:"role"`
	CreatedAt      string            `json:"created_at"`
	RunID          string            `json:"run_id,omitempty"`
	Content        json.RawMessage   `json:"content,omitempty"`
	Identity       *RowIdentity      `json:"identity,omitempty"`
	TranscriptRole string            `json:"transcript_role,omitempty"`
	Kind           string            `json:"kind,omitempty"`
	Body           string            `json:"body,omitempty"`
	Blocks         []json.RawMessage `json:"blocks,omitempty"`
	StopReason     string            `json:"stop_reason,omitempty"`
	Results        []ToolResult      `json:"results,omitempty"`
}

// RowIdentity names where a system row came from.
type RowIdentity struct {
	Source         string `json:"source,omitempty"`
	IdempotencyKey string `json:"idempotency_key,omitempty"`
}

// AssistantBlock is one block of a block_assistant row.
type AssistantBlock struct {
	BlockType string          `json:"block_type"`
	Data      json.RawMessage `json:"data,omitempty"`
}

// ToolResult is one entry of a tool_results row.
type ToolResult struct {
	ToolUseID string          `json:"tool_use_id"`
	Content   json.RawMessage `json:"content"`
	IsError   bool            `json:"is_error,omitempty"`
}

// InjectParams are session/inject_context's params; Content is a block
// object, a string or a block array.
type InjectParams struct {
	SessionID      string          `json:"session_id"`
	Content        json.RawMessage `json:"content"`
	Source         string          `json:"source,omitempty"`
	IdempotencyKey string          `json:"idempotency_key,omitempty"`
}

// Inject statuses.
const (
	InjectApplied   = "applied"
	InjectDuplicate = "duplicate"
)

// InjectResult answers session/inject_context.
type InjectResult struct {
	Status string `json:"status"`
}

// ExternalEventParams are session/external_event's params.
type ExternalEventParams struct {
	SessionID string            `json:"session_id"`
	Kind      string            `json:"kind"`
	EventType string            `json:"event_type"`
	Payload   json.RawMessage   `json:"payload"`
	Blocks    []json.RawMessage `json:"blocks,omitempty"`
}

// ExternalKindGenericJSON is the only external event kind.
const ExternalKindGenericJSON = "generic_json"

// AcceptResult is RuntimeAcceptResult.
type AcceptResult struct {
	OutcomeType string `json:"outcome_type"`
	InputID     string `json:"input_id,omitempty"`
	ExistingID  string `json:"existing_id,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

// InterruptResult answers turn/interrupt.
type InterruptResult struct {
	SessionID   string `json:"session_id"`
	Interrupted bool   `json:"interrupted"`
	Result      string `json:"result"`
}

// ArchiveResult answers session/archive.
type ArchiveResult struct {
	Archived bool `json:"archived"`
}

// ConfigEnvelope answers the config methods.
type ConfigEnvelope struct {
	Config        json.RawMessage   `json:"config"`
	Generation    uint64            `json:"generation"`
	RealmID       *string           `json:"realm_id"`
	InstanceID    *string           `json:"instance_id"`
	Backend       string            `json:"backend"`
	ResolvedPaths map[string]string `json:"resolved_paths,omitempty"`
}

// ConfigSetParams is the wrapped form of config/set's params.
type ConfigSetParams struct {
	Config             json.RawMessage `json:"config"`
	ExpectedGeneration *uint64         `json:"expected_generation,omitempty"`
}

// ConfigPatchParams is the wrapped form of config/patch's params.
type ConfigPatchParams struct {
	Patch              json.RawMessage `json:"patch"`
	ExpectedGeneration *uint64         `json:"expected_generation,omitempty"`
}

// RegisterParams are tools/register's params.
type RegisterParams struct {
	Tools []ToolSpec `json:"tools"`
}

// RegisterResult answers tools/register.
type RegisterResult struct {
	Registered int `json:"registered"`
}

// ToolExecuteParams are the params of the tool/execute callback.
type ToolExecuteParams struct {
	ToolUseID string          `json:"tool_use_id"`
	Name      string          `json:"name"`
	Arguments json.RawMessage `json:"arguments"`
}

// ToolExecuteResult is the client's answer to tool/execute. Content is a
// string (or a block array).
type ToolExecuteResult struct {
	Content json.RawMessage `json:"content"`
	IsError bool            `json:"is_error"`
}

// EventSource is the source of an event envelope.
type EventSource struct {
	Type      string `json:"type"`
	SessionID string `json:"session_id,omitempty"`
}

// EventEnvelope is the event member of a session/event notification.
type EventEnvelope struct {
	EventID     string          `json:"event_id"`
	Source      EventSource     `json:"source"`
	Seq         uint64          `json:"seq"`
	TimestampMS uint64          `json:"timestamp_ms"`
	MobID       string          `json:"mob_id,omitempty"`
	Payload     json.RawMessage `json:"payload"`
}

// SessionEvent is the params of a session/event notification.
type SessionEvent struct {
	SessionID string        `json:"session_id"`
	Event     EventEnvelope `json:"event"`
}

// ErrorData is the semantic data of an error response.
type ErrorData struct {
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Details json.RawMessage `json:"details,omitempty"`
}

// Semantic error codes carried in error data.
const (
	ErrCodeParse                 = "PARSE_ERROR"
	ErrCodeInvalidRequest        = "INVALID_REQUEST"
	ErrCodeMethodNotFound        = "METHOD_NOT_FOUND"
	ErrCodeInvalidParams         = "INVALID_PARAMS"
	ErrCodeInternal              = "INTERNAL_ERROR"
	ErrCodeSessionNotFound       = "SESSION_NOT_FOUND"
	ErrCodeSessionBusy           = "SESSION_BUSY"
	ErrCodeRequestCancelled      = "REQUEST_CANCELLED"
	ErrCodeProviderError         = "PROVIDER_ERROR"
	ErrCodeBudgetExhausted       = "BUDGET_EXHAUSTED"
	ErrCodeHookDenied            = "HOOK_DENIED"
	ErrCodeCapabilityUnavailable = "CAPABILITY_UNAVAILABLE"
	ErrCodeSkillNotFound         = "SKILL_NOT_FOUND"
	ErrCodeSkillResolution       = "SKILL_RESOLUTION_FAILED"
	ErrCodeScheduleNotFound      = "SCHEDULE_NOT_FOUND"
)

// errorNames pairs each numeric error code with its semantic code.
var errorNames = map[int]string{
	rpc.CodeParseError:            ErrCodeParse,
	rpc.CodeInvalidRequest:        ErrCodeInvalidRequest,
	rpc.CodeMethodNotFound:        ErrCodeMethodNotFound,
	rpc.CodeInvalidParams:         ErrCodeInvalidParams,
	rpc.CodeInternalError:         ErrCodeInternal,
	rpc.CodeSessionNotFound:       ErrCodeSessionNotFound,
	rpc.CodeSessionBusy:           ErrCodeSessionBusy,
	rpc.CodeRequestCancelled:      ErrCodeRequestCancelled,
	rpc.CodeProviderError:         ErrCodeProviderError,
	rpc.CodeBudgetExhausted:       ErrCodeBudgetExhausted,
	rpc.CodeHookDenied:            ErrCodeHookDenied,
	rpc.CodeCapabilityUnavailable: ErrCodeCapabilityUnavailable,
	rpc.CodeSkillNotFound:         ErrCodeSkillNotFound,
	rpc.CodeSkillResolution:       ErrCodeSkillResolution,
	rpc.CodeScheduleNotFound:      ErrCodeScheduleNotFound,
}

// ErrorName returns the semantic code of a numeric error code, or "" for a
// code without one.
func ErrorName(code int) string { return errorNames[code] }

// NewError builds the error response for code, with its semantic code, the
// message and optional details in its data.
func NewError(code int, message string, details any) *rpc.Error {
	return rpc.NewError(code, ErrorName(code), message, details)
}

// AgentJoinParams are the params of agent/join: the realtime server, the
// channel, one credential (Key: a secret key sk_... mints tokens carrying
// the agent's metadata, any other key is a publishable key; or Token), and
// the agent. SessionID, when set, is the session of the channel's
// conversation.
type AgentJoinParams struct {
	URL          string         `json:"url"`
	Channel      string         `json:"channel"`
	Key          string         `json:"key,omitempty"`
	Token        string         `json:"token,omitempty"`
	Name         string         `json:"name,omitempty"`
	Model        string         `json:"model,omitempty"`
	Provider     string         `json:"provider,omitempty"`
	SystemPrompt *string        `json:"system_prompt,omitempty"`
	Metadata     map[string]any `json:"metadata,omitempty"`
	SessionID    string         `json:"session_id,omitempty"`
	AnswerAgents bool           `json:"answer_agents,omitempty"`
}

// AgentJoinResult is the result of agent/join, once the agent has joined.
type AgentJoinResult struct {
	AgentID  string          `json:"agent_id"`
	PeerID   string          `json:"peer_id"`
	Channel  string          `json:"channel"`
	Presence json.RawMessage `json:"presence_metadata"`
}

// AgentLeaveParams are the params of agent/leave.
type AgentLeaveParams struct {
	AgentID string `json:"agent_id"`
}

// AgentLeaveResult is the result of agent/leave.
type AgentLeaveResult struct {
	AgentID string `json:"agent_id"`
	Left    bool   `json:"left"`
}
