package wire

import "encoding/json"

// Comms methods (spec §2.8).
const (
	MethodCommsSend            = "comms/send"
	MethodCommsPeers           = "comms/peers"
	MethodPeerResponseTerminal = "session/peer_response_terminal"
)

// CommsSendParams are comms/send's params.
type CommsSendParams struct {
	SessionID        string            `json:"session_id"`
	Kind             string            `json:"kind"`
	To               string            `json:"to,omitempty"`
	Body             string            `json:"body,omitempty"`
	Blocks           []json.RawMessage `json:"blocks,omitempty"`
	LifecycleKind    string            `json:"lifecycle_kind,omitempty"`
	Intent           string            `json:"intent,omitempty"`
	Params           json.RawMessage   `json:"params,omitempty"`
	InReplyTo        string            `json:"in_reply_to,omitempty"`
	Status           string            `json:"status,omitempty"`
	Result           json.RawMessage   `json:"result,omitempty"`
	Source           string            `json:"source,omitempty"`
	Stream           string            `json:"stream,omitempty"`
	AllowSelfSession *bool             `json:"allow_self_session,omitempty"`
	HandlingMode     string            `json:"handling_mode,omitempty"`
}

// CommsSendResult is one of comms/send's five result shapes; Kind selects
// which fields are present.
type CommsSendResult struct {
	Kind           string `json:"kind"`
	EnvelopeID     string `json:"envelope_id,omitempty"`
	InteractionID  string `json:"interaction_id,omitempty"`
	RequestID      string `json:"request_id,omitempty"`
	InReplyTo      string `json:"in_reply_to,omitempty"`
	Delivery       string `json:"delivery,omitempty"`
	StreamReserved *bool  `json:"stream_reserved,omitempty"`
}

// PeerResponseTerminalParams are session/peer_response_terminal's params.
type PeerResponseTerminalParams struct {
	SessionID   string          `json:"session_id"`
	PeerID      string          `json:"peer_id"`
	RequestID   string          `json:"request_id"`
	Status      string          `json:"status"`
	Result      json.RawMessage `json:"result"`
	DisplayName string          `json:"display_name,omitempty"`
}

// PeerMeta is session/create's peer_meta.
type PeerMeta struct {
	Description string            `json:"description,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
}
