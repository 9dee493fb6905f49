// Package console_test drives the rkat console in headless Chromium against
// the built `rkat serve` with its default configuration.
package console_test

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/interoptest"
	"github.com/rkat-dev/rkat/internal/servetest"
	"github.com/rkat-dev/rkat/internal/testbin"
	"github.com/rkat-dev/rkat/sdk"
)

const (
	chromium = "/usr/bin/chromium"
	pwDir    = "../js/node_modules/playwright-core"
	script   = `{"rules": [{"match": "slow turn", "responses": [{"text": "done slowly", "chunks": 12, "delay_ms": 150}]}]}`
)

var rkat string

func TestMain(m *testing.M) {
	testbin.Main(m, "github.com/rkat-dev/rkat/cmd/rkat", map[string]string{"script.json": script}, &rkat)
}

// requireTools fails under CI=true and skips otherwise when Chromium, node
// or playwright-core are missing.
func requireTools(t *testing.T) {
	t.Helper()
	var missing []string
	for _, p := range []string{chromium, pwDir} {
		if _, err := os.Stat(p); err != nil {
			missing = append(missing, p)
		}
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing = append(missing, "node")
	}
	if len(missing) > 0 {
		interoptest.Missing(t, "the console test needs %v (apt-get install -y chromium; npm ci in interop/js)", missing)
	}
}

// screenshotDir is $RKAT_ARTIFACTS/console, else artifacts/console at the
// repository root (ignored by git).
func screenshotDir(t *testing.T) string {
	dir := filepath.Join("..", "..", "artifacts", "console")
	if a := os.Getenv("RKAT_ARTIFACTS"); a != "" {
		dir = filepath.Join(a, "console")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestConsole: a wrong key leaves the console at its login form; with the
// default configuration, the printed URL opens the console logged in; the lobby agent is in presence and answers a chat as a
// stream; a session created from the console streams its events; a session
// a Go SDK client created over /rpc opens from the label filter and its next
// turn streams in.
func TestConsole(t *testing.T) {
	requireTools(t)
	srv := servetest.Start(t, rkat, servetest.Options{Env: []string{"RKAT_TEST_SCRIPT=" + filepath.Join(filepath.Dir(rkat), "script.json")}})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	client, err := sdk.Connect(ctx, sdk.Options{URL: srv.WS() + "/rpc", Key: srv.Key})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.CreateSession(ctx, "hello from the Go SDK", &sdk.CreateOptions{Labels: map[string]string{"origin": "sdk"}})
	if err != nil {
		t.Fatal(err)
	}

	shots := screenshotDir(t)
	cmd := exec.CommandContext(ctx, "node", "console.mjs", srv.URL()+"/#key="+srv.Key, shots)
	var stderr servetest.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var steps []string
	turn := make(chan error, 1)
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		steps = append(steps, line)
		if line == "wait sdk-turn" {
			go func() {
				res, err := sess.Turn(ctx, "slow turn from the sdk", nil)
				if err == nil && res.Text != "done slowly" {
					err = io.ErrUnexpectedEOF
				}
				turn <- err
			}()
			_, _ = io.WriteString(stdin, "go\n")
		}
	}
	err = cmd.Wait()
	t.Logf("driver stderr:\n%s", stderr.String())
	t.Logf("screenshots in %s", shots)
	want := []string{"step login-refused", "step presence", "step chat", "step console-session", "wait sdk-turn", "step sdk-session", "ok"}
	if err != nil || strings.Join(steps, "|") != strings.Join(want, "|") {
		select {
		case terr := <-turn:
			t.Logf("SDK turn: %v", terr)
		default:
		}
		t.Fatalf("driver: %v; steps %q, want %q", err, steps, want)
	}
	if err := <-turn; err != nil {
		t.Fatalf("SDK turn: %v", err)
	}
}
