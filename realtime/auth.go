package realtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/rkat-dev/rkat/internal/clip"
	"github.com/rkat-dev/rkat/realtime/wire"
)

// perms is a set of wire permissions.
type perms uint8

const (
	permSubscribe perms = 1 << iota
	permPublish
	permPresence
	permSend
	permRPC

	permAll = permSubscribe | permPublish | permPresence | permSend | permRPC
)

// parsePerms converts permission names to a set.
func parsePerms(names []string) (perms, error) {
	var p perms
	for _, n := range names {
		switch n {
		case wire.PermSubscribe:
			p |= permSubscribe
		case wire.PermPublish:
			p |= permPublish
		case wire.PermPresence:
			p |= permPresence
		case wire.PermSend:
			p |= permSend
		case wire.PermRPC:
			p |= permRPC
		default:
			return 0, fmt.Errorf("unknown permission %q", n)
		}
	}
	return p, nil
}

// authError is a connect-time rejection carried to the client as a
// WebSocket close code.
type authError struct {
	code   int
	reason string
}

func (e *authError) Error() string { return fmt.Sprintf("close %d: %s", e.code, e.reason) }

func rejectf(code int, format string, args ...any) *authError {
	return &authError{code: code, reason: truncateReason(fmt.Sprintf(format, args...))}
}

// identity is an authenticated connection's scope.
type identity struct {
	app          string
	peerID       string
	expiresAt    *int64
	perms        perms
	scopes       []wire.Patterns // a channel must match every entry
	metadata     json.RawMessage // welcome.metadata
	peerMetadata json.RawMessage // stamped on presence, directs, opted-in messages
	// The credential it connected with (one of the two), checked again when
	// the configuration is reloaded.
	pk *publishableKey
	sk *signingKey
}

// allows reports whether channel is inside every scope.
func (id *identity) allows(channel string) bool {
	for _, s := range id.scopes {
		if !s.Match(channel) {
			return false
		}
	}
	return true
}

type publishableKey struct {
	key      string
	app      string
	patterns wire.Patterns
	perms    perms
	origins  map[string]bool
	metadata json.RawMessage
}

type signingKey struct {
	kid      string
	app      string
	secret   []byte
	patterns wire.Patterns // nil: no bound
	perms    perms
}

// authenticator checks credentials against the compiled config. It is
// immutable: Reload replaces it whole.
type authenticator struct {
	limits     Limits
	keys       map[string]*publishableKey
	signing    map[string]*signingKey
	appSigning map[string]*signingKey // first signing key per app, for minting
	secrets    map[string]string      // sk -> app
	apps       map[string]AppConfig   // by app id
}

func newAuthenticator(cfg Config, limits Limits) (*authenticator, error) {
	a := &authenticator{
		limits:     limits,
		keys:       map[string]*publishableKey{},
		signing:    map[string]*signingKey{},
		appSigning: map[string]*signingKey{},
		secrets:    map[string]string{},
		apps:       map[string]AppConfig{},
	}
	for i, k := range cfg.Keys {
		if k.Key == "" {
			return nil, fmt.Errorf("%w: keys[%d]: empty key", ErrConfig, i)
		}
		pats, err := wire.CompilePatterns(k.Channels)
		if err != nil {
			return nil, fmt.Errorf("%w: key %q: %w", ErrConfig, k.Key, err)
		}
		p, err := parsePerms(k.Permissions)
		if err != nil {
			return nil, fmt.Errorf("%w: key %q: %w", ErrConfig, k.Key, err)
		}
		pk := &publishableKey{key: k.Key, app: appOf(k.App), patterns: pats, perms: p}
		if len(k.AllowedOrigins) > 0 {
			pk.origins = map[string]bool{}
			for _, o := range k.AllowedOrigins {
				pk.origins[o] = true
			}
		}
		if len(k.ICEServers) > 0 {
			pk.metadata, err = json.Marshal(map[string]any{"iceServers": k.ICEServers})
			if err != nil {
				return nil, fmt.Errorf("%w: key %q: ice servers: %w", ErrConfig, k.Key, err)
			}
		}
		if a.keys[k.Key] != nil {
			return nil, fmt.Errorf("%w: key %q is listed twice", ErrConfig, k.Key)
		}
		a.keys[k.Key] = pk
	}
	for i, s := range cfg.SigningKeys {
		if s.Kid == "" || s.Secret == "" {
			return nil, fmt.Errorf("%w: signing_keys[%d]: kid and secret are required", ErrConfig, i)
		}
		var pats wire.Patterns
		if len(s.Channels) > 0 {
			var err error
			if pats, err = wire.CompilePatterns(s.Channels); err != nil {
				return nil, fmt.Errorf("%w: signing key %q: %w", ErrConfig, s.Kid, err)
			}
		}
		p := permAll
		if len(s.Permissions) > 0 {
			var err error
			if p, err = parsePerms(s.Permissions); err != nil {
				return nil, fmt.Errorf("%w: signing key %q: %w", ErrConfig, s.Kid, err)
			}
		}
		if a.signing[s.Kid] != nil {
			return nil, fmt.Errorf("%w: signing key %q is listed twice", ErrConfig, s.Kid)
		}
		sk := &signingKey{kid: s.Kid, app: appOf(s.App), secret: []byte(s.Secret), patterns: pats, perms: p}
		a.signing[s.Kid] = sk
		if a.appSigning[sk.app] == nil {
			a.appSigning[sk.app] = sk
		}
	}
	for i, s := range cfg.SecretKeys {
		if s.Key == "" {
			return nil, fmt.Errorf("%w: secret_keys[%d]: empty key", ErrConfig, i)
		}
		if _, dup := a.secrets[s.Key]; dup {
			return nil, fmt.Errorf("%w: secret_keys[%d] is listed twice", ErrConfig, i)
		}
		if a.keys[s.Key] != nil { // a publishable key is public; it must not open the REST API
			return nil, fmt.Errorf("%w: secret_keys[%d] is also a publishable key", ErrConfig, i)
		}
		a.secrets[s.Key] = appOf(s.App)
	}
	for _, ap := range cfg.Apps {
		if _, dup := a.apps[appOf(ap.ID)]; dup {
			return nil, fmt.Errorf("%w: app %q is listed twice", ErrConfig, appOf(ap.ID))
		}
		a.apps[appOf(ap.ID)] = ap
	}
	return a, nil
}

