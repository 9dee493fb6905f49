package wire

import "time"

// Protocol limits and defaults (spec §10).
const (
	// DefaultMaxMessageSize is the advertised cap on the serialized data of a
	// publish or send, in bytes.
	DefaultMaxMessageSize = 65536
	// FrameSlack is added to the advertised message size to get the hard
	// inbound frame limit (the envelope around data).
	FrameSlack = 2048
	// MaxChannelLen is the longest channel name, in characters.
	MaxChannelLen = 256
	// MaxPeerIDLen is the longest peer id (send.to, JWT sub), in characters.
	MaxPeerIDLen = 128
	// MaxRequestIDLen is the longest requestId, in characters.
	MaxRequestIDLen = 128
	// DefaultMaxSubscriptions is the number of channels one connection may join.
	DefaultMaxSubscriptions = 100
	// MaxPeerMetadataBytes caps the serialized JWT peerMetadata claim.
	MaxPeerMetadataBytes = 4096
	// MaxMetadataBytes caps the serialized JWT metadata claim.
	MaxMetadataBytes = 8192
	// MaxTokenLifetime caps how far ahead a JWT exp may be.
	MaxTokenLifetime = 24 * time.Hour
	// MaxTokenChannels caps the entries of the JWT channels claim.
	MaxTokenChannels = 100
	// MaxTokenPermissions caps the entries of the JWT permissions claim.
	MaxTokenPermissions = 16
	// DefaultRetryAfterMs is the going_away hint sent on graceful shutdown.
	DefaultRetryAfterMs = 1000
)
