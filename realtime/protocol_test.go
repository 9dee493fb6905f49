package realtime

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/rkat-dev/rkat/realtime/wire"
)

func TestWelcome(t *testing.T) {
	_, base, _ := startServer(t, testConfig())
	c, w := dialKey(t, base, testKey)
	if _, err := uuid.Parse(w.PeerID); err != nil {
		t.Errorf("pk peerId %q is not a UUID", w.PeerID)
	}
	if w.ExpiresAt != nil || w.MaxMessageSize != wire.DefaultMaxMessageSize || w.ServerTime < 1e9 || w.ServerTime > 1e11 {
		t.Errorf("welcome fields: %+v", w)
	}
	if !strings.Contains(string(w.Metadata), `"stun:stun.example.org:3478"`) {
		t.Errorf("welcome metadata %s lacks iceServers", w.Metadata)
	}
	c.alive()

	// expiresAt must be present as null for pk keys.
	c2 := dialRaw(t, base, "key="+testKey)
	_, raw := c2.next()
	if !strings.Contains(string(raw), `"expiresAt":null`) {
		t.Errorf("welcome %s lacks expiresAt:null", raw)
	}
	_, w2 := dialKey(t, base, testKey)
	if w2.PeerID == w.PeerID {
		t.Error("pk connections must get fresh peer ids")
	}

	tok := token(t, testKid, "secret-one", func() map[string]any {
		cl := claims("alice")
		cl["metadata"] = map[string]any{"iceServers": []any{map[string]any{"urls": "turn:t.example:3478"}}}
		return cl
	}())
	_, jw := dialToken(t, base, tok)
	if jw.PeerID != "alice" || jw.ExpiresAt == nil || !strings.Contains(string(jw.Metadata), "turn:t.example") {
		t.Errorf("jwt welcome: %+v metadata %s", jw, jw.Metadata)
	}
}

func TestPresenceOrder(t *testing.T) {
	_, base, _ := startServer(t, testConfig())
	tokA := token(t, testKid, "secret-one", func() map[string]any {
		cl := claims("alice")
		cl["peerMetadata"] = map[string]any{"name": "Alice"}
		return cl
	}())
	a, _ := dialToken(t, base, tokA)
	b, _ := dialToken(t, base, token(t, testKid, "secret-one", claims("bob")))

	snap := a.subscribe("room/1", true)
	if len(snap.Joined) != 0 || snap.Left == nil && snap.Joined == nil && snap.Channel != "room/1" {
		t.Fatalf("first snapshot should be empty: %+v", snap)
	}
	// bob joins: alice is told first, then bob gets ack and a snapshot with alice.
	b.send(wire.Subscribe{Type: wire.TypeSubscribe, Channel: "room/1", RequestID: "s1"})
	j := a.expect(wire.TypePresence)
	if peerIDs(j.Joined) != "bob" || len(j.Left) != 0 {
		t.Fatalf("alice saw %+v", j)
	}
	b.expectAck("s1")
	s := b.expect(wire.TypePresence)
	if peerIDs(s.Joined) != "alice" || string(s.Joined[0].Metadata) != `{"name":"Alice"}` {
		t.Fatalf("bob snapshot %+v", s)
	}
	// Re-subscribe: ack + fresh snapshot, no re-announce to alice.
	b.send(wire.Subscribe{Type: wire.TypeSubscribe, Channel: "room/1", RequestID: "s2"})
	b.expectAck("s2")
	if s := b.expect(wire.TypePresence); peerIDs(s.Joined) != "alice" {
		t.Fatalf("re-subscribe snapshot %+v", s)
	}
	a.alive() // no presence frame queued before the pong

	// Unsubscribe: alice sees bob leave; unsubscribe is idempotent.
	b.send(wire.Unsubscribe{Type: wire.TypeUnsubscribe, Channel: "room/1", RequestID: "u1"})
	b.expectAck("u1")
	b.send(wire.Unsubscribe{Type: wire.TypeUnsubscribe, Channel: "room/1", RequestID: "u2"})
	b.expectAck("u2")
	if l := a.expect(wire.TypePresence); peerIDs(l.Left) != "bob" || len(l.Joined) != 0 {
		t.Fatalf("alice saw %+v", l)
	}
	// Socket close: left for the closed peer.
	b.subscribe("room/1", true)
	a.expect(wire.TypePresence)
	_ = b.ws.CloseNow()
	if l := a.expect(wire.TypePresence); peerIDs(l.Left) != "bob" {
		t.Fatalf("alice saw %+v after close", l)
	}
}

