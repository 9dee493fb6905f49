package realtime

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/golang-jwt/jwt/v5"

	"github.com/rkat-dev/rkat/realtime/wire"
)

func TestConnectRejections(t *testing.T) {
	_, base, _ := startServer(t, testConfig())
	tests := []struct {
		name  string
		query string
		code  websocket.StatusCode
	}{
		{"neither", "", wire.CloseInvalidToken},
		{"both", "key=" + testKey + "&token=x", wire.CloseInvalidToken},
		{"unknown key", "key=pk_nope", wire.CloseInvalidToken},
		{"suspended app", "key=pk_suspended", wire.CloseAccountSuspended},
		{"garbage token", "token=abc.def.ghi", wire.CloseInvalidToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dialRaw(t, base, tt.query).expectClose(tt.code)
		})
	}
}

func TestAllowedOrigins(t *testing.T) {
	_, base, _ := startServer(t, testConfig())
	dial := func(origin string) *client {
		ctx := t.Context()
		opts := &websocket.DialOptions{HTTPHeader: map[string][]string{}}
		if origin != "" {
			opts.HTTPHeader.Set("Origin", origin)
		}
		ws, _, err := websocket.Dial(ctx, base+"/v1?key=pk_origin", opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = ws.CloseNow() })
		return &client{t: t, ws: ws}
	}
	dial("https://ok.example").expect(wire.TypeWelcome)
	dial("").expect(wire.TypeWelcome) // no Origin header: allowed
	dial("https://evil.example").expectClose(wire.CloseInvalidToken)
}

func TestJWTRejections(t *testing.T) {
	_, base, _ := startServer(t, testConfig())
	now := time.Now()
	mod := func(f func(jwt.MapClaims)) jwt.MapClaims {
		cl := claims("alice")
		f(cl)
		return cl
	}
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, claims("alice")).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	hs384 := jwt.NewWithClaims(jwt.SigningMethodHS384, claims("alice"))
	hs384.Header["kid"] = testKid
	hs384Tok, err := hs384.SignedString([]byte("secret-one"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		token string
		code  websocket.StatusCode
	}{
		{"alg none", none, wire.CloseInvalidToken},
		{"alg HS384", hs384Tok, wire.CloseInvalidToken},
		{"unknown kid", token(t, "k9", "secret-one", claims("alice")), wire.CloseInvalidToken},
		{"missing kid", token(t, "", "secret-one", claims("alice")), wire.CloseInvalidToken},
		{"wrong signature", token(t, testKid, "wrong", claims("alice")), wire.CloseInvalidToken},
		{"expired", token(t, testKid, "secret-one", mod(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Minute).Unix() })), wire.CloseTokenExpired},
		{"exp over 24h", token(t, testKid, "secret-one", mod(func(c jwt.MapClaims) { c["exp"] = now.Add(25 * time.Hour).Unix() })), wire.CloseInvalidToken},
		{"no exp", token(t, testKid, "secret-one", mod(func(c jwt.MapClaims) { delete(c, "exp") })), wire.CloseInvalidToken},
		{"no sub", token(t, testKid, "secret-one", mod(func(c jwt.MapClaims) { delete(c, "sub") })), wire.CloseInvalidToken},
		{"non-ascii sub", token(t, testKid, "secret-one", mod(func(c jwt.MapClaims) { c["sub"] = "élan" })), wire.CloseInvalidToken},
		{"long sub", token(t, testKid, "secret-one", mod(func(c jwt.MapClaims) { c["sub"] = strings.Repeat("a", 129) })), wire.CloseInvalidToken},
		{"no channels", token(t, testKid, "secret-one", mod(func(c jwt.MapClaims) { delete(c, "channels") })), wire.CloseInvalidToken},
		{"bad pattern", token(t, testKid, "secret-one", mod(func(c jwt.MapClaims) { c["channels"] = []string{`a\b`} })), wire.CloseInvalidToken},
		{"no permissions", token(t, testKid, "secret-one", mod(func(c jwt.MapClaims) { delete(c, "permissions") })), wire.CloseInvalidToken},
		{"unknown permission", token(t, testKid, "secret-one", mod(func(c jwt.MapClaims) { c["permissions"] = []string{"admin"} })), wire.CloseInvalidToken},
		{"metadata over 8KB", token(t, testKid, "secret-one", mod(func(c jwt.MapClaims) {
			c["metadata"] = map[string]string{"x": strings.Repeat("m", wire.MaxMetadataBytes)}
		})), wire.CloseInvalidToken},
		{"peerMetadata over 4KB", token(t, testKid, "secret-one", mod(func(c jwt.MapClaims) {
			c["peerMetadata"] = map[string]string{"x": strings.Repeat("m", wire.MaxPeerMetadataBytes)}
		})), wire.CloseInvalidToken},
		{"peerMetadata not object", token(t, testKid, "secret-one", mod(func(c jwt.MapClaims) { c["peerMetadata"] = "Alice" })), wire.CloseInvalidToken},
		{"channels outside signing key", token(t, testKidBound, "secret-two", mod(func(c jwt.MapClaims) { c["channels"] = []string{"other/*"} })), wire.CloseChannelNotAuth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dialRaw(t, base, "token="+url.QueryEscape(tt.token)).expectClose(tt.code)
		})
	}
	t.Run("metadata just under the caps is accepted", func(t *testing.T) {
		tok := token(t, testKid, "secret-one", mod(func(c jwt.MapClaims) {
			c["metadata"] = map[string]string{"x": strings.Repeat("m", wire.MaxMetadataBytes-10)}
			c["peerMetadata"] = map[string]string{"x": strings.Repeat("m", wire.MaxPeerMetadataBytes-10)}
		}))
		dialToken(t, base, tok)
	})
	t.Run("bounded signing key intersects channels", func(t *testing.T) {
		tok := token(t, testKidBound, "secret-two", mod(func(c jwt.MapClaims) { c["channels"] = []string{"room/*"} }))
		c, _ := dialToken(t, base, tok)
		c.send(wire.Subscribe{Type: wire.TypeSubscribe, Channel: "room/a/b", RequestID: "r"})
		c.expectError(wire.ErrChannelNotAuthorized, "r")
		c.subscribe("room/a", true)
	})
	t.Run("token permissions bound actions", func(t *testing.T) {
		tok := token(t, testKid, "secret-one", mod(func(c jwt.MapClaims) { c["permissions"] = []string{"subscribe"} }))
		c, _ := dialToken(t, base, tok)
		c.send(wire.Publish{Type: wire.TypePublish, Channel: "room/1", Data: json.RawMessage(`1`), RequestID: "r"})
		c.expectError(wire.ErrActionNotPermitted, "r")
	})
}

