package signalling

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/realtime/wire"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestNewValidatesConfig(t *testing.T) {
	tok := func(context.Context) (string, error) { return "t", nil }
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"key", Config{URL: "ws://127.0.0.1:1", Key: "k"}, true},
		{"token", Config{URL: "wss://example.org", TokenProvider: tok}, true},
		{"trailing slash", Config{URL: "ws://127.0.0.1:1/", Key: "k"}, true},
		{"both", Config{URL: "ws://127.0.0.1:1", Key: "k", TokenProvider: tok}, false},
		{"neither", Config{URL: "ws://127.0.0.1:1"}, false},
		{"path", Config{URL: "ws://127.0.0.1:1/v1", Key: "k"}, false},
		{"query", Config{URL: "ws://127.0.0.1:1?x=1", Key: "k"}, false},
		{"http", Config{URL: "http://127.0.0.1:1", Key: "k"}, false},
		{"garbage", Config{URL: "::", Key: "k"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.cfg)
			if (err == nil) != tt.ok {
				t.Fatalf("New err = %v, want ok=%v", err, tt.ok)
			}
			if c != nil {
				_ = c.Close()
			}
			var ae *ArgumentError
			if err != nil && (!errors.As(err, &ae) || ae.Code() != CodeInvalidArgs) {
				t.Fatalf("error %v is not an invalid_args ArgumentError", err)
			}
		})
	}
}

func TestConnectSendsCredentialAndReceivesWelcome(t *testing.T) {
	fs := newFakeServer(t, func(ctx context.Context, fc *fakeConn) {
		fc.SendJSON(ctx, map[string]any{"type": "welcome", "peerId": "p1", "expiresAt": 99, "serverTime": 1767225600.5, "maxMessageSize": 1000,
			"metadata": map[string]any{"iceServers": []any{map[string]any{"urls": "stun:stun.example.org:3478"}}}})
		fc.Serve(ctx, nil)
	})
	c := newTestClient(t, Config{URL: fs.URL(), Key: "pk live/ü&x"})
	connected := Events[Connected](c, 4)
	if err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	ev := waitFor(t, connected, func(Connected) bool { return true })
	if ev.PeerID != "p1" || ev.IsReconnect || ev.MaxMessageSize != 1000 || ev.ExpiresAt == nil || *ev.ExpiresAt != 99 || ev.ServerTime != 1767225600.5 {
		t.Fatalf("unexpected Connected %+v", ev)
	}
	if len(ev.IceServers) != 1 || ev.IceServers[0].URLs[0] != "stun:stun.example.org:3478" {
		t.Fatalf("ice servers %+v", ev.IceServers)
	}
	if got := fs.Conns()[0].Query["key"]; got != "pk live/ü&x" {
		t.Fatalf("server saw key %q", got)
	}
	if c.State() != StateConnected || c.PeerID() != "p1" || c.MaxMessageSize() != 1000 {
		t.Fatalf("state %s peer %s max %d", c.State(), c.PeerID(), c.MaxMessageSize())
	}
}

func TestConnectFailures(t *testing.T) {
	tests := []struct {
		name     string
		script   func(ctx context.Context, fc *fakeConn)
		wantCode int
	}{
		{"closed before welcome", func(_ context.Context, fc *fakeConn) { fc.Close(wire.CloseInvalidToken, "bad key") }, wire.CloseInvalidToken},
		{"over concurrent", func(_ context.Context, fc *fakeConn) { fc.Close(wire.CloseOverConcurrent, "full") }, wire.CloseOverConcurrent},
		{"welcome timeout", func(ctx context.Context, fc *fakeConn) { fc.Serve(ctx, nil) }, wire.CloseClientInactivity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFakeServer(t, tt.script)
			c := newTestClient(t, Config{URL: fs.URL(), WelcomeTimeout: 200 * time.Millisecond})
			err := c.Connect(context.Background())
			var ce *ConnectError
			if !errors.As(err, &ce) || ce.CloseCode != tt.wantCode || ce.Code() != CodeConnect {
				t.Fatalf("Connect err = %v, want ConnectError with close %d", err, tt.wantCode)
			}
			if c.State() != StateClosed {
				t.Fatalf("state %s", c.State())
			}
			time.Sleep(50 * time.Millisecond) // would-be reconnects have time to show
			if n := len(fs.Conns()); n != 1 {
				t.Fatalf("%d connections, want 1 (no retry before the first welcome)", n)
			}
		})
	}
}

// TestCloseCodePolicy drops a welcomed connection with each close code and
// checks whether the client reconnects.
func TestCloseCodePolicy(t *testing.T) {
	tests := []struct {
		code      int
		reconnect bool
	}{
		{1000, true}, {wire.CloseGoingAway, true}, {wire.ClosePolicyViolation, true}, {wire.CloseMessageTooBig, true},
		{wire.CloseTokenExpired, true}, {wire.CloseOverMessageRate, true}, {4999, true},
		{wire.CloseInvalidToken, false}, {wire.CloseChannelNotAuth, false},
		{wire.CloseAccountSuspended, false}, {wire.CloseAdminDisconnect, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.code), func(t *testing.T) {
			fs := newFakeServer(t, func(ctx context.Context, fc *fakeConn) {
				fc.Welcome(ctx, fmt.Sprintf("p%d", fc.Index))
				if fc.Index == 0 {
					fc.Close(tt.code, "scripted")
					return
				}
				fc.Serve(ctx, nil)
			})
			c := newTestClient(t, Config{URL: fs.URL()})
			disc := Events[Disconnected](c, 8)
			conn := Events[Connected](c, 8)
			if err := c.Connect(context.Background()); err != nil {
				t.Fatal(err)
			}
			d := waitFor(t, disc, func(Disconnected) bool { return true })
			if d.Code != tt.code || d.WillReconnect != tt.reconnect {
				t.Fatalf("Disconnected %+v, want code %d willReconnect %v", d, tt.code, tt.reconnect)
			}
			if tt.reconnect {
				ev := waitFor(t, conn, func(e Connected) bool { return e.IsReconnect })
				if ev.PeerID != "p1" {
					t.Fatalf("reconnected as %s", ev.PeerID)
				}
				return
			}
			time.Sleep(100 * time.Millisecond)
			if c.State() != StateClosed || len(fs.Conns()) != 1 {
				t.Fatalf("terminal code: state %s, %d connections", c.State(), len(fs.Conns()))
			}
			if err := c.Publish(context.Background(), "a", 1); !errors.As(err, new(*DisconnectedError)) {
				t.Fatalf("publish after terminal close: %v", err)
			}
		})
	}
}

