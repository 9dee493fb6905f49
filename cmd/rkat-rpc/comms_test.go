package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/realtimetest"
)

// commsScript drives two sessions that talk through the hub: every step
// is a tool call of the scripted model, and each peer's envelope starts a
// turn whose prompt names it ("[comms <kind> from <name>, ...").
const commsScript = `{"rules": [
  {"match": "ask bob", "responses": [
     {"tool_calls": [{"name": "send_request", "args": {"peer_id": "bob", "intent": "sum", "params": {"a": 1, "b": 2}, "request_id": "req-1"}}]},
     {"text": "asked bob"}]},
  {"match": "peer_request from alice", "responses": [
     {"tool_calls": [{"name": "send_response", "args": {"peer_id": "alice", "in_reply_to": "req-1", "status": "completed", "result": {"sum": 3}}}]},
     {"text": "answered alice"}]},
  {"match": "peer_response from bob", "responses": [{"text": "bob says 3"}]},
  {"match": "ask carol", "responses": [
     {"tool_calls": [{"name": "send_request", "args": {"peer_id": "carol", "intent": "slow", "request_id": "req-2"}}]},
     {"text": "asked carol"}]},
  {"match": "peer_response from carol", "responses": [{"text": "carol is gone"}]},
  {"match": "change of plan", "responses": [{"text": "switched plans"}]},
  {"match": "work slowly", "responses": [
     {"tool_calls": [{"name": "peers", "args": {}}], "delay_ms": 600},
     {"text": "finished the slow work"}]}
]}`

// startComms starts rkat-rpc on the shared hub hub with commsScript.
func startComms(t *testing.T, hub *realtimetest.Server) *peer {
	t.Helper()
	script := filepath.Join(t.TempDir(), "comms.json")
	if err := os.WriteFile(script, []byte(commsScript), 0o600); err != nil {
		t.Fatal(err)
	}
	return startWith(t, []string{"RKAT_TEST_SCRIPT=" + script, "RKAT_REALTIME_SECRET_KEY=" + realtimetest.Secret},
		"--realtime-url", hub.URL(), "--isolated")
}

func (p *peer) commsSession(name, prompt string) string {
	p.t.Helper()
	var res struct {
		SessionID string `json:"session_id"`
	}
	p.call("session/create", map[string]any{"prompt": prompt, "comms_name": name,
		"peer_meta": map[string]any{"description": name + " the tester", "labels": map[string]string{"team": "t"}}}, &res)
	return res.SessionID
}

// historyText waits until the session's history holds every marker, in
// order, and returns it.
func (p *peer) historyText(sid string, markers ...string) string {
	p.t.Helper()
	var text string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var h struct {
			Messages json.RawMessage `json:"messages"`
		}
		p.call("session/history", map[string]any{"session_id": sid, "offset": 0}, &h)
		text = string(h.Messages)
		if inOrder(text, markers...) {
			return text
		}
	}
	p.t.Fatalf("history of %s never held %q in order:\n%s", sid, markers, text)
	return ""
}

func inOrder(s string, markers ...string) bool {
	for _, m := range markers {
		i := strings.Index(s, m)
		if i < 0 {
			return false
		}
		s = s[i+len(m):]
	}
	return true
}