func TestSilentListenerWithoutPresence(t *testing.T) {
	_, base, _ := startServer(t, testConfig())
	a, _ := dialKey(t, base, testKey)
	a.subscribe("room/x", true)
	ro, _ := dialKey(t, base, testKeyRO)
	ro.subscribe("room/x", false) // no snapshot for a peer without presence
	ro.alive()
	a.alive() // and alice was not told about it
	a.send(wire.Publish{Type: wire.TypePublish, Channel: "room/x", Data: json.RawMessage(`1`), RequestID: "p"})
	a.expectAck("p")
	if m := ro.expect(wire.TypeMessage); string(m.Data) != "1" {
		t.Fatalf("listener got %+v", m)
	}
}

func TestPublishAndDirect(t *testing.T) {
	_, base, _ := startServer(t, testConfig())
	withMeta := func(sub string) string {
		cl := claims(sub)
		cl["peerMetadata"] = map[string]any{"name": sub}
		return token(t, testKid, "secret-one", cl)
	}
	alice, _ := dialToken(t, base, withMeta("alice"))
	bob, _ := dialToken(t, base, withMeta("bob"))
	carol, _ := dialKey(t, base, testKey)
	alice.subscribe("room/a", true)
	bob.send(wire.Subscribe{Type: wire.TypeSubscribe, Channel: "room/a", RequestID: "b", IncludeSenderMetadata: true})
	alice.expect(wire.TypePresence)
	bob.expectAck("b")
	bob.expect(wire.TypePresence)
	carol.subscribe("room/a", true)
	alice.expect(wire.TypePresence)
	bob.expect(wire.TypePresence)

	alice.sendRaw(`{"type":"publish","channel":"room/a","data":{"text":"hi","n":[1,null]},"requestId":"p1"}`)
	alice.expectAck("p1")
	m := bob.expect(wire.TypeMessage)
	if m.From != "alice" || m.Channel != "room/a" || string(m.Data) != `{"text":"hi","n":[1,null]}` || string(m.FromMetadata) != `{"name":"alice"}` {
		t.Fatalf("bob got %+v (meta %s)", m, m.FromMetadata)
	}
	_, raw := carol.next()
	if !strings.Contains(string(raw), `"from":"alice"`) || strings.Contains(string(raw), "fromMetadata") {
		t.Fatalf("carol (no opt-in) got %s", raw)
	}
	alice.alive() // the publisher does not get its own message

	// Re-subscribing replaces includeSenderMetadata: bob opts out.
	bob.send(wire.Subscribe{Type: wire.TypeSubscribe, Channel: "room/a", RequestID: "b2"})
	bob.expectAck("b2")
	bob.expect(wire.TypePresence)
	alice.send(wire.Publish{Type: wire.TypePublish, Channel: "room/a", Data: json.RawMessage(`2`), RequestID: "p2"})
	alice.expectAck("p2")
	if m := bob.expect(wire.TypeMessage); m.FromMetadata != nil {
		t.Fatalf("opted-out subscriber got fromMetadata %s", m.FromMetadata)
	}
	carol.expect(wire.TypeMessage)

	// null data is valid and relayed.
	bob.sendRaw(`{"type":"publish","channel":"room/a","data":null}`)
	_, raw = alice.next()
	if !strings.Contains(string(raw), `"data":null`) {
		t.Fatalf("alice got %s", raw)
	}
	carol.expect(wire.TypeMessage)

	// Directs carry fromMetadata; pk peers can send to JWT peers and back.
	alice.send(wire.Send{Type: wire.TypeSend, To: "bob", Data: json.RawMessage(`{"hello":1}`), RequestID: "d1"})
	alice.expectAck("d1")
	d := bob.expect(wire.TypeDirect)
	if d.From != "alice" || string(d.Data) != `{"hello":1}` || string(d.FromMetadata) != `{"name":"alice"}` {
		t.Fatalf("direct %+v", d)
	}
	carol.send(wire.Send{Type: wire.TypeSend, To: "alice", Data: json.RawMessage(`"x"`), RequestID: "d2"})
	carol.expectAck("d2")
	if d := alice.expect(wire.TypeDirect); d.FromMetadata != nil || string(d.Data) != `"x"` {
		t.Fatalf("direct from pk %+v", d)
	}
	alice.send(wire.Send{Type: wire.TypeSend, To: "nobody", Data: json.RawMessage(`1`), RequestID: "d3"})
	alice.expectError(wire.ErrPeerNotFound, "d3")
	// Self-send is delivered like any other.
	alice.send(wire.Send{Type: wire.TypeSend, To: "alice", Data: json.RawMessage(`2`), RequestID: "d4"})
	alice.expect(wire.TypeDirect)
	alice.expectAck("d4")
}