// revoked reports why a connection authenticated as id may not stay under
// this configuration: its app is suspended (4012), or its publishable key or
// signing key is gone or now belongs to another app or has another secret
// (4001). It returns close code 0 when the connection may stay; changes to
// a kept key's channels, permissions or allowed origins apply to new
// connections only.
func (a *authenticator) revoked(id *identity) (code int, errCode, reason string) {
	if a.apps[id.app].Suspended {
		return wire.CloseAccountSuspended, wire.ErrAccountSuspended, "account suspended"
	}
	switch {
	case id.pk != nil:
		if cur := a.keys[id.pk.key]; cur == nil || cur.app != id.pk.app {
			return wire.CloseInvalidToken, wire.ErrInvalidToken, "key revoked"
		}
	case id.sk != nil:
		if cur := a.signing[id.sk.kid]; cur == nil || cur.app != id.sk.app || !bytes.Equal(cur.secret, id.sk.secret) {
			return wire.CloseInvalidToken, wire.ErrInvalidToken, "signing key revoked"
		}
	}
	return 0, "", ""
}

// authenticate checks the credential of an upgrade request.
func (a *authenticator) authenticate(r *http.Request, now time.Time) (identity, *authError) {
	q := r.URL.Query()
	key, token := q.Get("key"), q.Get("token")
	switch {
	case key != "" && token != "":
		return identity{}, rejectf(wire.CloseInvalidToken, "send either key or token, not both")
	case key != "":
		return a.checkKey(key, r.Header.Get("Origin"))
	case token != "":
		return a.verifyToken(token, now)
	}
	return identity{}, rejectf(wire.CloseInvalidToken, "missing key or token")
}

func (a *authenticator) checkKey(key, origin string) (identity, *authError) {
	pk := a.keys[key]
	if pk == nil {
		return identity{}, rejectf(wire.CloseInvalidToken, "unknown key")
	}
	if pk.origins != nil && origin != "" && !pk.origins[origin] {
		return identity{}, rejectf(wire.CloseInvalidToken, "origin not allowed for this key")
	}
	if a.apps[pk.app].Suspended {
		return identity{}, rejectf(wire.CloseAccountSuspended, "account suspended")
	}
	return identity{
		app:      pk.app,
		peerID:   uuid.NewString(),
		perms:    pk.perms,
		scopes:   []wire.Patterns{pk.patterns},
		metadata: pk.metadata,
		pk:       pk,
	}, nil
}

