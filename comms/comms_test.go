package comms_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/comms"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// inbox collects a peer's inbound envelopes.
type inbox chan comms.Inbound

func (in inbox) handle(i comms.Inbound) { in <- i }

func (in inbox) next(t *testing.T) comms.Inbound {
	t.Helper()
	select {
	case i := <-in:
		return i
	case <-time.After(10 * time.Second):
		t.Fatal("no envelope arrived")
		return comms.Inbound{}
	}
}

func join(t *testing.T, n *comms.Network, name string) (*comms.Peer, inbox) {
	t.Helper()
	in := make(inbox, 16)
	p, err := n.Join(context.Background(), comms.Member{Name: name, SessionID: "s-" + name, Labels: map[string]string{"team": "a"}}, in.handle)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p, in
}

func waitPeer(t *testing.T, p *comms.Peer, name string) comms.PeerInfo {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if pi, err := p.Lookup(name); err == nil {
			return pi
		}
	}
	t.Fatalf("%s never saw %s in presence", p.Name(), name)
	return comms.PeerInfo{}
}

func TestEmbeddedHubMessagesAndRequests(t *testing.T) {
	n, err := comms.New(comms.Config{RequestTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	alice, aliceIn := join(t, n, "alice")
	bob, bobIn := join(t, n, "bob")
	pi := waitPeer(t, alice, "bob")
	if pi.PeerID != bob.PeerID() || pi.Kind != comms.MetaKind || pi.SessionID != "s-bob" {
		t.Fatalf("presence of bob = %+v, peer id %s", pi, bob.PeerID())
	}
	waitPeer(t, bob, "alice")

	if _, err := alice.Send(context.Background(), "bob", comms.Envelope{Kind: comms.KindMessage, Body: "hello"}); err != nil {
		t.Fatal(err)
	}
	got := bobIn.next(t)
	if got.Kind != comms.KindMessage || got.Body != "hello" || got.From.Name != "alice" || got.From.PeerID != alice.PeerID() {
		t.Fatalf("bob got %+v", got)
	}

	req, err := alice.Send(context.Background(), "bob", comms.Envelope{Kind: comms.KindRequest, Intent: "sum", Params: json.RawMessage(`{"a":1,"b":2}`)})
	if err != nil || req.RequestID == "" {
		t.Fatalf("request: %+v %v", req, err)
	}
	got = bobIn.next(t)
	if got.Kind != comms.KindRequest || got.RequestID != req.RequestID || string(got.Params) != `{"a":1,"b":2}` {
		t.Fatalf("bob got %+v", got)
	}
	if _, err := bob.Send(context.Background(), got.From.PeerID, comms.Envelope{Kind: comms.KindResponse, InReplyTo: got.RequestID,
		Status: comms.StatusCompleted, Result: json.RawMessage(`3`)}); err != nil {
		t.Fatal(err)
	}
	resp := aliceIn.next(t)
	if resp.Kind != comms.KindResponse || resp.InReplyTo != req.RequestID || resp.Status != comms.StatusCompleted || string(resp.Result) != "3" || resp.Local {
		t.Fatalf("alice got %+v", resp)
	}
	// The answered request no longer times out.
	select {
	case extra := <-aliceIn:
		t.Fatalf("unexpected envelope after the answer: %+v", extra)
	case <-time.After(500 * time.Millisecond):
	}

	// An unanswered request times out with a local failed response.
	req, err = alice.Send(context.Background(), "bob", comms.Envelope{Kind: comms.KindRequest, Intent: "never"})
	if err != nil {
		t.Fatal(err)
	}
	bobIn.next(t)
	resp = aliceIn.next(t)
	if !resp.Local || resp.Status != comms.StatusFailed || resp.InReplyTo != req.RequestID || string(resp.Result) == "" {
		t.Fatalf("timeout response %+v (%s)", resp, resp.Result)
	}

	if _, err := alice.Send(context.Background(), "carol", comms.Envelope{Kind: comms.KindMessage, Body: "x"}); !errors.Is(err, comms.ErrPeerNotFound) {
		t.Fatalf("send to absent peer: %v", err)
	}
}

func TestRequestToPeerThatLeaves(t *testing.T) {
	n, err := comms.New(comms.Config{RequestTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	alice, aliceIn := join(t, n, "alice")
	bob, bobIn := join(t, n, "bob")
	waitPeer(t, alice, "bob")
	req, err := alice.Send(context.Background(), "bob", comms.Envelope{Kind: comms.KindRequest, Intent: "slow"})
	if err != nil {
		t.Fatal(err)
	}
	bobIn.next(t)
	_ = bob.Close()
	resp := aliceIn.next(t)
	var res map[string]string
	_ = json.Unmarshal(resp.Result, &res)
	if !resp.Local || resp.Status != comms.StatusFailed || resp.InReplyTo != req.RequestID || res["error"] != "peer_left" {
		t.Fatalf("response after leave %+v %s", resp, resp.Result)
	}
}

func TestParseEnvelope(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{`{"kind":"peer_message","body":"hi"}`, true},
		{`{"kind":"peer_message"}`, false},
		{`{"kind":"peer_request","request_id":"r","intent":"x","params":{}}`, true},
		{`{"kind":"peer_request","intent":"x"}`, false},
		{`{"kind":"peer_response","in_reply_to":"r","status":"completed","result":1}`, true},
		{`{"kind":"peer_response","in_reply_to":"r","status":"done"}`, false},
		{`{"kind":"peer_lifecycle","lifecycle_kind":"mob.peer_added"}`, true},
		{`{"kind":"peer_message","body":"hi","handling_mode":"now"}`, false},
		{`{"kind":"peer_message","body":"hi","from":"spoof"}`, false},
		{`{"kind":"other"}`, false},
		{`{"kind":"peer_message","body":"a"} {}`, false},
		{`[]`, false},
	} {
		_, err := comms.ParseEnvelope([]byte(tc.in))
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, comms.ErrEnvelope)) {
			t.Errorf("%s: err %v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}

func FuzzParseEnvelope(f *testing.F) {
	f.Add([]byte(`{"kind":"peer_message","body":"hi"}`))
	f.Add([]byte(`{"kind":"peer_response","in_reply_to":"r","status":"failed","result":{"e":1}}`))
	f.Add([]byte(`{"kind":"peer_request","request_id":"r","intent":"x","handling_mode":"steer"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := comms.ParseEnvelope(data)
		if err != nil {
			return
		}
		if e.Validate() != nil {
			t.Fatal("parsed envelope does not validate")
		}
		b, _ := json.Marshal(e)
		if _, err := comms.ParseEnvelope(b); err != nil {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// TestAllow: a peer's Allow (a mob's wiring) hides unwired comms peers,
// refuses sends to them and drops what they send.
func TestAllow(t *testing.T) {
	n, err := comms.New(comms.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	in := make(inbox, 16)
	alice, err := n.Join(context.Background(), comms.Member{Name: "alice", Channel: "mob/w", Extra: map[string]any{"role": "lead"},
		Allow: func(pi comms.PeerInfo) bool { return pi.Role == "rev" }}, in.handle)
	if err != nil {
		t.Fatal(err)
	}
	defer alice.Close()
	join := func(name, role string) (*comms.Peer, inbox) {
		in := make(inbox, 16)
		p, err := n.Join(context.Background(), comms.Member{Name: name, Channel: "mob/w", Extra: map[string]any{"role": role}}, in.handle)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.Close() })
		return p, in
	}
	bob, _ := join("bob", "rev")
	carol, _ := join("carol", "other")
	waitPeer(t, alice, "bob")
	waitPeer(t, carol, "alice")
	if peers := alice.Peers(); len(peers) != 1 || peers[0].Name != "bob" {
		t.Fatalf("alice sees %+v", peers)
	}
	if _, err := alice.Send(context.Background(), "carol", comms.Envelope{Kind: comms.KindMessage, Body: "x"}); !errors.Is(err, comms.ErrPeerNotFound) {
		t.Fatalf("send to an unwired peer: %v", err)
	}
	if _, err := carol.Send(context.Background(), "alice", comms.Envelope{Kind: comms.KindMessage, Body: "from carol"}); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Send(context.Background(), "alice", comms.Envelope{Kind: comms.KindMessage, Body: "from bob"}); err != nil {
		t.Fatal(err)
	}
	if got := in.next(t); got.Body != "from bob" {
		t.Fatalf("alice got %+v first; carol's message should have been dropped", got)
	}
	if alice.Dropped() != 1 {
		t.Fatalf("dropped %d, want 1", alice.Dropped())
	}
}
