package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
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
	cmd, addr := startRealtime(t, filepath.Join("..", "..", "realtime", "testdata", "example.toml"), nil)
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

// startRealtime runs `rkat realtime --config cfg` on a free port, with its
// error log going to stderr (nil discards it), and returns the process and
// its address; the process is killed when the test ends.
func startRealtime(t *testing.T, cfg string, stderr io.Writer) (*exec.Cmd, string) {
	t.Helper()
	cmds, addrs := startRealtimes(t, []string{cfg}, stderr)
	return cmds[0], addrs[0]
}

// startRealtimes starts one `rkat realtime` per config, all before reading
// any address, so that nodes which wait for each other at start (the
// servers of a JetStream cluster) come up together.
func startRealtimes(t *testing.T, cfgs []string, stderr io.Writer) ([]*exec.Cmd, []string) {
	t.Helper()
	cmds := make([]*exec.Cmd, len(cfgs))
	outs := make([]io.Reader, len(cfgs))
	for i, cfg := range cfgs {
		cmd := exec.Command(rkatBin, "realtime", "--addr", "127.0.0.1:0", "--config", cfg, "--log-level", "error")
		cmd.Stderr = stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		cmds[i], outs[i] = cmd, out
	}
	addrs := make([]string, len(cfgs))
	for i, out := range outs {
		line, err := bufio.NewReader(out).ReadString('\n')
		addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
		if err != nil || !ok {
			t.Fatalf("first line of node %d: %q: %v", i, line, err)
		}
		addrs[i] = addr
	}
	return cmds, addrs
}

// TestRealtimeReloadOnHangup rewrites the config under a running `rkat
// realtime` and sends SIGHUP: a file that does not parse changes nothing,
// and suspending the app closes its connection with account_suspended and
// 4012.
func TestRealtimeReloadOnHangup(t *testing.T) {
	example, err := os.ReadFile(filepath.Join("..", "..", "realtime", "testdata", "example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "realtime.toml")
	if err := os.WriteFile(cfg, example, 0o600); err != nil {
		t.Fatal(err)
	}
	errs, logw := io.Pipe()
	defer errs.Close()
	cmd, addr := startRealtime(t, cfg, logw)
	errLines := make(chan string, 16)
	go func() {
		defer close(errLines)
		for sc := bufio.NewScanner(errs); sc.Scan(); {
			select {
			case errLines <- sc.Text():
			default: // nobody listens for more
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	dial := func() *websocket.Conn {
		ws, _, err := websocket.Dial(ctx, "ws://"+addr+"/v1?key=pk_test_example", nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = ws.CloseNow() })
		return ws
	}
	read := func(ws *websocket.Conn, want string) {
		t.Helper()
		if _, b, err := ws.Read(ctx); err != nil || !strings.Contains(string(b), want) {
			t.Fatalf("want %s, got %s %v", want, b, err)
		}
	}
	hangUp := func(content string) {
		t.Helper()
		if err := os.WriteFile(cfg, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
	}
	ws := dial()
	read(ws, `"welcome"`)

	hangUp("[[keys]\nthis is not TOML")
	select {
	case line := <-errLines:
		if !strings.Contains(line, "config not reloaded") {
			t.Fatalf("want the failed reload logged, got %q", line)
		}
	case <-ctx.Done():
		t.Fatal("the failed reload was not logged")
	}
	if err := ws.Write(ctx, websocket.MessageText, []byte(`{"type":"ping"}`)); err != nil {
		t.Fatal(err)
	}
	read(ws, `"pong"`)
	read(dial(), `"welcome"`)

	hangUp(string(example) + "\n[[apps]]\nid = \"default\"\nsuspended = true\n")
	read(ws, `"account_suspended"`)
	if _, _, err := ws.Read(ctx); websocket.CloseStatus(err) != 4012 {
		t.Fatalf("want close 4012, got %v", err)
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