// tokenClaims are the JWT claims of spec §5.2. The time claims are strict
// (unixSeconds): the library's NumericDate takes fractions and numeric
// strings and overflows on huge values. It implements jwt.Claims for the
// parser, which is told not to validate them: verifyToken does.
type tokenClaims struct {
	Subject      string          `json:"sub"`
	ExpiresAt    *unixSeconds    `json:"exp,omitempty"`
	NotBefore    *unixSeconds    `json:"nbf,omitempty"`
	IssuedAt     *unixSeconds    `json:"iat,omitempty"`
	Channels     []string        `json:"channels"`
	Permissions  []string        `json:"permissions"`
	Metadata     json.RawMessage `json:"metadata,omitempty"`
	PeerMetadata json.RawMessage `json:"peerMetadata,omitempty"`
}

// The jwt.Claims methods, for the parser (which is told not to validate).
func (c *tokenClaims) GetExpirationTime() (*jwt.NumericDate, error) {
	return c.ExpiresAt.numericDate(), nil
}
func (c *tokenClaims) GetNotBefore() (*jwt.NumericDate, error) { return c.NotBefore.numericDate(), nil }
func (c *tokenClaims) GetIssuedAt() (*jwt.NumericDate, error)  { return c.IssuedAt.numericDate(), nil }
func (c *tokenClaims) GetSubject() (string, error)             { return c.Subject, nil }
func (c *tokenClaims) GetIssuer() (string, error)              { return "", nil }
func (c *tokenClaims) GetAudience() (jwt.ClaimStrings, error)  { return nil, nil }

// errTimeClaim reports an exp, nbf or iat claim that is not an integer
// number of seconds in range.
var errTimeClaim = errors.New("exp, nbf and iat must be integer Unix seconds")

// unixSeconds is a JWT time claim: a JSON integer from 0 to 2^63-1. A
// fraction, an exponent, a string or an overflowing number is refused.
type unixSeconds int64

// UnmarshalJSON implements json.Unmarshaler.
func (u *unixSeconds) UnmarshalJSON(b []byte) error {
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || n < 0 {
		return errTimeClaim
	}
	*u = unixSeconds(n)
	return nil
}

func (u *unixSeconds) numericDate() *jwt.NumericDate {
	if u == nil {
		return nil
	}
	return jwt.NewNumericDate(time.Unix(int64(*u), 0))
}

var errUnknownKid = errors.New("unknown kid")

// verifyToken validates a JWT and returns its identity; any failure is a
// 4001 close, except expiry (4002), a channels claim outside the signing
// key's patterns (4003) and a suspended app (4012).
func (a *authenticator) verifyToken(token string, now time.Time) (identity, *authError) {
	var cl tokenClaims
	var sk *signingKey
	parser := jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithoutClaimsValidation())
	_, err := parser.ParseWithClaims(token, &cl, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		sk = a.signing[kid]
		if sk == nil {
			return nil, errUnknownKid
		}
		return sk.secret, nil
	})
	if err != nil {
		return identity{}, rejectf(wire.CloseInvalidToken, "invalid token: %s", shortJWTError(err))
	}
	if cl.ExpiresAt == nil {
		return identity{}, rejectf(wire.CloseInvalidToken, "token has no exp")
	}
	// Whole seconds, so no arithmetic here can overflow: both claims are at
	// most 2^63-1 and now is positive.
	exp, nowSec := int64(*cl.ExpiresAt), now.Unix()
	skew := int64(time.Duration(a.limits.TokenClockSkew) / time.Second)
	if exp <= nowSec {
		return identity{}, rejectf(wire.CloseTokenExpired, "token expired")
	}
	if exp-nowSec > int64(wire.MaxTokenLifetime/time.Second)+skew {
		return identity{}, rejectf(wire.CloseInvalidToken, "token exp is more than 24h ahead")
	}
	if cl.NotBefore != nil && int64(*cl.NotBefore)-nowSec > skew {
		return identity{}, rejectf(wire.CloseInvalidToken, "token not valid yet (nbf)")
	}
	if err := wire.ValidateSubject(cl.Subject); err != nil {
		return identity{}, rejectf(wire.CloseInvalidToken, "invalid sub: %v", err)
	}
	if cl.Subject == serverPeerID {
		return identity{}, rejectf(wire.CloseInvalidToken, "sub %q is reserved for server publishes", serverPeerID)
	}
	if cl.Channels == nil || len(cl.Channels) > wire.MaxTokenChannels {
		return identity{}, rejectf(wire.CloseInvalidToken, "channels claim must be an array of at most %d patterns", wire.MaxTokenChannels)
	}
	if cl.Permissions == nil || len(cl.Permissions) > wire.MaxTokenPermissions {
		return identity{}, rejectf(wire.CloseInvalidToken, "permissions claim must be an array of at most %d entries", wire.MaxTokenPermissions)
	}
	pats, err := wire.CompilePatterns(cl.Channels)
	if err != nil {
		return identity{}, rejectf(wire.CloseInvalidToken, "invalid channels claim")
	}
	p, err := parsePerms(cl.Permissions)
	if err != nil {
		return identity{}, rejectf(wire.CloseInvalidToken, "invalid permissions claim")
	}
	meta, err := objectClaim(cl.Metadata, wire.MaxMetadataBytes)
	if err != nil {
		return identity{}, rejectf(wire.CloseInvalidToken, "metadata claim: %v", err)
	}
	peerMeta, err := objectClaim(cl.PeerMetadata, wire.MaxPeerMetadataBytes)
	if err != nil {
		return identity{}, rejectf(wire.CloseInvalidToken, "peerMetadata claim: %v", err)
	}
	scopes := []wire.Patterns{pats}
	if sk.patterns != nil {
		for _, tp := range pats {
			if !sk.patterns.Covers(tp) {
				return identity{}, rejectf(wire.CloseChannelNotAuth, "channel pattern %q not allowed by the signing key", tp.String())
			}
		}
		scopes = append(scopes, sk.patterns)
	}
	if a.apps[sk.app].Suspended {
		return identity{}, rejectf(wire.CloseAccountSuspended, "account suspended")
	}
	return identity{
		app:          sk.app,
		peerID:       cl.Subject,
		expiresAt:    &exp,
		perms:        p & sk.perms,
		scopes:       scopes,
		metadata:     meta,
		peerMetadata: peerMeta,
		sk:           sk,
	}, nil
}

