package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
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

// TestRealtimeClusterHistorySIGKILL: three `rkat realtime` processes with
// embedded NATS servers (JetStream, the history stream replicated on all
// three) and history on room/**: a subscriber whose node is killed with
// SIGKILL comes back on another node and recovers, in order and once each,
// the messages published meanwhile.
func TestRealtimeClusterHistorySIGKILL(t *testing.T) {
	var routes []string
	for range 3 {
		probe, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		routes = append(routes, probe.Addr().String())
		probe.Close()
	}
	var cfgs []string
	for i := range 3 {
		var others []string
		for j, r := range routes {
			if j != i {
				others = append(others, fmt.Sprintf("%q", "nats-route://"+r))
			}
		}
		cfg := filepath.Join(t.TempDir(), "realtime.toml")
		toml := "[[keys]]\nkey = \"pk\"\nchannels = [\"**\"]\npermissions = [\"subscribe\", \"publish\"]\n" +
			"[[channels]]\npattern = \"room/**\"\nhistory_size = 200\nhistory_ttl = \"10m\"\n" +
			fmt.Sprintf("[cluster]\nembedded = true\nnode_name = \"n%d\"\nlisten = %q\nroutes = [%s]\nheartbeat_interval = \"100ms\"\nnode_ttl = \"400ms\"\n",
				i+1, routes[i], strings.Join(others, ", "))
		if err := os.WriteFile(cfg, []byte(toml), 0o600); err != nil {
			t.Fatal(err)
		}
		cfgs = append(cfgs, cfg)
	}
	cmds, addrs := startRealtimes(t, cfgs, os.Stderr)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	type frame struct {
		Type, RequestID, Epoch, Reason string
		Offset                         uint64
		Recovered                      *bool
		Data                           json.RawMessage
	}
	dial := func(addr string) *websocket.Conn {
		t.Helper()
		ws, _, err := websocket.Dial(ctx, "ws://"+addr+"/v1?key=pk", nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = ws.CloseNow() })
		if _, _, err := ws.Read(ctx); err != nil { // welcome
			t.Fatal(err)
		}
		return ws
	}
	read := func(ws *websocket.Conn, typ string) frame {
		t.Helper()
		for {
			_, b, err := ws.Read(ctx)
			if err != nil {
				t.Fatalf("waiting for %s: %v", typ, err)
			}
			var f frame
			if err := json.Unmarshal(b, &f); err != nil {
				t.Fatalf("frame %s: %v", b, err)
			}
			if f.Type == typ || f.Type == "error" && typ == "ack" {
				return f
			}
		}
	}
	subscribe := func(ws *websocket.Conn, since string) frame {
		t.Helper()
		if err := ws.Write(ctx, websocket.MessageText, []byte(`{"type":"subscribe","channel":"room/h","requestId":"s"`+since+`}`)); err != nil {
			t.Fatal(err)
		}
		return read(ws, "ack")
	}
	pub := dial(addrs[0])
	// publish sends {"n":n} until it is acked: while the stream elects a new
	// leader after the kill, a publish may be refused with an error frame.
	refused := 0
	publish := func(n int) {
		t.Helper()
		for {
			msg := fmt.Sprintf(`{"type":"publish","channel":"room/h","requestId":"%d","data":{"n":%d}}`, n, n)
			if err := pub.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
				t.Fatal(err)
			}
			if f := read(pub, "ack"); f.Type == "ack" {
				return
			}
			refused++
			time.Sleep(100 * time.Millisecond)
		}
	}
	readN := func(ws *websocket.Conn, first, last int, epoch string) uint64 {
		t.Helper()
		var offset uint64
		for n := first; n <= last; n++ {
			f := read(ws, "message")
			if string(f.Data) != fmt.Sprintf(`{"n":%d}`, n) || f.Epoch != epoch || f.Offset <= offset {
				t.Fatalf("got %s at offset %d epoch %s, want n %d after offset %d in epoch %s", f.Data, f.Offset, f.Epoch, n, offset, epoch)
			}
			offset = f.Offset
		}
		return offset
	}

	sub := dial(addrs[2])
	ack := subscribe(sub, "")
	for n := 1; n <= 5; n++ {
		publish(n)
	}
	last := readN(sub, 1, 5, ack.Epoch)
	if err := cmds[2].Process.Kill(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for n := 6; n <= 25; n++ {
		publish(n)
	}
	t.Logf("20 messages published in %v after SIGKILL of the subscriber's node (%d publishes refused meanwhile)", time.Since(start).Round(time.Millisecond), refused)
	back := dial(addrs[1])
	got := subscribe(back, fmt.Sprintf(`,"since":{"offset":%d,"epoch":%q}`, last, ack.Epoch))
	if got.Type != "ack" || got.Recovered == nil || !*got.Recovered || got.Epoch != ack.Epoch {
		t.Fatalf("recovery on another node: %+v", got)
	}
	readN(back, 6, 25, ack.Epoch)
}
