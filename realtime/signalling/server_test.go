package signalling

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/realtimetest"
	"github.com/rkat-dev/rkat/realtime/wire"
)

// mintVia returns a token provider that mints through the server's REST
// API; the first token lives ttlFirst, later ones an hour.
func mintVia(srv *realtimetest.Server, sub string, ttlFirst time.Duration, calls *atomic.Int32) TokenProvider {
	return func(ctx context.Context) (string, error) {
		ttl := time.Hour
		if calls.Add(1) == 1 {
			ttl = ttlFirst
		}
		return srv.Mint(ctx, sub, ttl)
	}
}

// TestRealServerTokenExpiryRefresh: the server closes with 4002 as the JWT
// expires; the client asks the provider again and comes back with the same
// peer id and its subscription.
func TestRealServerTokenExpiryRefresh(t *testing.T) {
	srv := realtimetest.Start(t, realtimetest.Config())
	var calls atomic.Int32
	c := newTestClient(t, Config{URL: srv.URL(), TokenProvider: mintVia(srv, "agent-7", 2*time.Second, &calls)})
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
	srv := realtimetest.Start(t, realtimetest.Config())
	ctx := context.Background()
	a := newTestClient(t, Config{URL: srv.URL(), Key: realtimetest.Key})
	b := newTestClient(t, Config{URL: srv.URL(), Key: realtimetest.Key})
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
