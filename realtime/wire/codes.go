package wire

// Error codes carried in Error.Code (spec §3).
const (
	ErrMalformedMessage     = "malformed_message"      // not JSON, not an object, no string type, bad requestId, binary frame
	ErrUnknownType          = "unknown_type"           // type string not recognised
	ErrInvalidChannel       = "invalid_channel"        // channel empty, too long, control chars, not a string
	ErrInvalidPeerID        = "invalid_peer_id"        // send.to empty, too long, control chars, not a string
	ErrChannelNotAuthorized = "channel_not_authorized" // channel matches no allowed pattern
	ErrChannelReserved      = "channel_reserved"       // reserved prefix
	ErrChannelLimitExceeded = "channel_limit_exceeded" // too many subscriptions on one connection
	ErrPeerNotFound         = "peer_not_found"         // send target not online
	ErrMissingData          = "missing_data"           // publish/send without a data key
	ErrActionNotPermitted   = "action_not_permitted"   // key/token lacks the permission
	ErrOverMessageQuota     = "over_message_quota"     // message quota exhausted; connection stays open
	ErrBackendError         = "backend_error"          // transient routing fault; retry after backoff
	ErrInternalError        = "internal_error"         // unexpected server fault
	ErrAccountSuspended     = "account_suspended"      // in-band variant of close 4012
	ErrInvalidToken         = "invalid_token"          // in-band variant of close 4001
	ErrTokenExpired         = "token_expired"          // in-band variant of close 4002
)

// WebSocket close codes (spec §4). They are untyped so they convert to any
// WebSocket library's status type.
const (
	CloseNormal           = 1000 // client's own close; the server does not use it
	CloseGoingAway        = 1001 // graceful shutdown, after a going_away frame
	ClosePolicyViolation  = 1008 // generic protocol abuse; also a slow consumer whose outbound queue overflowed
	CloseMessageTooBig    = 1009 // inbound frame over the hard frame limit
	CloseClientInactivity = 4000 // client-emitted only: watchdog or welcome timeout
	CloseInvalidToken     = 4001 // bad credential, claim or token lifetime
	CloseTokenExpired     = 4002 // token exp passed (at connect or mid-session)
	CloseChannelNotAuth   = 4003 // JWT channels claim not covered by the signing key
	CloseOverConcurrent   = 4010 // app concurrent-connection cap reached (before welcome)
	CloseOverMessageRate  = 4011 // per-connection token bucket emptied
	CloseAccountSuspended = 4012 // app suspended
	CloseAdminDisconnect  = 4020 // operator kick, or replaced by a newer connection with the same sub
)

// CloseCodeName returns a short snake_case name for a close code, or
// "unknown" for codes the protocol does not define.
func CloseCodeName(code int) string {
	switch code {
	case CloseNormal:
		return "normal"
	case CloseGoingAway:
		return "going_away"
	case ClosePolicyViolation:
		return "policy_violation"
	case CloseMessageTooBig:
		return "message_too_big"
	case CloseClientInactivity:
		return "client_inactivity"
	case CloseInvalidToken:
		return "invalid_token"
	case CloseTokenExpired:
		return "token_expired"
	case CloseChannelNotAuth:
		return "channel_not_authorized"
	case CloseOverConcurrent:
		return "over_concurrent_limit"
	case CloseOverMessageRate:
		return "over_message_rate"
	case CloseAccountSuspended:
		return "account_suspended"
	case CloseAdminDisconnect:
		return "admin_disconnect"
	}
	return "unknown"
}

// IsTerminalClose reports whether a client must not reconnect after a close
// with this code once it had been welcomed (spec §4.2): 4001, 4003, 4012, 4020.
func IsTerminalClose(code int) bool {
	switch code {
	case CloseInvalidToken, CloseChannelNotAuth, CloseAccountSuspended, CloseAdminDisconnect:
		return true
	}
	return false
}
