package realtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// Regression tests of issue 11 (hardening) over a real WebSocket and HTTP.

// TestJWTTimeClaims: nbf is honoured, and exp/nbf must be integers in
// range; an absurd or mistyped exp is invalid (4001), never "expired" (4002,
// which tells the JS SDK to refresh and reconnect).
func TestJWTTimeClaims(t *testing.T) {
	_, base, _ := startServer(t, testConfig())
	now := time.Now()
	in := func(d time.Duration) json.Number { return json.Number(strconv.FormatInt(now.Add(d).Unix(), 10)) }
	with := func(kv ...any) string {
		cl := claims("alice")
		for i := 0; i < len(kv); i += 2 {
			cl[kv[i].(string)] = kv[i+1]
		}
		return token(t, testKid, "secret-one", cl)
	}
	tests := []struct {
		name  string
		token string
		code  websocket.StatusCode // 0: accepted
	}{
		{"nbf an hour ahead", with("nbf", in(time.Hour)), wire.CloseInvalidToken},
		{"nbf a minute ago", with("nbf", in(-time.Minute)), 0},
		{"nbf within clock skew", with("nbf", in(2*time.Second)), 0},
		{"nbf not an integer", with("nbf", json.Number("1.5")), wire.CloseInvalidToken},
		{"nbf string", with("nbf", "0"), wire.CloseInvalidToken},
		{"exp 1e20", with("exp", json.Number("1e20")), wire.CloseInvalidToken},
		{"exp 2^63", with("exp", json.Number("9223372036854775808")), wire.CloseInvalidToken},
		{"exp 2^63-1", with("exp", json.Number("9223372036854775807")), wire.CloseInvalidToken},
		{"exp huge negative", with("exp", json.Number("-9223372036854775808")), wire.CloseInvalidToken},
		{"exp fraction", with("exp", json.Number(string(in(time.Hour))+".5")), wire.CloseInvalidToken},
		{"exp exponent form", with("exp", json.Number("1.8e9")), wire.CloseInvalidToken},
		{"exp string", with("exp", string(in(time.Hour))), wire.CloseInvalidToken},
		{"exp null", with("exp", nil), wire.CloseInvalidToken},
		{"exp past", with("exp", in(-time.Minute)), wire.CloseTokenExpired},
		{"iat string", with("iat", "now"), wire.CloseInvalidToken},
		{"exp an hour ahead", with("exp", in(time.Hour)), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dialRaw(t, base, "token="+url.QueryEscape(tt.token))
			if tt.code == 0 {
				c.expect(wire.TypeWelcome)
				return
			}
			c.expectClose(tt.code)
		})
	}
}

// TestServerPeerIDIsReserved: the id REST publishes carry ("server") cannot
// be taken by a token, so no client can impersonate the server.
func TestServerPeerIDIsReserved(t *testing.T) {
	_, base, httpBase := startServer(t, testConfig())
	dialRaw(t, base, "token="+url.QueryEscape(token(t, testKid, "secret-one", claims(serverPeerID)))).expectClose(wire.CloseInvalidToken)
	status, body := rest(t, "POST", httpBase+"/v1/tokens", testSecret, wire.MintRequest{Sub: serverPeerID, Channels: []string{"room/**"}, Permissions: []string{"publish"}})
	if status != http.StatusBadRequest || errCode(body) != "invalid_token_request" {
		t.Fatalf("mint sub=server: %d %v", status, body)
	}
}

