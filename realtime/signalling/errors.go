package signalling

import (
	"errors"
	"fmt"
	"time"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// Stable error codes returned by Error.Code. Server-sent codes (see
// ServerRequestError) pass through verbatim instead.
const (
	CodeConnect          = "connect_failed"
	CodeAckTimeout       = "ack_timeout"
	CodeDisconnected     = "disconnected"
	CodeInvalidArgs      = "invalid_args"
	CodeOversized        = "oversized_payload"
	CodeInvalidState     = "invalid_state"
	CodeTokenProvider    = "token_provider_failed"
	CodeClosedTerminally = "closed_terminally"
)

// Coder is implemented by every error of this package: Code returns a stable
// machine-readable string to branch on instead of the message.
type Coder interface {
	error
	Code() string
}

// ErrClosed is returned by requests on a client that was closed.
var ErrClosed = errors.New("signalling: client closed")

// ConnectError reports a connection attempt that failed before the welcome
// frame: a dial error, a close code from the server, or the welcome timeout.
type ConnectError struct {
	CloseCode   int    // WebSocket close code, 0 when the socket never opened
	CloseReason string // close reason sent by the server, if any
	Err         error  // underlying cause
}

func (e *ConnectError) Error() string {
	if e.CloseCode != 0 {
		return fmt.Sprintf("signalling: connect failed: close %d %q: %v", e.CloseCode, e.CloseReason, e.Err)
	}
	return fmt.Sprintf("signalling: connect failed: %v", e.Err)
}

// Code returns CodeConnect.
func (e *ConnectError) Code() string { return CodeConnect }

// Unwrap returns the cause.
func (e *ConnectError) Unwrap() error { return e.Err }

// ServerRequestError is an error frame correlated to one request.
type ServerRequestError struct {
	ServerCode string // e.g. "channel_not_authorized"
	Message    string
	RequestID  string
}

func (e *ServerRequestError) Error() string {
	return fmt.Sprintf("signalling: server rejected request %s: %s: %s", e.RequestID, e.ServerCode, e.Message)
}

// Code returns the server's error code verbatim.
func (e *ServerRequestError) Code() string { return e.ServerCode }

// AckTimeoutError reports a request with no ack within the timeout.
type AckTimeoutError struct {
	RequestID string
	Timeout   time.Duration
}

func (e *AckTimeoutError) Error() string {
	return fmt.Sprintf("signalling: no ack for request %s within %s", e.RequestID, e.Timeout)
}

// Code returns CodeAckTimeout.
func (e *AckTimeoutError) Code() string { return CodeAckTimeout }

// DisconnectedError reports a request made or pending while the socket was
// not connected.
type DisconnectedError struct {
	State State
}

func (e *DisconnectedError) Error() string {
	return fmt.Sprintf("signalling: not connected (state %s)", e.State)
}

// Code returns CodeDisconnected.
func (e *DisconnectedError) Code() string { return CodeDisconnected }

// Is makes errors.Is(err, ErrClosed) true once the client is closed.
func (e *DisconnectedError) Is(target error) bool {
	return target == ErrClosed && e.State == StateClosed
}

// ArgumentError reports invalid arguments detected client-side.
type ArgumentError struct {
	ErrCode string // CodeInvalidArgs, CodeOversized or CodeInvalidState
	Msg     string
}

func (e *ArgumentError) Error() string { return "signalling: " + e.Msg }

// Code returns the stable code.
func (e *ArgumentError) Code() string { return e.ErrCode }

// TokenProviderFailure wraps an error returned by the token provider.
type TokenProviderFailure struct {
	Err error
}

func (e *TokenProviderFailure) Error() string {
	return fmt.Sprintf("signalling: token provider: %v", e.Err)
}

// Code returns CodeTokenProvider.
func (e *TokenProviderFailure) Code() string { return CodeTokenProvider }

// Unwrap returns the provider's error.
func (e *TokenProviderFailure) Unwrap() error { return e.Err }

// TerminalCloseError describes a close code that stops reconnecting
// (4001, 4003, 4012, 4020). Name is the SDK's stable name for the code.
type TerminalCloseError struct {
	CloseCode int
	Reason    string
}

func (e *TerminalCloseError) Error() string {
	return fmt.Sprintf("signalling: closed terminally: %s (code %d) %s", e.Name(), e.CloseCode, e.Reason)
}

// Code returns CodeClosedTerminally.
func (e *TerminalCloseError) Code() string { return CodeClosedTerminally }

// Name returns the JS SDK's name for the close code, e.g. "invalid_token".
func (e *TerminalCloseError) Name() string { return wire.CloseCodeName(e.CloseCode) }
