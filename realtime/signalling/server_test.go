package signalling

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/realtime"
	"github.com/rkat-dev/rkat/realtime/wire"
)

// realServer runs the realtime server (package realtime) on loopback.
func realServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv, err := realtime.New(realtime.Config{
		Keys:        []realtime.KeyConfig{{Key: "pk_real", Channels: []string{"**"}, Permissions: []string{"subscribe", "publish", "presence", "send"}}},
		SigningKeys: []realtime.SigningKeyConfig{{Kid: "sk_id_real", Secret: "real-secret"}},
		SecretKeys:  []realtime.SecretKeyConfig{{Key: "sk_real"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		hs.Close()
	})
	return hs
}

// mintVia returns a token provider that mints through the server's REST
// API; the first token lives ttlFirst seconds, later ones an hour.
func mintVia(hs *httptest.Server, sub string, ttlFirst int64, calls *atomic.Int32) TokenProvider {
	return func(ctx context.Context) (string, error) {
		ttl := int64(3600)
		if calls.Add(1) == 1 {
			ttl = ttlFirst
		}
		body, _ := json.Marshal(realtime.MintRequest{Sub: sub, Channels: []string{"**"}, Permissions: []string{"subscribe", "publish", "presence", "send"}, TTLSeconds: ttl})
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, hs.URL+"/v1/tokens", bytes.NewReader(body))
		if err != nil {
			return "", err
		}
		req.Header.Set("Authorization", "Bearer sk_real")
		resp, err := hs.Client().Do(req)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		var out realtime.MintResponse
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Token == "" {
			return "", fmt.Errorf("mint: status %d: %v", resp.StatusCode, err)
		}
		return out.Token, nil
	}
}

// TestRealServerTokenExpiryRefresh: the server closes with 4002 as the JWT
// expires; the client asks the provider again and comes back with the same
// peer id and its subscription.
func TestRealServerTokenExpiryRefresh(t *testing.T) {
	hs := realServer(t)
	var calls atomic.Int32
	c := newTestClient(t, Config{URL: strings.Replace(hs.URL, "http://", "ws://", 1), TokenProvider: mintVia(hs, "agent-7", 2, &calls)})
	disc := Events[Disconnected](c, 4)
	conn := Events[Connected](c, 4)
	presence := Events[Presence](c, 8)
	ctx := context.Background()
	if err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Subscribe(ctx, "room/exp", SubscribeOptions{}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, presence, func(Presence) bool { return true }) // the snapshot
	d := waitFor(t, disc, func(Disconnected) bool { return true })
	if d.Code != wire.CloseTokenExpired || !d.WillReconnect {
		t.Fatalf("Disconnected %+v, want 4002 with reconnect", d)
	}
	ev := waitFor(t, conn, func(e Connected) bool { return e.IsReconnect })
	if ev.PeerID != "agent-7" || calls.Load() < 2 {
		t.Fatalf("reconnected as %s after %d provider calls", ev.PeerID, calls.Load())
	}
	p := waitFor(t, presence, func(Presence) bool { return true }) // replayed subscribe's snapshot
	if p.Channel != "room/exp" {
		t.Fatalf("presence for %q", p.Channel)
	}
	if err := c.Publish(ctx, "room/exp", "still here"); err != nil {
		t.Fatal(err)
	}
}

// TestRealServerPubSub exchanges a publish and a send between two clients
// and checks presence on the real server.
func TestRealServerPubSub(t *testing.T) {
	hs := realServer(t)
	url := strings.Replace(hs.URL, "http://", "ws://", 1)
	ctx := context.Background()
	a := newTestClient(t, Config{URL: url, Key: "pk_real"})
	b := newTestClient(t, Config{URL: url, Key: "pk_real"})
	aPresence := Events[Presence](a, 8)
	bMsgs := Events[Message](b, 4)
	aDirect := Events[Direct](a, 4)
	for _, c := range []*Client{a, b} {
		if err := c.Connect(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Subscribe(ctx, "room/pubsub", SubscribeOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := b.Subscribe(ctx, "room/pubsub", SubscribeOptions{}); err != nil {
		t.Fatal(err)
	}
	p := waitFor(t, aPresence, func(p Presence) bool { return len(p.Joined) == 1 })
	if p.Joined[0].PeerID != b.PeerID() {
		t.Fatalf("a saw %+v join, want %s", p.Joined, b.PeerID())
	}
	if err := a.Publish(ctx, "room/pubsub", map[string]any{"n": 1}); err != nil {
		t.Fatal(err)
	}
	if m := waitFor(t, bMsgs, func(Message) bool { return true }); m.SenderPeerID != a.PeerID() || string(m.Data) != `{"n":1}` {
		t.Fatalf("b got %+v", m)
	}
	if err := b.Send(ctx, a.PeerID(), []int{1, 2}); err != nil {
		t.Fatal(err)
	}
	if d := waitFor(t, aDirect, func(Direct) bool { return true }); d.SenderPeerID != b.PeerID() || string(d.Data) != `[1,2]` {
		t.Fatalf("a got %+v", d)
	}
	var sre *ServerRequestError
	if err := a.Send(ctx, "nobody-here", 1); !errors.As(err, &sre) || sre.Code() != wire.ErrPeerNotFound {
		t.Fatalf("send to unknown peer: %v", err)
	}
}