func TestTokenExpiryCloses4002(t *testing.T) {
	_, base, _ := startServer(t, testConfig())
	cl := claims("shortlived")
	cl["exp"] = time.Now().Add(2 * time.Second).Unix()
	c, w := dialToken(t, base, token(t, testKid, "secret-one", cl))
	if w.ExpiresAt == nil || *w.ExpiresAt != cl["exp"].(int64) {
		t.Fatalf("expiresAt %v", w.ExpiresAt)
	}
	c.expectClose(wire.CloseTokenExpired)
}

func TestDuplicateSubReplacesOlder(t *testing.T) {
	_, base, _ := startServer(t, testConfig())
	watcher, _ := dialKey(t, base, testKey)
	watcher.subscribe("room/d", true)
	old, _ := dialToken(t, base, token(t, testKid, "secret-one", claims("dup")))
	old.subscribe("room/d", true)
	watcher.expect(wire.TypePresence)

	fresh, _ := dialToken(t, base, token(t, testKid, "secret-one", claims("dup")))
	old.expectClose(wire.CloseAdminDisconnect)
	if l := watcher.expect(wire.TypePresence); peerIDs(l.Left) != "dup" {
		t.Fatalf("watcher saw %+v", l)
	}
	fresh.subscribe("room/d", true)
	if j := watcher.expect(wire.TypePresence); peerIDs(j.Joined) != "dup" {
		t.Fatalf("watcher saw %+v", j)
	}
	// Directs reach the new connection.
	watcher.send(wire.Send{Type: wire.TypeSend, To: "dup", Data: json.RawMessage(`1`), RequestID: "s"})
	watcher.expectAck("s")
	fresh.expect(wire.TypeDirect)
}

func TestConcurrentConnectionLimit(t *testing.T) {
	cfg := testConfig()
	cfg.Limits.MaxConnections = 2
	_, base, _ := startServer(t, cfg)
	dialKey(t, base, testKey)
	dialKey(t, base, testKey)
	dialRaw(t, base, "key="+testKey).expectClose(wire.CloseOverConcurrent)
	dialKey(t, base, "pk_other_app") // other apps have their own count
}