func TestCommsRequestResponseThroughHub(t *testing.T) {
	hub := realtimetest.Start(t, realtimetest.Config())
	a := startComms(t, hub)
	c := startComms(t, hub)
	bob := a.commsSession("bob", "hello, I am bob")
	carol := c.commsSession("carol", "hello, I am carol")
	alice := a.commsSession("alice", "hello, I am alice")

	var peers struct {
		Peers []struct {
			PeerID        string          `json:"peer_id"`
			Name          string          `json:"name"`
			Source        string          `json:"source"`
			SendableKinds []string        `json:"sendable_kinds"`
			Meta          json.RawMessage `json:"meta"`
			Address       struct{ Transport, Endpoint string }
		} `json:"peers"`
	}
	a.call("comms/peers", map[string]any{"session_id": alice}, &peers)
	names := map[string]string{}
	for _, p := range peers.Peers {
		names[p.Name] = string(p.Meta)
		if p.Source != "trusted" || len(p.SendableKinds) != 3 || p.PeerID == "" || p.Address.Transport != "realtime" {
			t.Errorf("peer entry %+v", p)
		}
	}
	if len(names) != 2 || names["bob"] != `{"description":"bob the tester","labels":{"team":"t"}}` || names["carol"] == "" {
		t.Fatalf("alice sees %v", names)
	}

	// Request and response, driven by the models' tool calls.
	a.call("turn/start", map[string]any{"session_id": alice, "prompt": "ask bob for the sum"}, nil)
	a.historyText(bob, "[comms peer_request from alice", "request_id req-1, intent sum", `\"a\":1`, "send_response", "answered alice")
	a.historyText(alice, "ask bob", "send_request", "asked bob", "[comms peer_response from bob", "in_reply_to req-1, status completed", `\"sum\":3`, "bob says 3")

	// A request to a peer that then leaves ends with a failed response.
	a.call("turn/start", map[string]any{"session_id": alice, "prompt": "ask carol to wait"}, nil)
	c.historyText(carol, "[comms peer_request from alice", "request_id req-2")
	c.in.Close() // carol's process ends and leaves the hub
	a.historyText(alice, "[comms peer_response from carol", "in_reply_to req-2, status failed", "peer_left", "carol is gone")

	// comms/send result shapes.
	var sent map[string]any
	a.call("comms/send", map[string]any{"session_id": alice, "kind": "peer_message", "to": "bob", "body": "fyi"}, &sent)
	if sent["kind"] != "peer_message_sent" || sent["delivery"] != "handed_off" || sent["envelope_id"] == "" || len(sent) != 3 {
		t.Fatalf("peer_message result %v", sent)
	}
	sent = nil
	a.call("comms/send", map[string]any{"session_id": alice, "kind": "peer_request", "to": "bob", "intent": "noop"}, &sent)
	if sent["kind"] != "peer_request_sent" || sent["request_id"] == "" || sent["interaction_id"] == "" || sent["stream_reserved"] != false || len(sent) != 5 {
		t.Fatalf("peer_request result %v", sent)
	}
	sent = nil
	a.call("comms/send", map[string]any{"session_id": alice, "kind": "peer_lifecycle", "to": "bob", "lifecycle_kind": "mob.peer_added"}, &sent)
	if sent["kind"] != "peer_lifecycle_sent" || len(sent) != 2 {
		t.Fatalf("peer_lifecycle result %v", sent)
	}
	sent = nil
	a.call("comms/send", map[string]any{"session_id": alice, "kind": "peer_response", "to": "bob", "in_reply_to": "x", "status": "completed", "result": 1}, &sent)
	if sent["kind"] != "peer_response_sent" || sent["in_reply_to"] != "x" || len(sent) != 3 {
		t.Fatalf("peer_response result %v", sent)
	}
	for _, bad := range []map[string]any{
		{"session_id": alice, "kind": "peer_message", "to": "nobody", "body": "x"},
		{"session_id": alice, "kind": "peer_message", "body": "x"},
		{"session_id": alice, "kind": "shout", "to": "bob", "body": "x"},
		{"session_id": alice, "kind": "peer_message", "to": "bob", "body": "x", "extra": 1},
		{"session_id": alice, "kind": "peer_message", "to": "bob", "body": "x", "handling_mode": "now"},
	} {
		if code, _ := a.callErr("comms/send", bad); code != -32602 {
			t.Errorf("comms/send %v: code %d, want -32602", bad, code)
		}
	}
	var accepted map[string]any
	a.call("session/peer_response_terminal", map[string]any{"session_id": alice, "peer_id": "p-x", "request_id": "req-9",
		"status": "cancelled", "result": nil, "display_name": "ext"}, &accepted)
	if accepted["outcome_type"] != "accepted" {
		t.Fatalf("peer_response_terminal %v", accepted)
	}
	a.historyText(alice, "[comms peer_response from ext, peer_id p-x, in_reply_to req-9, status cancelled]")
}

// TestCommsSteerAndQueue shows the two deliveries in history: a steered
// message joins the running turn before its next model call, a queued one
// waits and starts a turn of its own.
func TestCommsSteerAndQueue(t *testing.T) {
	hub := realtimetest.Start(t, realtimetest.Config())
	a := startComms(t, hub)
	bob := a.commsSession("bob", "hello, I am bob")
	alice := a.commsSession("alice", "hello, I am alice")
	for _, mode := range []string{"steer", "queue"} {
		id := a.request("turn/start", map[string]any{"session_id": bob, "prompt": "work slowly (" + mode + ")"})
		for started := false; !started; { // wait until bob's turn runs
			m := a.read()
			var p struct {
				SessionID string `json:"session_id"`
				Event     struct{ Payload struct{ Type string } }
			}
			_ = json.Unmarshal(m["params"], &p)
			started = p.SessionID == bob && p.Event.Payload.Type == "run_started"
		}
		send := a.request("comms/send", map[string]any{"session_id": alice, "kind": "peer_message", "to": "bob",
			"body": "change of plan (" + mode + ")", "handling_mode": mode})
		for _, r := range a.awaitMany(id, send) {
			if r["error"] != nil {
				t.Fatalf("%s: %s", mode, r["error"])
			}
		}
	}
	h := a.historyText(bob, "work slowly (steer)", "peers", "change of plan (steer)", "switched plans",
		"work slowly (queue)", "peers", "finished the slow work", "change of plan (queue)", "switched plans")
	steer := h[strings.Index(h, "work slowly (steer)"):strings.Index(h, "work slowly (queue)")]
	if strings.Contains(steer, "finished the slow work") {
		t.Fatalf("the steered turn still finished its original plan:\n%s", steer)
	}
}
