package agentpeer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// minter mints the agent's JWTs through the server's REST API
// (POST /v1/tokens with the secret key), carrying the presence metadata.
// A token is reused until less than a fifth of its life is left; then a
// Run renews its connection with a fresh one (renewAt), and any reconnect
// in between presents a fresh one too.
type minter struct {
	endpoint string // http(s)://host/v1/tokens
	secret   string
	body     []byte
	ttl      time.Duration
	client   *http.Client

	mu  sync.Mutex
	tok string
	exp time.Time
}

func newMinter(a *Agent) *minter {
	body, _ := json.Marshal(map[string]any{ // only strings, a list and raw JSON: cannot fail
		"sub":          a.cfg.PeerID,
		"channels":     []string{a.cfg.Channel},
		"permissions":  []string{"subscribe", "publish", "presence", "send"},
		"ttlSeconds":   int64(a.cfg.TokenTTL / time.Second),
		"peerMetadata": a.meta,
	})
	return &minter{
		endpoint: "http" + strings.TrimPrefix(a.origin, "ws") + "/v1/tokens",
		secret:   a.cfg.SecretKey,
		body:     body,
		ttl:      a.cfg.TokenTTL,
		client:   a.cfg.HTTPClient,
	}
}

// token returns a token with more than a fifth of its life left.
func (m *minter) token(ctx context.Context) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tok != "" && time.Until(m.exp) > m.ttl/5 {
		return m.tok, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.endpoint, bytes.NewReader(m.body))
	if err != nil {
		return "", fmt.Errorf("mint token: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+m.secret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := m.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("mint token: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return "", fmt.Errorf("mint token: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("mint token: %s: %s", resp.Status, bytes.TrimSpace(body))
	}
	var out struct {
		Token     string `json:"token"`
		ExpiresAt int64  `json:"expiresAt"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.Token == "" {
		return "", fmt.Errorf("mint token: unexpected reply %q", body)
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
