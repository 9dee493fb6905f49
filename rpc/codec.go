package rpc

import (
	"bytes"
	"encoding/json"
)

// MaxIDBytes bounds the raw encoding of a request id; larger ids are invalid.
const MaxIDBytes = 256

var nullID = json.RawMessage("null")

// Message is one decoded JSON-RPC message. Exactly one of the predicates
// IsRequest, IsNotification and IsResponse holds for a message Parse accepts.
type Message struct {
	// ID is the raw id as it appeared on the wire (so a response can echo it
	// with the same JSON type); nil for notifications.
	ID     json.RawMessage
	Method string
	// Params is the raw params object; "{}" when the sender left it out.
	Params json.RawMessage
	Result json.RawMessage
	Error  *Error
}

// IsRequest reports whether m expects a response.
func (m *Message) IsRequest() bool { return m.Method != "" && m.ID != nil }

// IsNotification reports whether m is a notification.
func (m *Message) IsNotification() bool { return m.Method != "" && m.ID == nil }

// IsResponse reports whether m answers an earlier request.
func (m *Message) IsResponse() bool { return m.Method == "" }

type wireMessage struct {
	JSONRPC json.RawMessage `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  json.RawMessage `json:"method"`
	Params  json.RawMessage `json:"params"`
	Result  json.RawMessage `json:"result"`
	Error   json.RawMessage `json:"error"`
}

// Parse decodes one frame. On failure it returns the error to answer with and,
// when the frame was a request whose id could be read, a Message carrying
// that id (the answer echoes it); otherwise the answer's id is null.
func Parse(frame []byte) (*Message, *Error) {
	trimmed := bytes.TrimSpace(frame)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		// Only a frame that is not an object needs a separate validity
		// check, to tell bad JSON from a non-object; Unmarshal below
		// validates objects as it decodes them.
		if !json.Valid(trimmed) {
			return nil, Errorf(CodeParseError, "parse error: invalid JSON")
		}
		return nil, Errorf(CodeInvalidRequest, "invalid request: a message must be a JSON object (batches are not supported)")
	}
	var w wireMessage
	if err := json.Unmarshal(trimmed, &w); err != nil {
		return nil, Errorf(CodeParseError, "parse error: %v", err)
	}
	m := &Message{}
	if w.ID != nil {
		if len(w.ID) > MaxIDBytes {
			return nil, Errorf(CodeInvalidRequest, "invalid request: id longer than %d bytes", MaxIDBytes)
		}
		switch w.ID[0] {
		case '"', 'n', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			m.ID = w.ID
		default:
			return nil, Errorf(CodeInvalidRequest, "invalid request: id must be a string, a number or null")
		}
	}
	if !bytes.Equal(w.JSONRPC, []byte(`"2.0"`)) {
		return m, Errorf(CodeInvalidRequest, `invalid request: "jsonrpc" must be "2.0"`)
	}
	if w.Method != nil {
		if w.Method[0] != '"' || json.Unmarshal(w.Method, &m.Method) != nil || m.Method == "" {
			return m, Errorf(CodeInvalidRequest, "invalid request: method must be a non-empty string")
		}
		return m, parseParams(m, w.Params)
	}
	return parseResponse(m, &w)
}

func parseParams(m *Message, params json.RawMessage) *Error {
	switch {
	case params == nil || bytes.Equal(params, nullID):
		m.Params = json.RawMessage("{}")
	case params[0] == '{':
		m.Params = params
	case params[0] == '[':
		return Errorf(CodeInvalidParams, "invalid params: params must be an object (by-name), not an array")
	default:
		return Errorf(CodeInvalidRequest, "invalid request: params must be an object")
	}
	return nil
}

func parseResponse(m *Message, w *wireMessage) (*Message, *Error) {
	if m.ID == nil || bytes.Equal(m.ID, nullID) {
		if w.Error == nil {
			return nil, Errorf(CodeInvalidRequest, "invalid request: a message needs a method or an id")
		}
		m.ID = nullID // an error answering a frame we could not identify
	}
	switch {
	case w.Result != nil && w.Error == nil:
		m.Result = w.Result
	case w.Error != nil && w.Result == nil:
		var e Error
		if err := json.Unmarshal(w.Error, &e); err != nil || bytes.Equal(w.Error, nullID) {
			return nil, Errorf(CodeInvalidRequest, "invalid response: malformed error object")
		}
		m.Error = &e
	default:
		return nil, Errorf(CodeInvalidRequest, "invalid response: exactly one of result and error is required")
	}
	return m, nil
}

// AppendRequest appends a request frame (without the newline).
func AppendRequest(dst []byte, id json.RawMessage, method string, params json.RawMessage) []byte {
	dst = append(dst, `{"jsonrpc":"2.0","id":`...)
	dst = append(dst, id...)
	return appendMethodParams(dst, method, params)
}

// AppendNotification appends a notification frame (without the newline).
func AppendNotification(dst []byte, method string, params json.RawMessage) []byte {
	dst = append(dst, `{"jsonrpc":"2.0"`...)
	return appendMethodParams(dst, method, params)
}

func appendMethodParams(dst []byte, method string, params json.RawMessage) []byte {
	dst = append(dst, `,"method":`...)
	dst = AppendString(dst, method)
	if params != nil {
		dst = append(dst, `,"params":`...)
		dst = append(dst, params...)
	}
	return append(dst, '}')
}

// AppendResult appends a success response frame (without the newline).
func AppendResult(dst []byte, id, result json.RawMessage) []byte {
	dst = appendResponseHead(dst, id)
	dst = append(dst, `,"result":`...)
	if result == nil {
		result = nullID
	}
	dst = append(dst, result...)
	return append(dst, '}')
}

// AppendError appends an error response frame (without the newline).
func AppendError(dst []byte, id json.RawMessage, e *Error) []byte {
	dst = appendResponseHead(dst, id)
	body, err := json.Marshal(e)
	if err != nil { // only a Data that is not valid JSON gets here
		body, _ = json.Marshal(&Error{Code: e.Code, Message: e.Message})
	}
	dst = append(dst, `,"error":`...)
	dst = append(dst, body...)
	return append(dst, '}')
}

func appendResponseHead(dst []byte, id json.RawMessage) []byte {
	if id == nil {
		id = nullID
	}
	dst = append(dst, `{"jsonrpc":"2.0","id":`...)
	return append(dst, id...)
}

// AppendString appends s as a JSON string.
func AppendString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
			q, _ := json.Marshal(s)
			return append(dst, q...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}
