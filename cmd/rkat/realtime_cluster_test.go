package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestRealtimeClusterSIGKILL runs three `rkat realtime` processes joined by
// their embedded NATS servers, one subscriber on each; after node 3 is
// killed with SIGKILL, node 1's subscriber is told its peer left, by
// heartbeat expiry.
func TestRealtimeClusterSIGKILL(t *testing.T) {
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	route := probe.Addr().String()
	probe.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var addrs []string
	var procs []interface{ Kill() error }
	for i := range 3 {
		link := fmt.Sprintf("routes = [\"nats-route://%s\"]", route)
		if i == 0 {
			link = fmt.Sprintf("listen = %q", route)
		}
		cfg := filepath.Join(t.TempDir(), "realtime.toml")
		toml := "[[keys]]\nkey = \"pk\"\nchannels = [\"**\"]\npermissions = [\"subscribe\", \"presence\"]\n" +
			fmt.Sprintf("[cluster]\nembedded = true\nnode_name = \"n%d\"\n%s\nheartbeat_interval = \"100ms\"\nnode_ttl = \"400ms\"\n", i+1, link)
		if err := os.WriteFile(cfg, []byte(toml), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd, addr := startRealtime(t, cfg, os.Stderr)
		addrs, procs = append(addrs, addr), append(procs, cmd.Process)
	}
	var ids []string
	var watcher *websocket.Conn
	for i, addr := range addrs {
		ws, _, err := websocket.Dial(ctx, "ws://"+addr+"/v1?key=pk", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer ws.CloseNow()
		var welcome struct{ PeerID string }
		if _, b, err := ws.Read(ctx); err != nil || json.Unmarshal(b, &welcome) != nil {
			t.Fatalf("welcome: %s %v", b, err)
		}
		ids = append(ids, welcome.PeerID)
		if err := ws.Write(ctx, websocket.MessageText, []byte(`{"type":"subscribe","channel":"room"}`)); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			watcher = ws
		}
	}
	// await reads the watcher's presence frames until every id in want
	// has joined (or left).
	await := func(key string, want ...string) {
		t.Helper()
		pending := map[string]bool{}
		for _, id := range want {
			pending[id] = true
		}
		for len(pending) > 0 {
			_, b, err := watcher.Read(ctx)
			if err != nil {
				t.Fatalf("waiting for %s %v: %v", key, want, err)
			}
			var p map[string]json.RawMessage
			_ = json.Unmarshal(b, &p)
			var entries []struct{ PeerID string }
			_ = json.Unmarshal(p[key], &entries)
			for _, e := range entries {
				delete(pending, e.PeerID)
			}
		}
	}
	// Routes form and rosters are exchanged: node 1 hears of both others.
	await("joined", ids[1], ids[2])
	start := time.Now()
	if err := procs[2].Kill(); err != nil {
		t.Fatal(err)
	}
	await("left", ids[2])
	t.Logf("peer of the killed node reported left after %s (bound: node_ttl + heartbeat_interval = 500ms)", time.Since(start).Round(time.Millisecond))
}