// TestMintTTLRange: ttlSeconds beyond 24 h is refused before it is turned
// into a duration (18446747674 s used to wrap into a one-hour token).
func TestMintTTLRange(t *testing.T) {
	_, _, httpBase := startServer(t, testConfig())
	for _, ttl := range []string{"18446747674", "9223372036854775807", "86401", "-1", "1.5", "1e3"} {
		t.Run(ttl, func(t *testing.T) {
			status, body := rest(t, "POST", httpBase+"/v1/tokens", testSecret,
				`{"sub":"a","channels":["room/**"],"permissions":["subscribe"],"ttlSeconds":`+ttl+`}`)
			if status != http.StatusBadRequest {
				t.Fatalf("status %d %v, want 400", status, body)
			}
		})
	}
	status, body := rest(t, "POST", httpBase+"/v1/tokens", testSecret,
		`{"sub":"a","channels":["room/**"],"permissions":["subscribe"],"ttlSeconds":86400}`)
	if exp, _ := body["expiresAt"].(float64); status != 200 || int64(exp) < time.Now().Add(23*time.Hour).Unix() {
		t.Fatalf("ttl 86400: %d %v", status, body)
	}
}

// TestRESTChannelPathsAreLiteral: ServeMux cleans "room/x/../y" into
// "room/y" and redirects; a channel name is not a path, so the REST API
// must address exactly the channel named, never another one.
func TestRESTChannelPathsAreLiteral(t *testing.T) {
	_, base, httpBase := startServer(t, testConfig())
	c, _ := dialKey(t, base, testKey)
	c.subscribe("room/y", true)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, name := range []string{"room/x/../y", "room/./y", "room//y", "room/y/.", "room/y/", "..", "room/..", "."} {
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), "GET", httpBase+"/v1/channels/"+name, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+testSecret)
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var out struct {
				Channel string
				Peers   []any
			}
			if resp.StatusCode != 200 || json.Unmarshal(raw, &out) != nil || out.Channel != name || len(out.Peers) != 0 {
				t.Fatalf("GET %s: %d %s", name, resp.StatusCode, raw)
			}
			if status, body := rest(t, "POST", httpBase+"/v1/channels/"+name, testSecret, map[string]any{"data": name}); status != 200 {
				t.Fatalf("POST %s: %d %v", name, status, body)
			}
		})
	}
	// None of those publishes reached room/y: the next frame is this one.
	if status, _ := rest(t, "POST", httpBase+"/v1/channels/room/y", testSecret, map[string]any{"data": "direct"}); status != 200 {
		t.Fatal("publish to room/y failed")
	}
	if m := c.expect(wire.TypeMessage); string(m.Data) != `"direct"` {
		t.Fatalf("room/y got %s", m.Data)
	}
}

// TestDuplicateConfigEntriesRefused: a key, kid, secret key or app listed
// twice is refused at start and at reload (it used to move silently to the
// later entry), and so is a secret key that is also a (public) publishable
// key.
func TestDuplicateConfigEntriesRefused(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*Config)
	}{
		{"publishable key", func(c *Config) {
			c.Keys = append(c.Keys, KeyConfig{Key: testKey, App: "other", Channels: []string{"**"}})
		}},
		{"signing kid", func(c *Config) { c.SigningKeys = append(c.SigningKeys, SigningKeyConfig{Kid: testKid, Secret: "x"}) }},
		{"secret key", func(c *Config) { c.SecretKeys = append(c.SecretKeys, SecretKeyConfig{Key: testSecret, App: "other"}) }},
		{"app", func(c *Config) { c.Apps = append(c.Apps, AppConfig{ID: "suspended"}) }},
		{"secret key that is also a publishable key", func(c *Config) { c.SecretKeys = append(c.SecretKeys, SecretKeyConfig{Key: testKey}) }},
		{"default app spelled twice", func(c *Config) { c.Apps = append(c.Apps, AppConfig{}, AppConfig{ID: DefaultApp}) }},
	}
	srv, base, _ := startServer(t, testConfig())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			tt.mod(&cfg)
			if _, err := New(cfg); !errors.Is(err, ErrConfig) {
				t.Fatalf("New = %v, want ErrConfig", err)
			}
			if err := srv.Reload(cfg); !errors.Is(err, ErrConfig) {
				t.Fatalf("Reload = %v, want ErrConfig", err)
			}
		})
	}
	c, w := dialKey(t, base, testKey) // the running configuration is untouched
	if w.PeerID == "" {
		t.Fatal(fmt.Sprint("welcome ", w))
	}
	c.alive()
}
