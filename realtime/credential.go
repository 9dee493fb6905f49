package realtime

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// ErrUnauthorized reports a request that carries no credential the server
// knows (missing, unknown, malformed or expired).
var ErrUnauthorized = errors.New("realtime: missing or invalid credential")

// Credential is what an HTTP request authenticated as, for endpoints that
// share the server's keys (rkat serve's /rpc and /metrics).
type Credential struct {
	// App is the credential's app.
	App string
	// Secret is true for a secret key: a server-side credential that holds
	// every permission.
	Secret bool
	perms  perms
}

// Allows reports whether the credential grants the permission named perm
// (wire.PermRPC, wire.PermPublish, ...). A secret key grants every one.
func (c Credential) Allows(perm string) bool {
	if c.Secret {
		return true
	}
	p, err := parsePerms([]string{perm})
	return err == nil && c.perms&p == p
}

// Credential authenticates r against the current configuration. The
// credential travels as "Authorization: Bearer <secret key or JWT>", or in
// the query as ?key=<secret or publishable key> or ?token=<JWT> (browsers
// cannot set headers on a WebSocket). Failures wrap ErrUnauthorized.
func (s *Server) Credential(r *http.Request) (Credential, error) {
	a := s.auth.Load()
	q := r.URL.Query()
	bearer, hasBearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	bearer = strings.TrimSpace(bearer)
	key, token := q.Get("key"), q.Get("token")
	switch {
	case hasBearer && bearer != "":
		if app, ok := a.secrets[bearer]; ok {
			return Credential{App: app, Secret: true}, nil
		}
		token = bearer
	case key != "":
		if app, ok := a.secrets[key]; ok {
			return Credential{App: app, Secret: true}, nil
		}
		id, aerr := a.checkKey(key, r.Header.Get("Origin"))
		if aerr != nil {
			return Credential{}, fmt.Errorf("%w: %s", ErrUnauthorized, aerr.reason)
		}
		return Credential{App: id.app, perms: id.perms}, nil
	case token == "":
		return Credential{}, fmt.Errorf("%w: no key or token", ErrUnauthorized)
	}
	id, aerr := a.verifyToken(token, time.Now())
	if aerr != nil {
		return Credential{}, fmt.Errorf("%w: %s", ErrUnauthorized, aerr.reason)
	}
	return Credential{App: id.app, perms: id.perms}, nil
}
