package sdk

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/rkat-dev/rkat/rpc"
	"github.com/rkat-dev/rkat/rpc/wire"
)

// Error is every error the SDK returns for a failed call: a server error
// (RPCCode set) or a client-side condition. Match kinds with errors.Is
// against the sentinels below, which compare by Code.
type Error struct {
	// Code is the semantic code, e.g. "SESSION_BUSY".
	Code string
	// RPCCode is the JSON-RPC error code, 0 for client-side errors.
	RPCCode int
	Message string
	// Details is the server's data.details, when it sent any.
	Details json.RawMessage
	err     error
}

func (e *Error) Error() string {
	if e.RPCCode != 0 {
		return fmt.Sprintf("rkat: %s (%d): %s", e.Code, e.RPCCode, e.Message)
	}
	return fmt.Sprintf("rkat: %s: %s", e.Code, e.Message)
}

// Unwrap returns the underlying cause of a client-side error.
func (e *Error) Unwrap() error { return e.err }

// Is matches another *Error with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Sentinels for errors.Is.
var (
	ErrSessionNotFound       = &Error{Code: wire.ErrCodeSessionNotFound}
	ErrSessionBusy           = &Error{Code: wire.ErrCodeSessionBusy}
	ErrProviderError         = &Error{Code: wire.ErrCodeProviderError}
	ErrBudgetExhausted       = &Error{Code: wire.ErrCodeBudgetExhausted}
	ErrHookDenied            = &Error{Code: wire.ErrCodeHookDenied}
	ErrInvalidParams         = &Error{Code: wire.ErrCodeInvalidParams}
	ErrCapabilityUnavailable = &Error{Code: wire.ErrCodeCapabilityUnavailable}
	ErrRequestCancelled      = &Error{Code: wire.ErrCodeRequestCancelled}
	ErrMethodNotFound        = &Error{Code: wire.ErrCodeMethodNotFound}
	ErrInternal              = &Error{Code: wire.ErrCodeInternal}
	ErrVersionMismatch       = &Error{Code: "VERSION_MISMATCH"}
	ErrBinaryNotFound        = &Error{Code: "BINARY_NOT_FOUND"}
	ErrConnectionClosed      = &Error{Code: "CONNECTION_CLOSED"}
	ErrUnauthorized          = &Error{Code: "UNAUTHORIZED"} // the server refused Options.Key
	ErrStreamNotConsumed     = &Error{Code: "STREAM_NOT_CONSUMED"}
	ErrInvalidResponse       = &Error{Code: "INVALID_RESPONSE"}
)

// codeName names the numeric codes of servers that send no semantic data;
// others are reported as the stringified number.
func codeName(code int) string {
	if name := wire.ErrorName(code); name != "" {
		return name
	}
	return fmt.Sprint(code)
}

func clientError(kind *Error, err error, format string, args ...any) *Error {
	return &Error{Code: kind.Code, Message: fmt.Sprintf(format, args...), err: err}
}

// fromRPC converts a call's error into *Error.
func fromRPC(err error) error {
	var re *rpc.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &re):
		out := &Error{RPCCode: re.Code, Message: re.Message, Code: codeName(re.Code)}
		var d wire.ErrorData
		if len(re.Data) > 0 && json.Unmarshal(re.Data, &d) == nil && d.Code != "" {
			out.Code, out.Details = d.Code, d.Details
			if d.Message != "" {
				out.Message = d.Message
			}
		}
		return out
	case errors.Is(err, rpc.ErrClosed):
		return clientError(ErrConnectionClosed, err, "the rkat-rpc process is gone")
	}
	return err // context errors stay as they are
}
