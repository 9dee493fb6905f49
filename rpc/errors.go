package rpc

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Wire error codes of the contract (spec/agent-rpc.md section 5).
const (
	CodeParseError            = -32700
	CodeInvalidRequest        = -32600
	CodeMethodNotFound        = -32601
	CodeInvalidParams         = -32602
	CodeInternalError         = -32603
	CodeSessionNotFound       = -32001
	CodeSessionBusy           = -32002
	CodeSessionNotRunning     = -32003
	CodeDuplicateInput        = -32004
	CodeRequestCancelled      = -32005
	CodeProviderError         = -32010
	CodeBudgetExhausted       = -32011
	CodeHookDenied            = -32012
	CodeAgentError            = -32013
	CodeCapabilityUnavailable = -32020
	CodeSkillNotFound         = -32021
	CodeSkillResolution       = -32022
	CodeScheduleNotFound      = -32023
	CodeWatermark             = -32027 // a cursor past an event log's watermark
)

// maxMessageBytes bounds the human-readable message of an error (4 KiB).
const maxMessageBytes = 4096

// ErrClosed is returned by operations on a connection that has ended.
var ErrClosed = errors.New("rpc: connection closed")

// ErrFrameTooLarge is returned by a Transport for an inbound frame over its
// limit; it ends the connection.
var ErrFrameTooLarge = errors.New("rpc: inbound frame too large")

// Error is a JSON-RPC error object. It is both the wire form and a Go error.
type Error struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func (e *Error) Error() string { return fmt.Sprintf("rpc error %d: %s", e.Code, e.Message) }

// ErrorData is the semantic payload carried in Error.Data so that SDKs get a
// symbolic code ("SESSION_BUSY") next to the numeric one.
type ErrorData struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Details any    `json:"details,omitempty"`
}

// NewError builds an error whose data holds the semantic code, the message
// and optional details. An empty semantic code leaves data out.
func NewError(code int, semantic, message string, details any) *Error {
	message = truncateMessage(message)
	e := &Error{Code: code, Message: message}
	if semantic == "" {
		return e
	}
	data, err := json.Marshal(ErrorData{Code: semantic, Message: message, Details: details})
	if err != nil {
		// Details that do not marshal are dropped rather than losing the error.
		data, _ = json.Marshal(ErrorData{Code: semantic, Message: message})
	}
	e.Data = data
	return e
}

// Errorf builds an error with a formatted message and no data.
func Errorf(code int, format string, args ...any) *Error {
	return &Error{Code: code, Message: truncateMessage(fmt.Sprintf(format, args...))}
}

// Semantic returns the semantic code of e's data, or "" when it has none.
func (e *Error) Semantic() string {
	var d struct {
		Code string `json:"code"`
	}
	if len(e.Data) == 0 || json.Unmarshal(e.Data, &d) != nil {
		return ""
	}
	return d.Code
}

func truncateMessage(s string) string {
	if len(s) <= maxMessageBytes {
		return s
	}
	cut := maxMessageBytes
	for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return s[:cut]
}
