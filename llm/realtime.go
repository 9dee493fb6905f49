package llm

import "context"

// RealtimeSampleRate is the sample rate of PCM16 audio on realtime sessions.
const RealtimeSampleRate = 24000

// AudioFormat names the audio encoding of a realtime session.
type AudioFormat string

// Audio formats of realtime sessions.
const (
	// AudioPCM16 is 16-bit little-endian PCM, 24 kHz, mono.
	AudioPCM16 AudioFormat = "pcm16"
	// AudioG711ULaw is G.711 μ-law, 8 kHz, mono.
	AudioG711ULaw AudioFormat = "g711_ulaw"
)

// RealtimeProvider opens persistent bidirectional model sessions (OpenAI's
// Realtime API, or the scripted provider's offline twin).
type RealtimeProvider interface {
	OpenRealtime(ctx context.Context, cfg RealtimeConfig) (RealtimeConn, error)
}

// AudioFormats is implemented by realtime providers that take audio formats
// other than AudioPCM16 (a caller with G.711 audio then passes it through
// untranscoded).
type AudioFormats interface {
	AcceptsAudio(f AudioFormat) bool
}

// RealtimeConfig configures a realtime session; Update commands carry the
// mutable part of it (instructions, tools, audio formats).
type RealtimeConfig struct {
	Model        string
	Instructions string
	Voice        string // empty: the provider's default
	Tools        []ToolDef
	InputFormat  AudioFormat // empty: AudioPCM16
	OutputFormat AudioFormat // empty: AudioPCM16
	// ServerVAD lets the provider detect the end of speech and answer on its
	// own; without it the caller commits the audio buffer explicitly.
	ServerVAD bool
	// TextOnly asks for text responses instead of audio.
	TextOnly bool
	// History seeds the conversation (text, tool calls and results).
	History []Message
}

// RealtimeCommandType names a command sent to a realtime session.
type RealtimeCommandType uint8

// Realtime commands.
const (
	// RTUpdate applies Config's instructions, tools and audio formats.
	RTUpdate RealtimeCommandType = iota + 1
	// RTAppendAudio appends Audio (in the session's input format).
	RTAppendAudio
	// RTCommitAudio ends the user's audio turn.
	RTCommitAudio
	// RTUserText adds a user text message.
	RTUserText
	// RTToolResult returns Text as the output of the call CallID.
	RTToolResult
	// RTRespond asks for a response (text only when TextOnly).
	RTRespond
	// RTCancel cancels the response in progress.
	RTCancel
	// RTTruncate cuts the assistant item ItemID at AudioEndMS of audio.
	RTTruncate
)

// RealtimeCommand is one command to a realtime session; which fields
// matter depends on Type.
type RealtimeCommand struct {
	Type         RealtimeCommandType
	Config       RealtimeConfig
	Audio        []byte
	Text         string
	CallID       string
	TextOnly     bool
	ItemID       string
	ContentIndex int
	AudioEndMS   int
}

// RealtimeEventType names an event of a realtime session.
type RealtimeEventType uint8

// Realtime events.
const (
	// RTReady: the session is configured and takes input.
	RTReady RealtimeEventType = iota + 1
	// RTSpeechStarted / RTSpeechStopped: voice activity (server VAD).
	RTSpeechStarted
	RTSpeechStopped
	// RTInputCommitted: the user's audio became item ItemID.
	RTInputCommitted
	// RTUserTranscript: the final transcript Text of user audio ItemID.
	RTUserTranscript
	// RTTextDelta, RTAudioDelta, RTTranscriptDelta: response output; Audio
	// is in the session's output format.
	RTTextDelta
	RTAudioDelta
	RTTranscriptDelta
	// RTToolCall: the model calls ToolCall and waits for its result.
	RTToolCall
	// RTResponseDone ends a response with StopReason and Usage; Text is the
	// response's full text or transcript.
	RTResponseDone
	// RTTruncated confirms a truncation of ItemID.
	RTTruncated
	// RTError is a provider error that leaves the session open (Err).
	RTError
	// RTRateLimited: a rate limit of the provider is exhausted; Err says
	// which and for how long (RetryAfter). Responses in progress go on.
	RTRateLimited
)

// RealtimeEvent is one event of a realtime session; which fields matter
// depends on Type.
type RealtimeEvent struct {
	Type         RealtimeEventType
	ResponseID   string
	ItemID       string
	ContentIndex int
	Text         string
	Audio        []byte
	ToolCall     *ToolCall
	Usage        Usage
	StopReason   StopReason
	AudioEndMS   int
	Err          *Error
}

// RealtimeConn is an open realtime session. Send may be called from several
// goroutines; Recv from one at a time. A Recv error means the session is
// gone (for example the socket dropped); Close ends it and may be called
// more than once.
type RealtimeConn interface {
	Send(ctx context.Context, cmd RealtimeCommand) error
	// Recv waits for the next event. Cancelling ctx ends the session.
	Recv(ctx context.Context) (RealtimeEvent, error)
	Close() error
}