func TestOversizedFrameCloses1009(t *testing.T) {
	cfg := testConfig()
	cfg.Limits.MaxMessageSize = 1000
	_, base, _ := startServer(t, cfg)
	c, w := dialKey(t, base, testKey)
	if w.MaxMessageSize != 1000 {
		t.Fatalf("maxMessageSize %d", w.MaxMessageSize)
	}
	// Data over maxMessageSize but inside the envelope slack is still relayed.
	c.send(wire.Publish{Type: wire.TypePublish, Channel: "room/1", Data: json.RawMessage(`"` + strings.Repeat("a", 1500) + `"`), RequestID: "ok"})
	c.expectAck("ok")
	c.send(wire.Publish{Type: wire.TypePublish, Channel: "room/1", Data: json.RawMessage(`"` + strings.Repeat("a", 4000) + `"`), RequestID: "big"})
	c.expectClose(websocket.StatusMessageTooBig)
}

func TestRateLimitCloses4011(t *testing.T) {
	cfg := testConfig()
	cfg.Limits.RatePerSecond = 1
	cfg.Limits.RateBurst = 5
	_, base, _ := startServer(t, cfg)
	c, _ := dialKey(t, base, testKey)
	for range 20 {
		c.sendRaw(`{"type":"ping"}`)
	}
	c.expectClose(wire.CloseOverMessageRate)
}

func TestSlowConsumerIsDisconnected(t *testing.T) {
	cfg := testConfig()
	cfg.Limits.QueueFrames = 4
	cfg.Limits.QueueBytes = 1 << 20
	cfg.Limits.RateBurst = 10000
	cfg.Limits.RatePerSecond = 10000
	cfg.Limits.WriteTimeout = Duration(time.Second)
	srv, base, _ := startServer(t, cfg)
	slow, _ := dialKey(t, base, testKey)
	slow.subscribe("room/s", true)
	fast, _ := dialKey(t, base, testKey)
	fast.subscribe("room/s", true)
	slow.expect(wire.TypePresence)
	pub, _ := dialKey(t, base, testKey)
	payload := json.RawMessage(`"` + strings.Repeat("x", 60000) + `"`)
	// fast keeps reading; slow never reads again. The publisher is never
	// blocked: every publish is acked. The publisher waits for fast to
	// receive each message before the next, so fast never has more than
	// one frame queued however loaded the machine is; slow's queue
	// overflows once its socket buffers are full.
	const total = 400
	received := make(chan struct{}, total)
	type result struct {
		messages int
		sawLeft  bool
		err      error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		for r.messages < total || !r.sawLeft {
			_, b, err := fast.ws.Read(t.Context())
			if err != nil {
				r.err = err
				break
			}
			var f wire.ServerFrame
			_ = json.Unmarshal(b, &f)
			switch f.Type {
			case wire.TypeMessage:
				r.messages++
				received <- struct{}{}
			case wire.TypePresence:
				r.sawLeft = r.sawLeft || len(f.Left) == 1
			}
		}
		done <- r
	}()
	var final *result // the reader's outcome, once it has ended
	for i := range total {
		pub.send(wire.Publish{Type: wire.TypePublish, Channel: "room/s", Data: payload, RequestID: "p"})
		pub.expectAck("p")
		select {
		case <-received:
		case r := <-done:
			// It may end on the last message, if it already saw slow leave.
			if r.err != nil || r.messages <= i {
				t.Fatalf("fast reader stopped early: %+v", r)
			}
			final = &r
		}
	}
	if final == nil {
		r := <-done
		final = &r
	}
	// fast got every message and saw slow leave.
	if r := *final; r.err != nil || r.messages != total || !r.sawLeft {
		t.Fatalf("fast reader: %+v", r)
	}
	if got := testutilCounter(t, srv, "rkat_realtime_drops_total", `reason="slow_consumer"`); got < 1 {
		t.Fatalf("slow_consumer drops = %v", got)
	}
}

func TestIdleConnectionIsDropped(t *testing.T) {
	cfg := testConfig()
	cfg.Limits.PingInterval = Duration(50 * time.Millisecond)
	cfg.Limits.IdleTimeout = Duration(300 * time.Millisecond)
	_, base, _ := startServer(t, cfg)
	watcher, _ := dialKey(t, base, testKey)
	watcher.subscribe("room/i", true)
	// A client that reads (and so answers pings) stays; one that stops
	// reading is dropped and leaves the channel.
	idle, _ := dialKey(t, base, testKey)
	idle.subscribe("room/i", true)
	watcher.expect(wire.TypePresence)
	if l := watcher.expect(wire.TypePresence); len(l.Left) != 1 {
		t.Fatalf("watcher saw %+v", l)
	}
	watcher.alive()
}
