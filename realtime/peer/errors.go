package peer

import (
	"errors"
	"fmt"
)

// Stable error codes (Code methods).
const (
	CodeReservedChannel  = "reserved_channel"
	CodeNotJoined        = "not_joined"
	CodeInvalidArgs      = "invalid_args"
	CodeSelfSend         = "self_send"
	CodeInvalidState     = "invalid_state"
	CodeTrackAttached    = "track_already_attached"
	CodeOversized        = "oversized_payload"
	CodeChannelOverflow  = "data_channel_overflow"
	CodeChannelClosed    = "data_channel_closed"
	CodeReconcileTimeout = "reconcile_timeout"
)

// ErrIceRestartExhausted is reported (as NegotiationError) after the ninth
// failed ICE restart of one connection.
var ErrIceRestartExhausted = errors.New("peer: ICE restart attempts exhausted")

// ErrReconcileTimeout is reported (as FatalError) when no presence snapshot
// arrived after a signalling reconnect despite re-subscribing.
var ErrReconcileTimeout = errors.New("peer: reconcile timed out: no presence after reconnect")

// SendError is a rejected Send, SendTo or Join argument.
type SendError struct {
	ErrCode string // CodeReservedChannel, CodeNotJoined, CodeInvalidArgs, CodeSelfSend
	Msg     string
}

func (e *SendError) Error() string { return "peer: " + e.Msg }

// Code returns the stable code.
func (e *SendError) Code() string { return e.ErrCode }

// StateError is a method called in a state that does not allow it.
type StateError struct {
	ErrCode string // CodeInvalidState or CodeTrackAttached
	Method  string
	State   State
}

func (e *StateError) Error() string {
	return fmt.Sprintf("peer: %s not allowed (%s, state %s)", e.Method, e.ErrCode, e.State)
}

// Code returns the stable code.
func (e *StateError) Code() string { return e.ErrCode }

// OversizedError is a payload over the server's message cap.
type OversizedError struct {
	Size, Cap int
}

func (e *OversizedError) Error() string {
	return fmt.Sprintf("peer: payload %d bytes exceeds server cap %d", e.Size, e.Cap)
}

// Code returns CodeOversized.
func (e *OversizedError) Code() string { return CodeOversized }

// DataChannelOverflowError is a Send refused because too many sends are
// already waiting for buffer space.
type DataChannelOverflowError struct {
	Queued, Cap int
}

func (e *DataChannelOverflowError) Error() string {
	return fmt.Sprintf("peer: data channel send queue overflowed (%d / cap %d)", e.Queued, e.Cap)
}

// Code returns CodeChannelOverflow.
func (e *DataChannelOverflowError) Code() string { return CodeChannelOverflow }

// DataChannelClosedError is a Send on a closed channel or a payload larger
// than the channel's buffer cap.
type DataChannelClosedError struct {
	Msg string
}

func (e *DataChannelClosedError) Error() string { return "peer: data channel: " + e.Msg }

// Code returns CodeChannelClosed.
func (e *DataChannelClosedError) Code() string { return CodeChannelClosed }
