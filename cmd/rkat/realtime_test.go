package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestRealtimeCommand runs `rkat realtime` with the TOML, connects a
// client and checks that an interrupt shuts down gracefully (going_away,
// close 1001, exit 0).
func TestRealtimeCommand(t *testing.T) {
	cfg := filepath.Join("..", "..", "realtime", "testdata", "example.toml")
	cmd := exec.Command(rkatBin, "realtime", "--addr", "127.0.0.1:0", "--config", cfg, "--log-level", "error")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	line, err := bufio.NewReader(out).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if err != nil || !ok {
		t.Fatalf("first line %q: %v", line, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws://"+addr+"/v1?key=pk_test_example", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	if _, b, err := ws.Read(ctx); err != nil || !strings.Contains(string(b), `"welcome"`) {
		t.Fatalf("welcome: %s %v", b, err)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	_, b, err := ws.Read(ctx)
	if err != nil || !strings.Contains(string(b), `"going_away"`) {
		t.Fatalf("want going_away, got %s %v", b, err)
	}
	if _, _, err := ws.Read(ctx); websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Fatalf("want close 1001, got %v", err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("rkat realtime exit: %v", err)
	}
}

// TestBenchRealtimeCommand runs a tiny `rkat bench realtime` (which starts
// its own server child process) and checks the JSON report.
func TestBenchRealtimeCommand(t *testing.T) {
	out, err := exec.Command(rkatBin, "bench", "realtime", "--conns", "40", "--subscribers", "20",
		"--rate", "100", "--duration", "200ms", "--settle", "10ms", "--json").Output()
	if err != nil {
		t.Fatalf("bench: %v", err)
	}
	var res struct {
		Conns      int     `json:"conns"`
		RSSIdleKB  int64   `json:"rss_idle_kb"`
		Deliveries int64   `json:"deliveries"`
		Expected   int64   `json:"expected"`
		PerSec     float64 `json:"deliveries_per_sec"`
		P99        int64   `json:"p99_ns"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("report %s: %v", out, err)
	}
	if res.Conns != 40 || res.Expected != 400 || res.Deliveries != res.Expected || res.RSSIdleKB <= 0 || res.PerSec <= 0 || res.P99 <= 0 {
		t.Fatalf("report %+v", res)
	}
}