func TestTokenProviderRefreshOnExpiry(t *testing.T) {
	var calls atomic.Int32
	provider := func(context.Context) (string, error) {
		return fmt.Sprintf("tok-%d", calls.Add(1)), nil
	}
	fs := newFakeServer(t, func(ctx context.Context, fc *fakeConn) {
		fc.Welcome(ctx, "sub-1")
		if fc.Index == 0 {
			fc.Close(wire.CloseTokenExpired, "token expired")
			return
		}
		fc.Serve(ctx, nil)
	})
	c := newTestClient(t, Config{URL: fs.URL(), TokenProvider: provider})
	conn := Events[Connected](c, 8)
	if err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, conn, func(e Connected) bool { return e.IsReconnect })
	conns := fs.Conns()
	if conns[0].Query["token"] != "tok-1" || conns[1].Query["token"] != "tok-2" {
		t.Fatalf("tokens %q then %q, want tok-1 then tok-2", conns[0].Query["token"], conns[1].Query["token"])
	}
	if _, ok := conns[0].Query["key"]; ok {
		t.Fatal("token connection also sent a key")
	}
}

func TestTokenProviderErrorAtThreshold(t *testing.T) {
	var calls atomic.Int32
	provider := func(context.Context) (string, error) {
		if calls.Add(1) == 1 {
			return "good", nil
		}
		return "", errors.New("mint down")
	}
	fs := newFakeServer(t, func(ctx context.Context, fc *fakeConn) {
		fc.Welcome(ctx, "sub-1")
		fc.Close(wire.CloseTokenExpired, "expired")
	})
	c := newTestClient(t, Config{URL: fs.URL(), TokenProvider: provider})
	tpe := Events[TokenProviderError](c, 8)
	if err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	ev := waitFor(t, tpe, func(TokenProviderError) bool { return true })
	var f *TokenProviderFailure
	if ev.ConsecutiveFailures != TokenProviderFailureThreshold || !errors.As(ev.Err, &f) || f.Code() != CodeTokenProvider {
		t.Fatalf("TokenProviderError %+v", ev)
	}
}

func TestRequests(t *testing.T) {
	fs := newFakeServer(t, func(ctx context.Context, fc *fakeConn) {
		fc.Welcome(ctx, "me")
		fc.Serve(ctx, func(f map[string]any) bool {
			id, _ := f["requestId"].(string)
			switch f["channel"] {
			case "denied":
				fc.SendJSON(ctx, map[string]any{"type": "error", "requestId": id, "code": "channel_not_authorized", "message": "nope"})
				return true
			case "silent":
				return true
			}
			return false
		})
	})
	c := newTestClient(t, Config{URL: fs.URL(), AckTimeout: 200 * time.Millisecond})
	if err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		name     string
		call     func() error
		wantCode string // "" means success
	}{
		{"subscribe ok", func() error { return c.Subscribe(ctx, "room", SubscribeOptions{IncludeSenderMetadata: true}) }, ""},
		{"publish ok", func() error { return c.Publish(ctx, "room", map[string]any{"a": "<b>"}) }, ""},
		{"send ok", func() error { return c.Send(ctx, "other", json.RawMessage(`null`)) }, ""},
		{"unsubscribe ok", func() error { return c.Unsubscribe(ctx, "room") }, ""},
		{"server error", func() error { return c.Publish(ctx, "denied", 1) }, "channel_not_authorized"},
		{"ack timeout", func() error { return c.Subscribe(ctx, "silent", SubscribeOptions{}) }, CodeAckTimeout},
		{"invalid channel", func() error { return c.Publish(ctx, "", 1) }, CodeInvalidArgs},
		{"invalid json", func() error { return c.Send(ctx, "x", json.RawMessage(`{`)) }, CodeInvalidArgs},
		{"oversized", func() error { return c.Publish(ctx, "room", string(make([]byte, 70000))) }, CodeOversized},
		{"unencodable", func() error { return c.Publish(ctx, "room", func() {}) }, CodeInvalidArgs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if tt.wantCode == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var coder Coder
			if !errors.As(err, &coder) || coder.Code() != tt.wantCode {
				t.Fatalf("err = %v, want code %s", err, tt.wantCode)
			}
		})
	}
	raw := fs.Conns()[0].Raw()
	for _, w := range []string{`"includeSenderMetadata":true`, `"data":{"a":"<b>"}`, `"data":null`} {
		if !strings.Contains(raw, w) {
			t.Errorf("frames %s lack %s", raw, w)
		}
	}
}
