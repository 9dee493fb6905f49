package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/rkat-dev/rkat/internal/servetest"
	"github.com/rkat-dev/rkat/sdk"
)

// rpcPeer is a raw JSON-RPC client on /rpc, to see the wire and the close
// code.
type rpcPeer struct {
	t  *testing.T
	ws *websocket.Conn
}

func dialRPC(ctx context.Context, t *testing.T, p *servetest.Process) *rpcPeer {
	t.Helper()
	ws, _, err := websocket.Dial(ctx, p.WS()+"/rpc?key="+p.Key, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.SetReadLimit(64 << 20)
	t.Cleanup(func() { ws.CloseNow() })
	return &rpcPeer{t: t, ws: ws}
}

func (r *rpcPeer) send(ctx context.Context, id int, method string, params any) {
	r.t.Helper()
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	if err := r.ws.Write(ctx, websocket.MessageText, b); err != nil {
		r.t.Fatal(err)
	}
}

// await reads until the response to id, counting notifications.
func (r *rpcPeer) await(ctx context.Context, id int, onNote func()) map[string]json.RawMessage {
	r.t.Helper()
	for {
		_, b, err := r.ws.Read(ctx)
		if err != nil {
			r.t.Fatalf("awaiting %d: %v", id, err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			r.t.Fatal(err)
		}
		if m["method"] != nil {
			if onNote != nil {
				onNote()
			}
			continue
		}
		if string(m["id"]) == fmt.Sprint(id) {
			return m
		}
	}
}

// TestServeShutdown sends SIGTERM to rkat serve while a turn runs on /rpc
// and a realtime client is connected: a turn shorter than the grace period
// finishes and is answered, a longer one is interrupted when the grace ends;
// the RPC connection closes with 1001, the realtime client gets going_away
// then 1001, the process exits 0, and after a restart every committed turn
// is there.
func TestServeShutdown(t *testing.T) {
	for _, tc := range []struct {
		name, prompt string
		grace        string
		finishes     bool
	}{
		{"turn finishes within the grace", "slow turn", "20s", true},
		{"turn interrupted after the grace", "slow turn", "500ms", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := servetest.Config("") + "\n[[keys]]\nkey = \"pk_watch\"\nchannels = [\"**\"]\npermissions = [\"subscribe\", \"presence\"]\n"
			cfg = strings.Replace(cfg, `shutdown_grace = "2s"`, `shutdown_grace = "`+tc.grace+`"`, 1)
			dir := t.TempDir()
			script := filepath.Join(dir, "script.json")
			if err := os.WriteFile(script, []byte(cliScript), 0o600); err != nil {
				t.Fatal(err)
			}
			opts := servetest.Options{Config: cfg, StateRoot: filepath.Join(dir, "state"), Env: []string{"RKAT_TEST_SCRIPT=" + script}}
			p := servetest.Start(t, rkatBin, opts)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()

			rt, _, err := websocket.Dial(ctx, p.WS()+"/v1?key=pk_watch", nil)
			if err != nil {
				t.Fatal(err)
			}
			defer rt.CloseNow()
			if _, welcome, err := rt.Read(ctx); err != nil || !strings.Contains(string(welcome), `"welcome"`) {
				t.Fatalf("welcome = %s, %v", welcome, err)
			}

			r := dialRPC(ctx, t, p)
			r.send(ctx, 1, "session/create", map[string]any{"prompt": "first", "labels": map[string]string{"t": "shutdown"}})
			var created struct {
				SessionID string `json:"session_id"`
			}
			if err := json.Unmarshal(r.await(ctx, 1, nil)["result"], &created); err != nil || created.SessionID == "" {
				t.Fatalf("create: %v", err)
			}
			r.send(ctx, 2, "turn/start", map[string]any{"session_id": created.SessionID, "prompt": tc.prompt})
			deltas := 0
			var resp map[string]json.RawMessage
			resp = r.await(ctx, 2, func() {
				if deltas++; deltas == 2 {
					if err := p.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
						t.Error(err)
					}
				}
			})
			if tc.finishes {
				if resp["result"] == nil || !strings.Contains(string(resp["result"]), "this answer arrives slowly") {
					t.Fatalf("turn within the grace answered %s", resp["error"])
				}
			} else {
				// The scripted turn takes 5 s; an error answer means the
				// grace ended it before its last delta.
				if resp["error"] == nil {
					t.Fatalf("turn past the grace answered %s", resp["result"])
				}
			}
			if _, _, err := r.ws.Read(ctx); websocket.CloseStatus(err) != websocket.StatusGoingAway {
				t.Errorf("RPC connection ended with %v, want close 1001", err)
			}
			_, frame, err := rt.Read(ctx)
			if err != nil || !strings.Contains(string(frame), `"going_away"`) {
				t.Errorf("realtime client got %s, %v; want going_away", frame, err)
			}
			if _, _, err := rt.Read(ctx); websocket.CloseStatus(err) != websocket.StatusGoingAway {
				t.Errorf("realtime connection ended with %v, want close 1001", err)
			}
			if err := p.Stop(t); err != nil {
				t.Fatalf("exit: %v (stderr: %s)", err, p.Stderr.String())
			}

			// Nothing committed is lost.
			p2 := servetest.Start(t, rkatBin, opts)
			c, err := sdk.Connect(ctx, sdk.Options{URL: p2.WS() + "/rpc", Key: p2.Key})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			h, err := c.Session(created.SessionID).History(ctx, 0, 0)
			want := 2 // the first turn: prompt and answer
			if tc.finishes {
				want = 4
			}
			if err != nil || h.MessageCount < want {
				t.Fatalf("history after restart: %d messages, %v; want at least %d", h.MessageCount, err, want)
			}
		})
	}
}