func TestTenancy(t *testing.T) {
	_, base, _ := startServer(t, testConfig())
	a, wa := dialKey(t, base, testKey)
	o, _ := dialKey(t, base, "pk_other_app")
	a.subscribe("room/t", true)
	o.subscribe("room/t", true) // same name, other app: separate channel
	o.send(wire.Publish{Type: wire.TypePublish, Channel: "room/t", Data: json.RawMessage(`1`), RequestID: "p"})
	o.expectAck("p")
	o.send(wire.Send{Type: wire.TypeSend, To: wa.PeerID, Data: json.RawMessage(`1`), RequestID: "s"})
	o.expectError(wire.ErrPeerNotFound, "s")
	a.alive()
}

func TestFrameErrors(t *testing.T) {
	_, base, _ := startServer(t, testConfig())
	tests := []struct {
		name, frame, code, rid string
		key                    string
	}{
		{name: "not json", frame: `nope`, code: wire.ErrMalformedMessage},
		{name: "array", frame: `[1,2]`, code: wire.ErrMalformedMessage},
		{name: "no type", frame: `{"requestId":"r"}`, code: wire.ErrMalformedMessage, rid: "r"},
		{name: "bad requestId", frame: `{"type":"subscribe","channel":"room/1","requestId":7}`, code: wire.ErrMalformedMessage},
		{name: "unknown type", frame: `{"type":"hello","requestId":"r"}`, code: wire.ErrUnknownType, rid: "r"},
		{name: "empty channel", frame: `{"type":"subscribe","channel":"","requestId":"r"}`, code: wire.ErrInvalidChannel, rid: "r"},
		{name: "control channel", frame: `{"type":"publish","channel":"room/\u0001","data":1,"requestId":"r"}`, code: wire.ErrInvalidChannel, rid: "r"},
		{name: "long channel", frame: `{"type":"subscribe","channel":"room/` + strings.Repeat("x", 300) + `"}`, code: wire.ErrInvalidChannel},
		{name: "bad to", frame: `{"type":"send","to":5,"data":1,"requestId":"r"}`, code: wire.ErrInvalidPeerID, rid: "r"},
		{name: "missing data", frame: `{"type":"publish","channel":"room/1","requestId":"r"}`, code: wire.ErrMissingData, rid: "r"},
		{name: "reserved", frame: `{"type":"subscribe","channel":"_Metered/x","requestId":"r"}`, code: wire.ErrChannelReserved, rid: "r"},
		{name: "reserved publish", frame: `{"type":"publish","channel":"_system/x","data":1,"requestId":"r"}`, code: wire.ErrChannelReserved, rid: "r"},
		{name: "not authorized", frame: `{"type":"subscribe","channel":"other/1","requestId":"r"}`, code: wire.ErrChannelNotAuthorized, rid: "r"},
		{name: "not permitted publish", key: testKeyRO, frame: `{"type":"publish","channel":"room/1","data":1,"requestId":"r"}`, code: wire.ErrActionNotPermitted, rid: "r"},
		{name: "not permitted send", key: testKeyRO, frame: `{"type":"send","to":"x","data":1,"requestId":"r"}`, code: wire.ErrActionNotPermitted, rid: "r"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := tt.key
			if key == "" {
				key = testKey
			}
			c, _ := dialKey(t, base, key)
			c.sendRaw(tt.frame)
			c.expectError(tt.code, tt.rid)
			c.alive()
		})
	}
	t.Run("binary frame", func(t *testing.T) {
		c, _ := dialKey(t, base, testKey)
		if err := c.ws.Write(t.Context(), 2, []byte(`{"type":"ping"}`)); err != nil {
			t.Fatal(err)
		}
		c.expectError(wire.ErrMalformedMessage, "")
		c.alive()
	})
	t.Run("ping with requestId gets only pong", func(t *testing.T) {
		c, _ := dialKey(t, base, testKey)
		c.sendRaw(`{"type":"ping","requestId":"x"}`)
		c.expect(wire.TypePong)
		c.alive()
	})
}

