package server

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/realtimetest"
	"github.com/rkat-dev/rkat/realtime/signalling"
	"github.com/rkat-dev/rkat/rpc"
	"github.com/rkat-dev/rkat/rpc/wire"
)

// TestAgentJoinLeave: agent/join puts an agent (attached to an existing
// session for the channel) into a channel, where it answers; agent/leave
// takes it out again.
func TestAgentJoinLeave(t *testing.T) {
	rt := realtimetest.Start(t, realtimetest.Config())
	h := newHarness(t, nil)
	var init wire.InitializeResult
	if err := h.call(t, wire.MethodInitialize, nil, &init); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{wire.MethodAgentJoin, wire.MethodAgentLeave} {
		if !slices.Contains(init.Methods, m) {
			t.Errorf("initialize.methods lacks %s", m)
		}
	}
	var created wire.RunResult
	if err := h.call(t, wire.MethodSessionCreate, map[string]any{"prompt": "remember me"}, &created); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	person, err := signalling.New(signalling.Config{URL: rt.URL(), Key: realtimetest.Key})
	if err != nil {
		t.Fatal(err)
	}
	defer person.Close()
	messages := signalling.Events[signalling.Message](person, 64)
	defer messages.Close()
	presence := signalling.Events[signalling.Presence](person, 64)
	defer presence.Close()
	if err := person.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	if err := person.Subscribe(ctx, "room/rpc", signalling.SubscribeOptions{}); err != nil {
		t.Fatal(err)
	}

	var joined wire.AgentJoinResult
	err = h.call(t, wire.MethodAgentJoin, wire.AgentJoinParams{URL: rt.URL(), Channel: "room/rpc", Key: realtimetest.Secret,
		Name: "rpc-agent", Provider: "scripted", SessionID: created.SessionRef}, &joined)
	if err != nil {
		t.Fatal(err)
	}
	if joined.PeerID != "agent:rpc-agent@room/rpc" || joined.AgentID == "" || !json.Valid(joined.Presence) {
		t.Fatalf("agent/join result %+v", joined)
	}
	awaitPresence(ctx, t, presence, func(ev signalling.Presence) bool { return hasPeer(ev.Joined, joined.PeerID) })

	if err := person.Publish(ctx, "room/rpc", "hello agent"); err != nil {
		t.Fatal(err)
	}
	for {
		ev, err := messages.Next(ctx)
		if err != nil {
			t.Fatalf("no answer: %v", err)
		}
		var m struct{ Type, Text string }
		_ = json.Unmarshal(ev.Data, &m)
		if m.Type == "chat" {
			if m.Text != "Scripted reply: "+person.PeerID()+": hello agent" {
				t.Errorf("answer %q", m.Text)
			}
			break
		}
	}
	var hist wire.History
	if err := h.call(t, wire.MethodSessionHistory, map[string]any{"session_id": created.SessionID}, &hist); err != nil {
		t.Fatal(err)
	}
	if hist.MessageCount != 4 {
		t.Errorf("the attached session has %d rows, want its own turn and the channel's", hist.MessageCount)
	}

	var left wire.AgentLeaveResult
	if err := h.call(t, wire.MethodAgentLeave, wire.AgentLeaveParams{AgentID: joined.AgentID}, &left); err != nil || !left.Left {
		t.Fatalf("agent/leave: %+v, %v", left, err)
	}
	awaitPresence(ctx, t, presence, func(ev signalling.Presence) bool { return hasPeer(ev.Left, joined.PeerID) })
}

func TestAgentJoinRejects(t *testing.T) {
	h := newHarness(t, nil)
	tests := []struct {
		method string
		params any
	}{
		{wire.MethodAgentJoin, map[string]any{"url": "ws://127.0.0.1:1", "channel": "c"}},
		{wire.MethodAgentJoin, map[string]any{"url": "ws://127.0.0.1:1", "channel": "c", "key": "pk", "token": "t"}},
		{wire.MethodAgentJoin, map[string]any{"url": "http://127.0.0.1:1", "channel": "c", "key": "pk"}},
		{wire.MethodAgentJoin, map[string]any{"url": "ws://127.0.0.1:1", "channel": "", "key": "pk"}},
		{wire.MethodAgentJoin, map[string]any{"url": "ws://127.0.0.1:1", "channel": "c", "key": "pk", "extra": 1}},
		{wire.MethodAgentLeave, map[string]any{"agent_id": "nobody"}},
	}
	for _, tt := range tests {
		var re *rpc.Error
		if err := h.call(t, tt.method, tt.params, nil); !errors.As(err, &re) || re.Code != rpc.CodeInvalidParams {
			t.Errorf("%s %v: %v, want invalid params", tt.method, tt.params, err)
		}
	}
	// A server that is not there: the join fails and nothing stays behind.
	var re *rpc.Error
	err := h.call(t, wire.MethodAgentJoin, map[string]any{"url": "ws://127.0.0.1:1", "channel": "c", "key": "pk"}, nil)
	if !errors.As(err, &re) || re.Code != rpc.CodeInternalError {
		t.Errorf("join without a server: %v", err)
	}
}

func hasPeer(list []signalling.PresencePeer, id string) bool {
	return slices.ContainsFunc(list, func(p signalling.PresencePeer) bool { return p.PeerID == id })
}

func awaitPresence(ctx context.Context, t *testing.T, s *signalling.Stream[signalling.Presence], ok func(signalling.Presence) bool) {
	t.Helper()
	for {
		ev, err := s.Next(ctx)
		if err != nil {
			t.Fatalf("presence: %v", err)
		}
		if ok(ev) {
			return
		}
	}
}
