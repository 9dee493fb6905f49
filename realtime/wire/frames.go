package wire

import "encoding/json"

// Frame type strings carried in every frame's "type" field.
const (
	// Client → server.
	TypeSubscribe   = "subscribe"
	TypeUnsubscribe = "unsubscribe"
	TypePublish     = "publish"
	TypeSend        = "send"
	TypePing        = "ping"

	// Server → client.
	TypeWelcome   = "welcome"
	TypeAck       = "ack"
	TypeError     = "error"
	TypeMessage   = "message"
	TypeDirect    = "direct"
	TypePresence  = "presence"
	TypeGoingAway = "going_away"
	TypePong      = "pong"
)

// Permission names granted by publishable keys and JWT "permissions" claims.
const (
	PermSubscribe = "subscribe"
	PermPublish   = "publish"
	PermPresence  = "presence"
	PermSend      = "send"
	// PermRPC admits a key or token to the agent runtime's JSON-RPC
	// endpoint of `rkat serve` (/rpc); the messaging hub ignores it.
	PermRPC = "rpc"
)

// Subscribe asks to join a channel (client → server). Type must be TypeSubscribe.
type Subscribe struct {
	Type                  string `json:"type"`
	Channel               string `json:"channel"`
	RequestID             string `json:"requestId,omitempty"`
	IncludeSenderMetadata bool   `json:"includeSenderMetadata,omitempty"`
	// Since asks to recover the messages after a known position (rkat
	// extension, docs/realtime-protocol.md).
	Since *Since `json:"since,omitempty"`
}

// Since is a position in a channel's history: the last offset a client has
// seen under epoch Epoch.
type Since struct {
	Offset uint64 `json:"offset"`
	Epoch  string `json:"epoch"`
}

// Recovery reasons carried by a subscribe ack with Recovered false.
const (
	ReasonHistoryDisabled = "history_disabled"
	ReasonEpochChanged    = "epoch_changed"
	ReasonTooFarBehind    = "too_far_behind"
)

// Unsubscribe leaves a channel (client → server). Type must be TypeUnsubscribe.
type Unsubscribe struct {
	Type      string `json:"type"`
	Channel   string `json:"channel"`
	RequestID string `json:"requestId,omitempty"`
}

// Publish broadcasts Data to the other subscribers of Channel (client →
// server). Type must be TypePublish. A nil Data encodes as JSON null.
type Publish struct {
	Type      string          `json:"type"`
	Channel   string          `json:"channel"`
	Data      json.RawMessage `json:"data"`
	RequestID string          `json:"requestId,omitempty"`
}

// Send delivers Data to one peer by id (client → server). Type must be
// TypeSend. A nil Data encodes as JSON null.
type Send struct {
	Type      string          `json:"type"`
	To        string          `json:"to"`
	Data      json.RawMessage `json:"data"`
	RequestID string          `json:"requestId,omitempty"`
}

// Ping is the application-level keepalive (client → server); the server
// answers with Pong, never with an ack. Type must be TypePing.
type Ping struct {
	Type string `json:"type"`
}

// Welcome is the first server frame on every connection. ExpiresAt is nil
// (encoded as null, never omitted) for publishable-key connections.
type Welcome struct {
	Type           string          `json:"type"`
	PeerID         string          `json:"peerId"`
	ExpiresAt      *int64          `json:"expiresAt"`
	ServerTime     int64           `json:"serverTime"`
	MaxMessageSize int             `json:"maxMessageSize"`
	Metadata       json.RawMessage `json:"metadata,omitempty"`
}