func TestSubscriptionLimit(t *testing.T) {
	cfg := testConfig()
	cfg.Limits.MaxSubscriptions = 3
	_, base, _ := startServer(t, cfg)
	c, _ := dialKey(t, base, testKey)
	for _, ch := range []string{"room/1", "room/2", "room/3"} {
		c.subscribe(ch, true)
	}
	c.send(wire.Subscribe{Type: wire.TypeSubscribe, Channel: "room/4", RequestID: "r"})
	c.expectError(wire.ErrChannelLimitExceeded, "r")
	c.subscribe("room/2", true) // re-subscribing an existing channel is fine
	c.alive()
}

func TestMessageQuota(t *testing.T) {
	cfg := testConfig()
	cfg.Limits.MessageQuota = 2
	_, base, _ := startServer(t, cfg)
	c, _ := dialKey(t, base, testKey)
	for i, rid := range []string{"a", "b"} {
		c.send(wire.Publish{Type: wire.TypePublish, Channel: "room/q", Data: json.RawMessage{'0' + byte(i)}, RequestID: rid})
		c.expectAck(rid)
	}
	c.send(wire.Publish{Type: wire.TypePublish, Channel: "room/q", Data: json.RawMessage(`1`), RequestID: "c"})
	c.expectError(wire.ErrOverMessageQuota, "c")
	c.alive()
}

// Concurrent joins: every member's view (snapshot plus joined deltas) ends
// up as exactly the other members, with nobody announced twice.
func TestConcurrentJoinsGiveConsistentPresence(t *testing.T) {
	_, base, _ := startServer(t, testConfig())
	const n = 12
	clients := make([]*client, n)
	self := make([]string, n)
	ids := map[string]bool{}
	for i := range clients {
		var w wire.ServerFrame
		clients[i], w = dialKey(t, base, testKey)
		self[i], ids[w.PeerID] = w.PeerID, true
	}
	for _, c := range clients {
		go func() {
			_ = c.ws.Write(t.Context(), 1, []byte(`{"type":"subscribe","channel":"room/c","requestId":"s"}`))
		}()
	}
	for i, c := range clients {
		view := map[string]bool{}
		acked := false
		for len(view) < n-1 || !acked {
			f, raw := c.next()
			switch f.Type {
			case wire.TypeAck:
				acked = true
			case wire.TypePresence:
				for _, e := range f.Joined {
					if view[e.PeerID] || !ids[e.PeerID] || e.PeerID == self[i] {
						t.Fatalf("client %d: duplicate or unknown join %s", i, raw)
					}
					view[e.PeerID] = true
				}
			default:
				t.Fatalf("client %d: unexpected %s", i, raw)
			}
		}
	}
}
