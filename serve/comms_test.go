package serve_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/realtime"
	"github.com/rkat-dev/rkat/realtime/signalling"
)

// TestMobsAndCommsOnOwnHub: /rpc of rkat serve serves mobs and comms, and
// their peers live on this server's own hub, where a person with a key of
// the server sees the mob's members join mob/<id>.
func TestMobsAndCommsOnOwnHub(t *testing.T) {
	f := testFile()
	f.Keys = append(f.Keys, realtime.KeyConfig{Key: "pk_watch", Channels: []string{"mob/*"}, Permissions: []string{"subscribe", "presence"}})
	addr := start(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rpc := dialRPC(t, ctx, addr)

	person, err := signalling.New(signalling.Config{URL: "ws://" + addr, Key: "pk_watch"})
	if err != nil {
		t.Fatal(err)
	}
	defer person.Close()
	presence := signalling.Events[signalling.Presence](person, 64)
	defer presence.Close()
	if err := person.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	if err := person.Subscribe(ctx, "mob/crew", signalling.SubscribeOptions{}); err != nil {
		t.Fatal(err)
	}

	mustCall := func(method, params string) json.RawMessage {
		t.Helper()
		res, rpcErr := rpc.call(method, params)
		if rpcErr != nil {
			t.Fatalf("%s: %s", method, rpcErr)
		}
		return res
	}
	mustCall("mob/create", `{"definition":{"id":"crew","profiles":{"builder":{"model":"scripted","peer_description":"a builder"}}}}`)
	refs := map[string]string{}
	for _, name := range []string{"bob", "alice"} {
		var member struct {
			MemberRef string `json:"member_ref"`
		}
		if err := json.Unmarshal(mustCall("mob/spawn", `{"mob_id":"crew","profile":"builder","agent_identity":"`+name+`"}`), &member); err != nil || member.MemberRef == "" {
			t.Fatalf("spawn %s: %v %+v", name, err, member)
		}
		refs[name] = member.MemberRef
	}

	// The person sees both members join the mob's channel on this hub.
	seen := map[string]bool{}
	for len(seen) < 2 {
		ev, err := presence.Next(ctx)
		if err != nil {
			t.Fatalf("presence on mob/crew (saw %v): %v", seen, err)
		}
		for _, p := range ev.Joined {
			for name := range refs {
				if strings.Contains(string(p.Metadata), `"name":"`+name+`"`) && strings.Contains(string(p.Metadata), `"kind":"comms"`) {
					seen[name] = true
				}
			}
		}
	}

	// comms over /rpc: bob sees alice and messages her; it lands in her
	// history.
	var peers struct {
		Peers []struct {
			Name string `json:"name"`
		} `json:"peers"`
	}
	if err := json.Unmarshal(mustCall("comms/peers", `{"session_id":"`+refs["bob"]+`"}`), &peers); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(peers.Peers, func(p struct {
		Name string `json:"name"`
	}) bool {
		return p.Name == "alice"
	}) {
		t.Fatalf("bob's peers lack alice: %+v", peers.Peers)
	}
	mustCall("comms/send", `{"session_id":"`+refs["bob"]+`","kind":"peer_message","to":"alice","body":"the beams are up"}`)
	for {
		hist := mustCall("session/history", `{"session_id":"`+refs["alice"]+`","offset":0}`)
		if strings.Contains(string(hist), "the beams are up") {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("alice's history never held bob's message: %s", hist)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestRemoteClientPolicies: /rpc of rkat serve shares rkat-rpc's runtime
// but keeps the policies of remote clients: no builtin tools or shell, no
// hooks_override; comms, mob, MCP and schedules are served.
func TestRemoteClientPolicies(t *testing.T) {
	addr := start(t, testFile())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rpc := dialRPC(t, ctx, addr)
	res, rpcErr := rpc.call("capabilities/get", `{}`)
	var caps struct {
		Capabilities []struct {
			ID     string          `json:"id"`
			Status json.RawMessage `json:"status"`
		} `json:"capabilities"`
	}
	if err := json.Unmarshal(res, &caps); rpcErr != nil || err != nil {
		t.Fatalf("capabilities/get: %s %s", res, rpcErr)
	}
	want := map[string]string{"builtins": "DisabledByPolicy", "shell": "DisabledByPolicy",
		"comms": "Available", "mob": "Available", "mcp_live": "Available", "schedule": "Available", "skills": "Available"}
	for _, c := range caps.Capabilities {
		if w, ok := want[c.ID]; ok {
			if !strings.Contains(string(c.Status), w) {
				t.Errorf("%s: %s, want %s", c.ID, c.Status, w)
			}
			delete(want, c.ID)
		}
	}
	if len(want) != 0 {
		t.Errorf("capabilities missing: %v", want)
	}
	for _, params := range []string{
		`{"prompt":"x","provider":"scripted","hooks_override":{"entries":[{"id":"x","point":"run_completed","runtime":{"type":"command","command":"true"}}]}}`,
		`{"prompt":"x","provider":"scripted","enable_shell":true}`,
	} {
		_, rpcErr := rpc.call("session/create", params)
		var e struct{ Code int }
		if err := json.Unmarshal(rpcErr, &e); err != nil || e.Code == 0 {
			t.Errorf("session/create %s was accepted: %s", params, rpcErr)
		}
	}
}
