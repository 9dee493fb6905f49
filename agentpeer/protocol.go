package agentpeer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Message types of the text protocol (docs/agent-peer-protocol.md).
const (
	TypeChat      = "chat"
	TypeChatDelta = "chat.delta"
	TypeChatError = "chat.error"
	TypeChatTool  = "chat.tool"
)

// Tool statuses of a chat.tool message.
const (
	ToolStarted = "started"
	ToolDone    = "done"
)

// Chat is a prompt ({"type":"chat","text"}) or, with Turn set, the full
// answer of a turn. In a voice conversation it carries a transcript: Voice
// is set and Role says whose words they are (RoleUser or RoleAssistant).
type Chat struct {
	Type      string `json:"type"`
	Turn      string `json:"turn,omitempty"`
	Text      string `json:"text"`
	InReplyTo string `json:"in_reply_to,omitempty"`
	Role      string `json:"role,omitempty"`
	Voice     bool   `json:"voice,omitempty"`
}

// Roles of a voice transcript.
const (
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// ChatDelta is one fragment of an answer; a turn's deltas concatenate to
// its text.
type ChatDelta struct {
	Type  string `json:"type"`
	Turn  string `json:"turn"`
	Delta string `json:"delta"`
}

// ChatError ends a failed turn or answers input the agent cannot take.
type ChatError struct {
	Type      string `json:"type"`
	Turn      string `json:"turn"`
	Error     string `json:"error"`
	InReplyTo string `json:"in_reply_to,omitempty"`
	Voice     bool   `json:"voice,omitempty"`
}

// ChatTool announces tool activity during a turn.
type ChatTool struct {
	Type   string `json:"type"`
	Turn   string `json:"turn"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

// Why a message is not a prompt.
var (
	// errNotPrompt: the message is not meant for the agent (other JSON, or
	// an answer of the protocol). Ignored on the channel, answered when
	// sent directly.
	errNotPrompt = errors.New(`not a prompt: send a string or {"type":"chat","text":"..."}`)
	// errBadPrompt: the message is a prompt but unusable; always answered.
	errBadPrompt = errors.New("bad prompt")
)

// parsePrompt returns the prompt text carried by data: a JSON string, or an
// object {"type":"chat","text":"..."} without a turn (an object with a turn
// is an answer of this protocol, never a prompt). The text must be
// non-blank valid UTF-8 of at most maxBytes bytes.
func parsePrompt(data json.RawMessage, maxBytes int) (string, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return "", errNotPrompt
	}
	var text string
	switch data[0] {
	case '"':
		if err := json.Unmarshal(data, &text); err != nil {
			return "", fmt.Errorf("%w: invalid JSON string", errBadPrompt)
		}
	case '{':
		var m struct {
			Type json.RawMessage `json:"type"`
			Turn json.RawMessage `json:"turn"`
			Text json.RawMessage `json:"text"`
		}
		if json.Unmarshal(data, &m) != nil {
			return "", errNotPrompt
		}
		var typ string
		if json.Unmarshal(m.Type, &typ) != nil || typ != TypeChat || m.Turn != nil {
			return "", errNotPrompt
		}
		if m.Text == nil || json.Unmarshal(m.Text, &text) != nil {
			return "", fmt.Errorf(`%w: "text" of a chat message must be a string`, errBadPrompt)
		}
	default:
		return "", errNotPrompt
	}
	switch {
	case len(text) > maxBytes:
		return "", fmt.Errorf("%w: the prompt is %d bytes, at most %d are taken", errBadPrompt, len(text), maxBytes)
	case !utf8.ValidString(text):
		return "", fmt.Errorf("%w: the prompt is not valid UTF-8", errBadPrompt)
	case strings.TrimSpace(text) == "":
		return "", fmt.Errorf("%w: the prompt is empty", errBadPrompt)
	}
	return text, nil
}

// peerInfo is what the agent reads from a peer's presence metadata.
type peerInfo struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// infoOf decodes presence metadata leniently: anything else is an unnamed
// person.
func infoOf(meta json.RawMessage) peerInfo {
	var raw struct {
		Kind any `json:"kind"`
		Name any `json:"name"`
	}
	if len(meta) == 0 || json.Unmarshal(meta, &raw) != nil {
		return peerInfo{}
	}
	kind, _ := raw.Kind.(string)
	name, _ := raw.Name.(string)
	return peerInfo{Kind: kind, Name: name}
}
