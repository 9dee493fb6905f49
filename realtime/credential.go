package realtime

import (
	"errors"
	"fmt"
	"net/http"
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
// credential travels as "Authorization: Bearer <key or JWT>", or in the
// query as ?key= or ?token= (browsers cannot set headers on a WebSocket):
// a secret key, a publishable key or a JWT. Failures wrap ErrUnauthorized.
func (s *Server) Credential(r *http.Request) (Credential, error) {
	a := s.auth.Load()
	q := r.URL.Query()
	c := q.Get("key")
	if c == "" {
		c = q.Get("token")
	}
	if b, ok := bearer(r); ok {
		c = b
	}
	var (
		id   identity
		aerr *authError
	)
	switch {
	case c == "":
		return Credential{}, fmt.Errorf("%w: no key or token", ErrUnauthorized)
	case a.secrets[c] != "":
		return Credential{App: a.secrets[c], Secret: true}, nil
	case a.keys[c] != nil:
		id, aerr = a.checkKey(c, r.Header.Get("Origin"))
	default:
		id, aerr = a.verifyToken(c, time.Now())
	}
	if aerr != nil {
		return Credential{}, fmt.Errorf("%w: %s", ErrUnauthorized, aerr.reason)
	}
	return Credential{App: id.app, perms: id.perms}, nil
}

// WriteError writes an error in the REST API's shape,
// {"error":{"code":...,"message":...}}, for the endpoints that share the
// server's keys.
func WriteError(w http.ResponseWriter, status int, code, msg string) {
	restError(w, status, code, msg)
}
