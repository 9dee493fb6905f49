package peer

import (
	"encoding/json"

	"github.com/pion/webrtc/v4"
)

// State is the state of a Peer or of one RemotePeer's connection.
type State string

// Peer states.
const (
	StateIdle         State = "idle"
	StateJoining      State = "joining"
	StateJoined       State = "joined"
	StateReconnecting State = "reconnecting"
	StateLeaving      State = "leaving"
	StateClosed       State = "closed"
)

// RemotePeer connection states (plus StateIdle, StateReconnecting, StateClosed).
const (
	StateConnecting State = "connecting"
	StateConnected  State = "connected"
)

// DataKind says how application data reached this peer.
type DataKind string

// Data kinds.
const (
	KindBroadcast DataKind = "broadcast" // channel publish
	KindDirect    DataKind = "direct"    // SendTo from a peer known via presence
)

// Joined fires once Join has succeeded.
type Joined struct {
	PeerID  string
	Channel string
}

// Left fires once the Peer reaches the closed state.
type Left struct {
	PeerID  string
	Channel string
	Reason  string
}

// StateChange fires on every transition of a Peer or a RemotePeer.
type StateChange struct {
	From, To State
}

// PeerJoined fires when presence announces another peer.
type PeerJoined struct {
	Peer *RemotePeer
}

// PeerLeft fires when a remote peer left or was dropped.
type PeerLeft struct {
	Peer *RemotePeer
}

// Data is application data sent with Send (broadcast) or SendTo (direct).
// RTC signals and track-metadata control messages never surface here.
type Data struct {
	SenderPeerID   string
	Data           json.RawMessage
	Kind           DataKind
	SenderMetadata json.RawMessage
}

// FatalError reports a condition the application must act on: a terminal
// close code, a fatal server error, the token provider failing repeatedly,
// or a reconcile timeout. Recover by closing and creating a new Peer.
type FatalError struct {
	Err error
}

// Track fires on a RemotePeer when a remote track starts (pion reports it
// once media flows). Metadata is the sender's track metadata, if any.
type Track struct {
	Track    *webrtc.TrackRemote
	Receiver *webrtc.RTPReceiver
	StreamID string
	Metadata json.RawMessage
}

// StreamAdded fires on a RemotePeer the first time a stream id appears on
// its current connection.
type StreamAdded struct {
	StreamID string
	Metadata json.RawMessage
}

// StreamRemoved fires when every track of a remote stream has stopped being
// sent (not during reconnects).
type StreamRemoved struct {
	StreamID string
}

// DataChannelOpened fires when the remote opened a data channel.
type DataChannelOpened struct {
	Channel *DataChannel
}

// NegotiationError reports a failed SDP step or an exhausted ICE-restart
// ladder (Err is ErrIceRestartExhausted); usually recovery noise.
type NegotiationError struct {
	Err error
}

// IceCandidateError reports an inbound candidate pion refused.
type IceCandidateError struct {
	Err error
}

// ConnectionReset fires on a RemotePeer whose connection was replaced by
// reconcile after a signalling reconnect; re-open data channels then.
type ConnectionReset struct{}
