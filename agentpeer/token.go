package agentpeer

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/rkat-dev/rkat/realtime/rest"
	"github.com/rkat-dev/rkat/realtime/wire"
)

// minter mints the agent's JWTs through the server's REST API
// (POST /v1/tokens with the secret key), carrying the presence metadata.
// A token is reused until less than a fifth of its life is left; then a
// Run renews its connection with a fresh one (renewAt), and any reconnect
// in between presents a fresh one too.
type minter struct {
	origin string // ws(s)://host:port
	secret string
	req    wire.MintRequest
	ttl    time.Duration
	client *http.Client

	mu  sync.Mutex
	tok string
	exp time.Time
}

func newMinter(a *Agent) *minter {
	return &minter{
		origin: a.origin,
		secret: a.cfg.SecretKey,
		req: wire.MintRequest{
			Sub:          a.cfg.PeerID,
			Channels:     []string{a.cfg.Channel},
			Permissions:  []string{"subscribe", "publish", "presence", "send"},
			TTLSeconds:   int64(a.cfg.TokenTTL / time.Second),
			PeerMetadata: a.meta,
		},
		ttl:    a.cfg.TokenTTL,
		client: a.cfg.HTTPClient,
	}
}

// token returns a token with more than a fifth of its life left.
func (m *minter) token(ctx context.Context) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tok != "" && time.Until(m.exp) > m.ttl/5 {
		return m.tok, nil
	}
	out, err := rest.MintToken(ctx, m.client, m.origin, m.secret, m.req)
	if err != nil {
		return "", err
	}
	m.tok, m.exp = out.Token, time.Unix(out.ExpiresAt, 0)
	return m.tok, nil
}

// renewAt is when the current token has a fifth of its life left (zero
// before the first token).
func (m *minter) renewAt() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tok == "" {
		return time.Time{}
	}
	return m.exp.Add(-m.ttl / 5)
}
