package wire

import "encoding/json"

// MintRequest is the body of POST /v1/tokens, the REST call that mints a
// JWT with a secret key.
type MintRequest struct {
	Sub          string          `json:"sub"`
	Channels     []string        `json:"channels"`
	Permissions  []string        `json:"permissions"`
	TTLSeconds   int64           `json:"ttlSeconds"`
	Metadata     json.RawMessage `json:"metadata,omitempty"`
	PeerMetadata json.RawMessage `json:"peerMetadata,omitempty"`
	Kid          string          `json:"kid,omitempty"`
}

// MintResponse is the reply to POST /v1/tokens.
type MintResponse struct {
	Token     string `json:"token"`
	ExpiresAt int64  `json:"expiresAt"`
}