// objectClaim compacts an optional object claim and checks its size; null
// counts as absent.
func objectClaim(raw json.RawMessage, max int) (json.RawMessage, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	if buf.Len() == 0 || buf.Bytes()[0] != '{' {
		return nil, errors.New("must be an object")
	}
	if buf.Len() > max {
		return nil, fmt.Errorf("%d bytes exceeds %d", buf.Len(), max)
	}
	return buf.Bytes(), nil
}

// shortJWTError names the failure class without echoing token content.
func shortJWTError(err error) string {
	switch {
	case errors.Is(err, errUnknownKid):
		return "unknown kid"
	case errors.Is(err, errTimeClaim):
		return errTimeClaim.Error()
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "bad signature"
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return "unverifiable (algorithm or kid)"
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "malformed"
	}
	return "rejected"
}

// maxCloseReason is the longest WebSocket close reason, in bytes.
const maxCloseReason = 123

// truncateReason shortens a close reason to maxCloseReason bytes on a rune
// boundary.
func truncateReason(s string) string {
	return clip.Bytes(s, maxCloseReason)
}

// mint signs a token for app and checks it with the same rules as connect.
func (a *authenticator) mint(app string, req wire.MintRequest, now time.Time) (wire.MintResponse, error) {
	sk := a.appSigning[app]
	if req.Kid != "" {
		sk = a.signing[req.Kid]
	}
	if sk == nil || sk.app != app {
		return wire.MintResponse{}, errors.New("no signing key for this app (or unknown kid)")
	}
	// Checked in seconds, before the conversion to a Duration can wrap.
	if req.TTLSeconds < 0 || req.TTLSeconds > int64(wire.MaxTokenLifetime/time.Second) {
		return wire.MintResponse{}, fmt.Errorf("ttlSeconds must be between 1 and %d", int64(wire.MaxTokenLifetime/time.Second))
	}
	ttl := time.Duration(req.TTLSeconds) * time.Second
	if req.TTLSeconds == 0 {
		ttl = time.Hour
	}
	exp, iat := unixSeconds(now.Add(ttl).Unix()), unixSeconds(now.Unix())
	cl := tokenClaims{
		Subject:      req.Sub,
		ExpiresAt:    &exp,
		IssuedAt:     &iat,
		Channels:     req.Channels,
		Permissions:  req.Permissions,
		Metadata:     req.Metadata,
		PeerMetadata: req.PeerMetadata,
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, &cl)
	tok.Header["kid"] = sk.kid
	s, err := tok.SignedString(sk.secret)
	if err != nil {
		return wire.MintResponse{}, fmt.Errorf("sign token: %w", err)
	}
	if _, aerr := a.verifyToken(s, now); aerr != nil {
		return wire.MintResponse{}, errors.New(aerr.reason)
	}
	return wire.MintResponse{Token: s, ExpiresAt: int64(exp)}, nil
}
