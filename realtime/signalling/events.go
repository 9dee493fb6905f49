package signalling

import (
	"encoding/json"
	"time"
)

// State is the connection state of a Client.
type State string

// Client states.
const (
	StateIdle         State = "idle"
	StateConnecting   State = "connecting"
	StateConnected    State = "connected"
	StateReconnecting State = "reconnecting"
	StateClosed       State = "closed"
)

// IceServer is one STUN/TURN entry from welcome.metadata.iceServers.
type IceServer struct {
	URLs       []string
	Username   string
	Credential string
}

// Connected fires on every welcome.
type Connected struct {
	PeerID         string
	ServerTime     float64
	ExpiresAt      *float64 // nil for publishable keys
	IsReconnect    bool
	MaxMessageSize int
	IceServers     []IceServer     // nil when absent or invalid
	Metadata       json.RawMessage // welcome.metadata verbatim, nil when absent
}

// Disconnected fires when an established connection closes.
type Disconnected struct {
	Code          int
	Reason        string
	WillReconnect bool
}

// StateChange fires on every state transition.
type StateChange struct {
	From, To State
}

// Message is a channel broadcast. Offset and Epoch are its position in the
// channel's history, on channels the server keeps history for (0 and ""
// otherwise).
type Message struct {
	Channel        string
	SenderPeerID   string
	Data           json.RawMessage
	SenderMetadata json.RawMessage // nil when absent
	Offset         uint64
	Epoch          string
}

// Recovered fires when a reconnect re-subscribed a channel with history and
// the server replays every message it missed: those Messages follow, in
// order, before any new one.
type Recovered struct {
	Channel string
	Epoch   string
}

// NotRecovered fires when a reconnect re-subscribed a channel with history
// but the messages it missed cannot be recovered; Reason is one of the
// wire.Reason* values. Messages continue from the channel's current position.
type NotRecovered struct {
	Channel string
	Reason  string
}

// Direct is a message sent to this peer with Send.
type Direct struct {
	SenderPeerID   string
	Data           json.RawMessage
	SenderMetadata json.RawMessage
}

// PresencePeer is one entry of a presence frame.
type PresencePeer struct {
	PeerID   string
	Metadata json.RawMessage // nil when absent
}

// Presence reports peers joining or leaving a channel. The first one after a
// subscribe is the full snapshot of the other members.
type Presence struct {
	Channel string
	Joined  []PresencePeer
	Left    []PresencePeer
}

// ServerError is an error frame not correlated to any request.
type ServerError struct {
	Code      string
	Message   string
	RequestID string
}

// GoingAway announces a graceful server shutdown. It does not change the
// reconnect schedule.
type GoingAway struct {
	RetryAfter time.Duration
}

// TokenProviderError fires once the token provider has failed
// ConsecutiveFailures times in a row (at the threshold and after).
type TokenProviderError struct {
	ConsecutiveFailures int
	Err                 error
}
