package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/pgtest"
	"github.com/rkat-dev/rkat/internal/servetest"
)

// pg is the private Postgres cluster of this test binary, started by the
// first test that needs it.
var pg pgtest.Cluster

// TestServeNodesShareSessions (issue 19, acceptance 3): two `rkat serve`
// processes on one Postgres database, A selecting it with [store] url and B
// with RKAT_STORE_URL. A session created through A continues through B, and
// B's session/stream_open streams the events of a turn running on A.
func TestServeNodesShareSessions(t *testing.T) {
	url := pg.URL(t)
	script := filepath.Join(t.TempDir(), "script.json")
	if err := os.WriteFile(script, []byte(`{"rules": [
  {"match": "slow turn", "responses": [{"text": "a slow answer", "chunks": 20, "delay_ms": 50}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"RKAT_TEST_SCRIPT=" + script}
	a := servetest.Start(t, rkatBin, servetest.Options{Config: servetest.Config("\n[store]\nurl = \"" + url + "\"\n"), Env: env})
	b := servetest.Start(t, rkatBin, servetest.Options{Config: servetest.Config(""), Env: append(env, "RKAT_STORE_URL="+url)})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ra, rb := dialRPC(ctx, t, a), dialRPC(ctx, t, b)

	ra.send(ctx, 1, "session/create", map[string]any{"prompt": "first"})
	var created struct {
		SessionID string `json:"session_id"`
	}
	if err := json.Unmarshal(ra.await(ctx, 1, nil)["result"], &created); err != nil || created.SessionID == "" {
		t.Fatalf("create on A: %v", err)
	}
	id := created.SessionID
	rb.send(ctx, 1, "session/stream_open", map[string]any{"session_id": id})
	if res := rb.await(ctx, 1, nil); res["error"] != nil {
		t.Fatalf("stream_open on B: %s", res["error"])
	}
	ra.send(ctx, 2, "turn/start", map[string]any{"session_id": id, "prompt": "slow turn"})

	deltas := 0
	for done := false; !done; {
		_, frame, err := rb.ws.Read(ctx)
		if err != nil {
			t.Fatalf("B's stream: %v after %d text deltas", err, deltas)
		}
		var m struct {
			Method string          `json:"method"`
			Params json.RawMessage `json:"params"`
		}
		if err := json.Unmarshal(frame, &m); err != nil || m.Method != "session/stream_event" {
			t.Fatalf("unexpected frame on B: %s", frame)
		}
		p := string(m.Params)
		switch {
		case strings.Contains(p, `"text_delta"`):
			deltas++
		case strings.Contains(p, `"run_completed"`):
			done = true
		}
	}
	if deltas == 0 {
		t.Error("B streamed no text_delta of A's turn")
	}
	if res := ra.await(ctx, 2, nil); res["error"] != nil {
		t.Fatalf("turn on A: %s", res["error"])
	}

	rb.send(ctx, 2, "turn/start", map[string]any{"session_id": id, "prompt": "continue on B"})
	if res := rb.await(ctx, 2, nil); res["error"] != nil {
		t.Fatalf("turn on B: %s", res["error"])
	}
	ra.send(ctx, 3, "session/history", map[string]any{"session_id": id})
	var h struct {
		MessageCount int `json:"message_count"`
	}
	if err := json.Unmarshal(ra.await(ctx, 3, nil)["result"], &h); err != nil || h.MessageCount != 6 {
		t.Fatalf("history through A: %d rows, %v; want 6 (two turns on A, one on B)", h.MessageCount, err)
	}
}
