package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/golang-jwt/jwt/v5"
	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/realtime/wire"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	testKey      = "pk_test_all"
	testKeyRO    = "pk_test_readonly"
	testSecret   = "sk_test_rest"
	testKid      = "k1"
	testKidBound = "k2"
	waitTimeout  = 5 * time.Second
)

// testConfig is the base configuration of most tests.
func testConfig() Config {
	return Config{
		Keys: []KeyConfig{
			{Key: testKey, Channels: []string{"room/**", "lobby"}, Permissions: []string{"subscribe", "publish", "presence", "send"},
				ICEServers: []ICEServer{{URLs: []string{"stun:stun.example.org:3478"}}}},
			{Key: testKeyRO, Channels: []string{"room/**"}, Permissions: []string{"subscribe"}},
			{Key: "pk_other_app", App: "other", Channels: []string{"**"}, Permissions: []string{"subscribe", "publish", "presence", "send"}},
			{Key: "pk_suspended", App: "suspended", Channels: []string{"**"}, Permissions: []string{"subscribe"}},
			{Key: "pk_origin", Channels: []string{"**"}, Permissions: []string{"subscribe"}, AllowedOrigins: []string{"https://ok.example"}},
		},
		SigningKeys: []SigningKeyConfig{
			{Kid: testKid, Secret: "secret-one"},
			{Kid: testKidBound, Secret: "secret-two", Channels: []string{"room/**"}},
		},
		SecretKeys: []SecretKeyConfig{{Key: testSecret}},
		Apps:       []AppConfig{{ID: "suspended", Suspended: true}},
		Limits:     Limits{ConnectsPerIP: 100000},
	}
}

// startServer runs a Server on a loopback port and returns its ws:// and
// http:// base URLs; it is shut down when the test ends.
func startServer(t testing.TB, cfg Config) (*Server, string, string) {
	t.Helper()
	return startServerOn(t, cfg, listenLoopback(t))
}

// startServerOn is startServer on a listener of the caller's.
func startServerOn(t testing.TB, cfg Config, ln net.Listener) (*Server, string, string) {
	t.Helper()
	srv, err := New(cfg)
	if err != nil {
		_ = ln.Close()
		t.Fatal(err)
	}
	ws, h := serveServer(t, srv, ln)
	return srv, ws, h
}

// listenLoopback listens on a free loopback port.
func listenLoopback(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// serveServer serves srv on ln until the test ends and returns its ws://
// and http:// base URLs.
func serveServer(t testing.TB, srv *Server, ln net.Listener) (string, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, 5*time.Second) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "ws://" + ln.Addr().String(), "http://" + ln.Addr().String()
}

// client is a raw protocol client over coder/websocket.
type client struct {
	t  testing.TB
	ws *websocket.Conn
}

// dialRaw connects with the given query and returns the socket, without
// expecting a welcome.
func dialRaw(t testing.TB, base, query string) *client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, base+"/v1?"+query, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	ws.SetReadLimit(4 << 20)
	c := &client{t: t, ws: ws}
	t.Cleanup(func() { _ = ws.CloseNow() })
	return c
}

// dialKey connects with a publishable key and returns the client and welcome.
func dialKey(t testing.TB, base, key string) (*client, wire.ServerFrame) {
	t.Helper()
	c := dialRaw(t, base, "key="+url.QueryEscape(key))
	return c, c.expect(wire.TypeWelcome)
}

// dialToken connects with a JWT and returns the client and welcome.
func dialToken(t testing.TB, base, token string) (*client, wire.ServerFrame) {
	t.Helper()
	c := dialRaw(t, base, "token="+url.QueryEscape(token))
	return c, c.expect(wire.TypeWelcome)
}

func (c *client) sendRaw(s string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := c.ws.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

func (c *client) send(v any) {
	c.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendRaw(string(b))
}

// next reads one frame.
func (c *client) next() (wire.ServerFrame, []byte) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	_, b, err := c.ws.Read(ctx)
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	var f wire.ServerFrame
	if err := json.Unmarshal(b, &f); err != nil {
		c.t.Fatalf("bad frame %s: %v", b, err)
	}
	return f, b
}

// expect reads one frame and checks its type.
func (c *client) expect(typ string) wire.ServerFrame {
	c.t.Helper()
	f, b := c.next()
	if f.Type != typ {
		c.t.Fatalf("got frame %s, want type %s", b, typ)
	}
	return f
}

// expectError reads an error frame and checks code and requestId.
func (c *client) expectError(code, requestID string) {
	c.t.Helper()
	f := c.expect(wire.TypeError)
	if f.Code != code || f.RequestID != requestID {
		c.t.Fatalf("got error %q (rid %q), want %q (rid %q)", f.Code, f.RequestID, code, requestID)
	}
}

// expectAck reads an ack for requestID.
func (c *client) expectAck(requestID string) {
	c.t.Helper()
	f, b := c.next()
	if f.Type != wire.TypeAck || f.RequestID != requestID {
		c.t.Fatalf("got %s, want ack %s", b, requestID)
	}
}

// subscribe subscribes and consumes the ack (and, with presence, the snapshot).
func (c *client) subscribe(channel string, presence bool) wire.ServerFrame {
	c.t.Helper()
	rid := "sub-" + channel
	c.send(wire.Subscribe{Type: wire.TypeSubscribe, Channel: channel, RequestID: rid})
	c.expectAck(rid)
	if presence {
		return c.expect(wire.TypePresence)
	}
	return wire.ServerFrame{}
}

// alive checks the connection still answers an application ping.
func (c *client) alive() {
	c.t.Helper()
	c.sendRaw(`{"type":"ping"}`)
	c.expect(wire.TypePong)
}

// expectClose reads until the connection closes and checks the close code.
func (c *client) expectClose(code websocket.StatusCode) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	for {
		_, b, err := c.ws.Read(ctx)
		if err == nil {
			continue
		}
		if got := websocket.CloseStatus(err); got != code {
			if errors.Is(err, context.DeadlineExceeded) {
				c.t.Fatalf("no close within %s (want %d)", waitTimeout, code)
			}
			c.t.Fatalf("closed with %d (%v), want %d; last frame %s", got, err, code, b)
		}
		return
	}
}

// token signs claims with HS256 under kid.
func token(t testing.TB, kid, secret string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// claims returns valid claims for sub, to be adjusted by tests.
func claims(sub string) jwt.MapClaims {
	return jwt.MapClaims{
		"sub":         sub,
		"exp":         time.Now().Add(time.Hour).Unix(),
		"channels":    []string{"room/**"},
		"permissions": []string{"subscribe", "publish", "presence", "send"},
	}
}

func peerIDs(entries []wire.PresenceEntry) string {
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.PeerID
	}
	return strings.Join(ids, ",")
}