// Ack confirms the request with the same RequestID. The other fields are
// the history extension (docs/realtime-protocol.md), set only on the ack of
// a subscribe to a channel with history: Epoch and Offset are the channel's
// position (Offset the last assigned, 0 before any), Recovered and Reason
// answer a subscribe that carried since.
type Ack struct {
	Type      string `json:"type"`
	RequestID string `json:"requestId"`
	Epoch     string `json:"epoch,omitempty"`
	Offset    uint64 `json:"offset,omitempty"`
	Recovered *bool  `json:"recovered,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

// Error reports a failed request (correlated by RequestID when the request
// carried one). Code is one of the Err* constants.
type Error struct {
	Type      string `json:"type"`
	Code      string `json:"code"`
	Message   string `json:"message,omitempty"`
	RequestID string `json:"requestId,omitempty"`
}

// Message is a channel broadcast delivered to subscribers. FromMetadata is set
// only when the receiving subscription opted in and the sender has
// peerMetadata. A nil Data encodes as JSON null (the key is always present).
// Offset (from 1) and Epoch are set only on channels with history.
type Message struct {
	Type         string          `json:"type"`
	Channel      string          `json:"channel"`
	From         string          `json:"from"`
	Data         json.RawMessage `json:"data"`
	FromMetadata json.RawMessage `json:"fromMetadata,omitempty"`
	Offset       uint64          `json:"offset,omitempty"`
	Epoch        string          `json:"epoch,omitempty"`
}

// Direct is a message from one peer to another (the result of a Send).
type Direct struct {
	Type         string          `json:"type"`
	From         string          `json:"from"`
	Data         json.RawMessage `json:"data"`
	FromMetadata json.RawMessage `json:"fromMetadata,omitempty"`
}

// PresenceEntry names one channel member; Metadata is the member's
// peerMetadata (omitted for publishable-key peers).
type PresenceEntry struct {
	PeerID   string          `json:"peerId"`
	Metadata json.RawMessage `json:"metadata,omitempty"`
}

// Presence reports joins and leaves on a channel. Both arrays are always
// encoded, as [] when empty (the JS SDK drops a frame missing either).
type Presence struct {
	Type    string          `json:"type"`
	Channel string          `json:"channel"`
	Joined  []PresenceEntry `json:"joined"`
	Left    []PresenceEntry `json:"left"`
}

// MarshalJSON encodes p with nil Joined/Left as empty arrays.
func (p Presence) MarshalJSON() ([]byte, error) {
	type plain Presence
	if p.Joined == nil {
		p.Joined = []PresenceEntry{}
	}
	if p.Left == nil {
		p.Left = []PresenceEntry{}
	}
	return json.Marshal(plain(p))
}

// GoingAway announces a graceful shutdown; a 1001 close follows.
type GoingAway struct {
	Type         string `json:"type"`
	RetryAfterMs int    `json:"retryAfterMs"`
}

// Pong answers a Ping.
type Pong struct {
	Type string `json:"type"`
}

// ServerFrame is a decoding envelope for any server → client frame: Type
// selects which of the other fields are meaningful. Raw JSON fields are nil
// when the key was absent; Data holds "null" when the key was present with a
// null value.
type ServerFrame struct {
	Type string `json:"type"`

	// welcome
	PeerID         string          `json:"peerId,omitempty"`
	ExpiresAt      *int64          `json:"expiresAt,omitempty"`
	ServerTime     int64           `json:"serverTime,omitempty"`
	MaxMessageSize int             `json:"maxMessageSize,omitempty"`
	Metadata       json.RawMessage `json:"metadata,omitempty"`

	// ack, error
	RequestID string `json:"requestId,omitempty"`
	Code      string `json:"code,omitempty"`
	Message   string `json:"message,omitempty"`

	// message, direct, presence
	Channel      string          `json:"channel,omitempty"`
	From         string          `json:"from,omitempty"`
	Data         json.RawMessage `json:"data,omitempty"`
	FromMetadata json.RawMessage `json:"fromMetadata,omitempty"`
	Joined       []PresenceEntry `json:"joined,omitempty"`
	Left         []PresenceEntry `json:"left,omitempty"`

	// history extension: message, ack
	Offset    uint64 `json:"offset,omitempty"`
	Epoch     string `json:"epoch,omitempty"`
	Recovered *bool  `json:"recovered,omitempty"`
	Reason    string `json:"reason,omitempty"`

	// going_away
	RetryAfterMs int `json:"retryAfterMs,omitempty"`
}
