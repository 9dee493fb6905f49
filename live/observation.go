package live

import (
	"encoding/base64"
	"encoding/json"

	"github.com/rkat-dev/rkat/llm"
)

// Status is a channel state.
type Status string

// Channel states.
const (
	StatusIdle     Status = "idle"
	StatusOpening  Status = "opening"
	StatusReady    Status = "ready"
	StatusDegraded Status = "degraded"
	StatusClosing  Status = "closing"
	StatusClosed   Status = "closed"
)

// State is a channel's status with its reason (always set when degraded:
// kind rate_limited, provider_throttled, network_unstable or other with a
// detail; set on closed when the channel closed for a cause other than
// live/close).
type State struct {
	Status Status `json:"status"`
	Reason Reason `json:"reason,omitempty"`
}

// Observation is one server->client event of a channel, tagged by Kind
// ("observation" on the wire, spec/agent-rpc.md section 6). Audio holds
// assistant audio as PCM16 24 kHz mono for Go consumers; JSON carries it
// base64 in data.
type Observation struct {
	Kind           string          `json:"observation"`
	Text           string          `json:"text,omitempty"`
	Delta          string          `json:"delta,omitempty"`
	Audio          []byte          `json:"-"`
	SampleRateHz   int             `json:"sample_rate_hz,omitempty"`
	Channels       int             `json:"channels,omitempty"`
	ItemID         string          `json:"item_id,omitempty"`
	ContentIndex   *int            `json:"content_index,omitempty"`
	ResponseID     string          `json:"response_id,omitempty"`
	ProviderItemID string          `json:"provider_item_id,omitempty"`
	StopReason     llm.StopReason  `json:"stop_reason,omitempty"`
	Usage          *llm.Usage      `json:"usage,omitempty"`
	ProviderCallID string          `json:"provider_call_id,omitempty"`
	ToolName       string          `json:"tool_name,omitempty"`
	Arguments      json.RawMessage `json:"arguments,omitempty"`
	Status         *State          `json:"status,omitempty"`
	Code           any             `json:"code,omitempty"`
	Message        string          `json:"message,omitempty"`
	Event          map[string]any  `json:"event,omitempty"`
	IdempotencyKey *string         `json:"idempotency_key,omitempty"`
	MediaType      string          `json:"media_type,omitempty"`
	AudioEndMS     *int            `json:"audio_end_ms,omitempty"`
}

// Observation kinds.
const (
	ObsReady              = "ready"
	ObsStatusChanged      = "status_changed"
	ObsUserTranscript     = "user_transcript_final"
	ObsUserCommitted      = "user_content_committed"
	ObsTextDelta          = "assistant_text_delta"
	ObsTranscriptDelta    = "assistant_transcript_delta"
	ObsAudioChunk         = "assistant_audio_chunk"
	ObsTranscriptFinal    = "assistant_transcript_final"
	ObsTranscriptTruncate = "assistant_transcript_truncated"
	ObsRealtimeTranscript = "realtime_transcript"
	ObsToolCall           = "tool_call_requested"
	ObsTurnInterrupted    = "turn_interrupted"
	ObsTurnCompleted      = "turn_completed"
	ObsError              = "error"
	ObsCommandRejected    = "command_rejected"
)

// MarshalJSON encodes o with its audio as base64 data.
func (o Observation) MarshalJSON() ([]byte, error) {
	type plain Observation
	return json.Marshal(struct {
		plain
		Data string `json:"data,omitempty"`
	}{plain(o), base64.StdEncoding.EncodeToString(o.Audio)})
}

func intp(v int) *int { return &v }
