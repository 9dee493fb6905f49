package comms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// ErrEnvelope reports a malformed envelope.
var ErrEnvelope = errors.New("comms: malformed envelope")

// Envelope kinds carried between peers.
const (
	KindMessage   = "peer_message"
	KindRequest   = "peer_request"
	KindResponse  = "peer_response"
	KindLifecycle = "peer_lifecycle"
)

// Handling modes: queue delivers at the receiver's next turn boundary,
// steer into its running turn at the next model call.
const (
	HandlingQueue = "queue"
	HandlingSteer = "steer"
)

// Response statuses: accepted is interim, the others are terminal.
const (
	StatusAccepted  = "accepted"
	StatusCompleted = "completed"
	StatusFailed    = "failed"
	StatusCancelled = "cancelled"
)

// maxEnvelope bounds an inbound envelope's serialized size.
const maxEnvelope = 256 << 10

// Envelope is the data of one directed send frame between peers. Only Kind
// is required; the sender is the frame's authenticated sender peer id,
// never a field of the envelope.
type Envelope struct {
	Kind          string          `json:"kind"`
	ID            string          `json:"id,omitempty"`
	Body          string          `json:"body,omitempty"`
	Intent        string          `json:"intent,omitempty"`
	Params        json.RawMessage `json:"params,omitempty"`
	RequestID     string          `json:"request_id,omitempty"`
	InReplyTo     string          `json:"in_reply_to,omitempty"`
	Status        string          `json:"status,omitempty"`
	Result        json.RawMessage `json:"result,omitempty"`
	LifecycleKind string          `json:"lifecycle_kind,omitempty"`
	HandlingMode  string          `json:"handling_mode,omitempty"`
}

// ParseEnvelope decodes and validates the data of a send frame.
func ParseEnvelope(data []byte) (Envelope, error) {
	var e Envelope
	if len(data) > maxEnvelope {
		return e, fmt.Errorf("%w: %d bytes (max %d)", ErrEnvelope, len(data), maxEnvelope)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return Envelope{}, fmt.Errorf("%w: %v", ErrEnvelope, err)
	}
	if dec.More() {
		return Envelope{}, fmt.Errorf("%w: trailing data", ErrEnvelope)
	}
	return e, e.Validate()
}

// Validate checks the fields each kind requires.
func (e Envelope) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrEnvelope}, args...)...)
	}
	if e.HandlingMode != "" && e.HandlingMode != HandlingQueue && e.HandlingMode != HandlingSteer {
		return bad("handling_mode must be %q or %q", HandlingQueue, HandlingSteer)
	}
	switch e.Kind {
	case KindMessage:
		if e.Body == "" {
			return bad("peer_message needs a body")
		}
	case KindRequest:
		if e.RequestID == "" || e.Intent == "" {
			return bad("peer_request needs request_id and intent")
		}
	case KindResponse:
		if e.InReplyTo == "" {
			return bad("peer_response needs in_reply_to")
		}
		if !slices.Contains([]string{StatusAccepted, StatusCompleted, StatusFailed, StatusCancelled}, e.Status) {
			return bad("peer_response status %q is not accepted, completed, failed or cancelled", e.Status)
		}
	case KindLifecycle:
		if e.LifecycleKind == "" {
			return bad("peer_lifecycle needs lifecycle_kind")
		}
	default:
		return bad("unknown kind %q", e.Kind)
	}
	return nil
}

// Terminal reports whether a response ends its request.
func (e Envelope) Terminal() bool { return e.Kind == KindResponse && e.Status != StatusAccepted }
