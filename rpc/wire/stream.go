package wire

// StreamOpenResult answers session/stream_open.
type StreamOpenResult struct {
	StreamID  string `json:"stream_id"`
	SessionID string `json:"session_id"`
	Opened    bool   `json:"opened"`
}

// StreamEvent is the params of session/stream_event: one event of the
// stream's session, numbered from 1 by Sequence within the stream.
type StreamEvent struct {
	StreamID  string        `json:"stream_id"`
	Sequence  uint64        `json:"sequence"`
	SessionID string        `json:"session_id"`
	Event     EventEnvelope `json:"event"`
}

// StreamCloseParams are session/stream_close's params.
type StreamCloseParams struct {
	StreamID string `json:"stream_id"`
}

// StreamCloseResult answers session/stream_close; AlreadyClosed is true when
// the stream had ended or been closed before.
type StreamCloseResult struct {
	StreamID      string `json:"stream_id"`
	Closed        bool   `json:"closed"`
	AlreadyClosed bool   `json:"already_closed"`
}

// Outcomes of session/stream_end.
const (
	StreamRemoteEnd     = "remote_end"     // the session's event source ended
	StreamTerminalError = "terminal_error" // the stream failed (Error says why)
	StreamExplicitClose = "explicit_close" // the client closed it
)

// Error codes of a terminal_error stream end.
const (
	StreamQueueOverflow = "stream_queue_overflow"
	StreamReceiverGone  = "stream_receiver_gone"
)

// StreamEnd is the params of session/stream_end, the last notification of a
// stream.
type StreamEnd struct {
	StreamID  string       `json:"stream_id"`
	SessionID string       `json:"session_id"`
	Ended     bool         `json:"ended"`
	Outcome   string       `json:"outcome"`
	Error     *StreamError `json:"error,omitempty"`
}

// StreamError says why a stream ended with terminal_error.
type StreamError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}
