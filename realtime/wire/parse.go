package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/rkat-dev/rkat/internal/clip"
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
	Since                 *Since          // subscribe: nil when absent or null
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
	Since                 json.RawMessage `json:"since"`
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
		return fail(ErrUnknownType, fmt.Sprintf("unknown frame type %q", clip.Bytes(typ, 64)))
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
		since, err := parseSince(raw.Since)
		if err != nil {
			return fail(ErrMalformedMessage, err.Error())
		}
		f.Since = since
	}
	return f, nil
}

// MaxEpochLen bounds since.epoch.
const MaxEpochLen = 64

// parseSince validates a subscribe's since: absent or null, or an object
// with a non-negative integer offset and a string epoch of 1 to MaxEpochLen
// bytes. Unknown keys are ignored.
func parseSince(raw json.RawMessage) (*Since, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var v struct {
		Offset json.RawMessage `json:"offset"`
		Epoch  json.RawMessage `json:"epoch"`
	}
	if raw[0] != '{' || json.Unmarshal(raw, &v) != nil {
		return nil, errors.New("since must be an object")
	}
	offset, err := strconv.ParseUint(string(v.Offset), 10, 64)
	if err != nil {
		return nil, errors.New("since.offset must be a non-negative integer")
	}
	epoch, ok := rawString(v.Epoch)
	if !ok || epoch == "" || len(epoch) > MaxEpochLen {
		return nil, fmt.Errorf("since.epoch must be a string of 1 to %d bytes", MaxEpochLen)
	}
	return &Since{Offset: offset, Epoch: epoch}, nil
}
