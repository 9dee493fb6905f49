package server

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/scripted"
	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/blob"
	"github.com/rkat-dev/rkat/store/postgres"
	"github.com/rkat-dev/rkat/tool"
)

// TestRelayedEventIsCutOnce: an answer over 8 MiB from a turn on node A
// reaches a stream opened on node B cut once, by A's relay; B's RPC edge
// leaves it as it is, so the marker counts every byte the client misses.
func TestRelayedEventIsCutOnce(t *testing.T) {
	huge := strings.Repeat("0123456789", store.MaxEventPayload/10+1000)
	sc, err := scripted.Parse([]byte(`{"rules": [{"match": "huge", "responses": [{"text": "` + huge + `"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	url := pg.URL(t)
	node := func(p *scripted.Provider) (*session.Service, store.Store) {
		st, err := postgres.Open(ctx, postgres.Config{URL: url, Realm: "r1"})
		if err != nil {
			t.Fatal(err)
		}
		svc, err := session.New(ctx, session.Config{Store: st, Resolver: resolver{p}, Tools: tool.NewRegistry(), Realm: "r1"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			svc.Close()
			st.Close()
		})
		return svc, st
	}
	a, _ := node(scripted.New(scripted.Config{Script: sc}))
	b, bStore := node(scriptedProvider(t))
	srv, err := New(Config{RealmID: "r1", Backend: "postgres", Blobs: blob.NewMemory(0),
		Open: func(context.Context) (*session.Service, store.Store, error) { return b, bStore, nil }})
	if err != nil {
		t.Fatal(err)
	}
	watcher := connect(t, srv, nil)
	created, err := a.Create(ctx, session.CreateRequest{Deferred: true})
	if err != nil {
		t.Fatal(err)
	}
	var opened wire.StreamOpenResult
	if err := watcher.call(t, wire.MethodStreamOpen, map[string]any{"session_id": created.SessionID}, &opened); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Turn(ctx, session.TurnRequest{SessionID: created.SessionID, Prompt: []llm.Block{llm.Text("huge")}}); err != nil {
		t.Fatal(err)
	}
	var content string
	for {
		m := watcher.nextStream(t)
		var se wire.StreamEvent
		if err := json.Unmarshal(m.Params, &se); err != nil || m.Method != wire.MethodStreamEvent {
			t.Fatalf("%s %.200s: %v", m.Method, m.Params, err)
		}
		ev, err := event.Unmarshal(se.Event.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if tc, ok := ev.(event.TextComplete); ok {
			content = tc.Content
		}
		if _, ok := ev.(event.RunCompleted); ok {
			break
		}
	}
	cut := strings.LastIndex(content, "...[truncated ")
	if cut < 0 || !strings.HasSuffix(content, " bytes]") || strings.Count(content, "...[truncated ") != 1 {
		t.Fatalf("text_complete on B: %d bytes ending %q", len(content), content[max(0, len(content)-60):])
	}
	n, err := strconv.Atoi(strings.TrimSuffix(content[cut+len("...[truncated "):], " bytes]"))
	if err != nil || content[:cut] != huge[:cut] || cut+n != len(huge) {
		t.Fatalf("kept %d bytes, marker says %d cut (%v); the answer had %d", cut, n, err, len(huge))
	}
}
