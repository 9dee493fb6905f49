package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// ClientFrame is a validated client → server frame as returned by
// ParseClientFrame. Type selects which fields are meaningful.
type ClientFrame struct {
	Type                  string
	RequestID             string
	Channel               string          // subscribe, unsubscribe, publish
	To                    string          // send
	Data                  json.RawMessage // publish, send: never nil; "null" for a JSON null
	IncludeSenderMetadata bool            // subscribe
}

// FrameError is a per-frame protocol error: the server answers it with an
// error frame carrying Code and, when non-empty, RequestID, and keeps the
// connection open.
type FrameError struct {
	Code      string
	Message   string
	RequestID string
}

// Error implements error.
func (e *FrameError) Error() string { return e.Code + ": " + e.Message }

// rawClientFrame captures each known key as raw JSON so that types can be
// checked one by one; absent keys stay nil.
type rawClientFrame struct {
	Type                  json.RawMessage `json:"type"`
	RequestID             json.RawMessage `json:"requestId"`
	Channel               json.RawMessage `json:"channel"`
	To                    json.RawMessage `json:"to"`
	Data                  json.RawMessage `json:"data"`
	IncludeSenderMetadata json.RawMessage `json:"includeSenderMetadata"`
}

// rawString decodes raw as a JSON string; ok is false when raw is absent or
// not a string.
func rawString(raw json.RawMessage) (s string, ok bool) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// ParseClientFrame decodes and validates one client text frame in the order
// of spec §2.4 steps 1–4 (shape only; reserved prefixes, permissions and
// authorization are the server's job). On failure it returns a *FrameError.
func ParseClientFrame(b []byte) (ClientFrame, error) {
	var raw rawClientFrame
	if !utf8.Valid(b) {
		return ClientFrame{}, &FrameError{Code: ErrMalformedMessage, Message: "frame is not valid UTF-8"}
	}
	trimmed := bytes.TrimLeft(b, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return ClientFrame{}, &FrameError{Code: ErrMalformedMessage, Message: "frame is not a JSON object"}
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return ClientFrame{}, &FrameError{Code: ErrMalformedMessage, Message: "frame is not valid JSON"}
	}
	rid, ridOK := rawString(raw.RequestID)
	ridOK = ridOK && rid != "" && utf8.RuneCountInString(rid) <= MaxRequestIDLen
	echo := ""
	if ridOK {
		echo = rid
	}
	typ, ok := rawString(raw.Type)
	if !ok {
		return ClientFrame{}, &FrameError{Code: ErrMalformedMessage, Message: "frame has no string type", RequestID: echo}
	}
	if raw.RequestID != nil && !ridOK {
		return ClientFrame{}, &FrameError{Code: ErrMalformedMessage,
			Message: fmt.Sprintf("requestId must be a string of 1 to %d characters", MaxRequestIDLen)}
	}
	f := ClientFrame{Type: typ, RequestID: echo}
	fail := func(code, msg string) (ClientFrame, error) {
		return ClientFrame{}, &FrameError{Code: code, Message: msg, RequestID: echo}
	}
	switch typ {
	case TypePing:
		return f, nil
	case TypeSubscribe, TypeUnsubscribe, TypePublish:
		ch, ok := rawString(raw.Channel)
		if !ok {
			return fail(ErrInvalidChannel, "channel must be a string")
		}
		if err := ValidateChannel(ch); err != nil {
			return fail(ErrInvalidChannel, "channel "+err.Error())
		}
		f.Channel = ch
	case TypeSend:
		to, ok := rawString(raw.To)
		if !ok {
			return fail(ErrInvalidPeerID, "to must be a string")
		}
		if err := ValidatePeerID(to); err != nil {
			return fail(ErrInvalidPeerID, "to "+err.Error())
		}
		f.To = to
	default:
		return fail(ErrUnknownType, fmt.Sprintf("unknown frame type %q", truncate(typ, 64)))
	}
	switch typ {
	case TypePublish, TypeSend:
		if raw.Data == nil {
			return fail(ErrMissingData, "data is required")
		}
		f.Data = raw.Data
	case TypeSubscribe:
		switch string(raw.IncludeSenderMetadata) {
		case "", "null", "false":
		case "true":
			f.IncludeSenderMetadata = true
		default:
			return fail(ErrMalformedMessage, "includeSenderMetadata must be a boolean")
		}
	}
	return f, nil
}

// truncate shortens s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
