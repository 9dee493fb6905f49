package main

import (
	"bufio"
	"context"
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

// duplicateKey lists the example's publishable key a second time, for
// another app: it used to move silently to the later entry.
const duplicateKey = "\n[[keys]]\nkey = \"pk_test_example\"\napp = \"other\"\nchannels = [\"**\"]\npermissions = [\"subscribe\"]\n"

// TestRealtimeRefusesDuplicateKeys: `rkat realtime` does not start on a
// config that lists a key twice, and a SIGHUP reload with one changes
// nothing (the key keeps working).
func TestRealtimeRefusesDuplicateKeys(t *testing.T) {
	example, err := os.ReadFile(filepath.Join("..", "..", "realtime", "testdata", "example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "realtime.toml")
	if err := os.WriteFile(cfg, append(example, duplicateKey...), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, rkatBin, "realtime", "--addr", "127.0.0.1:0", "--config", cfg).CombinedOutput()
	if err == nil || ctx.Err() != nil || !strings.Contains(string(out), "listed twice") {
		t.Fatalf("start with a duplicate key: %v, output %q", err, out)
	}

	if err := os.WriteFile(cfg, example, 0o600); err != nil {
		t.Fatal(err)
	}
	errs, logw := io.Pipe()
	defer errs.Close()
	cmd, addr := startRealtime(t, cfg, logw)
	logged := make(chan string, 1)
	go func() {
		for sc := bufio.NewScanner(errs); sc.Scan(); {
			if strings.Contains(sc.Text(), "config not reloaded") {
				select {
				case logged <- sc.Text():
				default:
				}
			}
		}
	}()
	if err := os.WriteFile(cfg, append(example, duplicateKey...), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	select {
	case line := <-logged:
		if !strings.Contains(line, "listed twice") {
			t.Fatalf("reload logged %q", line)
		}
	case <-ctx.Done():
		t.Fatal("the refused reload was not logged")
	}
	ws, _, err := websocket.Dial(ctx, "ws://"+addr+"/v1?key=pk_test_example", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	if _, b, err := ws.Read(ctx); err != nil || !strings.Contains(string(b), `"welcome"`) {
		t.Fatalf("welcome: %s %v", b, err)
	}
}
