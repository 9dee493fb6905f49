package realtime

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// interopDir is the Node interop package, relative to this package.
const interopDir = "../interop/js"

// requireNode returns the node binary, failing under CI=true and skipping
// otherwise when node or the installed SDK is missing.
func requireNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(interopDir, "node_modules", "@metered-ca", "realtime", "package.json"))
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("node interop prerequisites missing (run npm install in interop/js): %v", err)
		}
		t.Skipf("node interop prerequisites missing: %v", err)
	}
	return node
}

// runningServer is a Server serving on a fixed address until stop.
type runningServer struct {
	*Server
	cancel context.CancelFunc
	done   chan error
}

func serveOn(t *testing.T, addr string) *runningServer {
	t.Helper()
	srv, err := New(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	var ln net.Listener
	for range 50 { // the old listener's port may take a moment to free
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		_ = srv.Shutdown(context.Background())
		t.Fatalf("listen %s: %v", addr, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	rs := &runningServer{Server: srv, cancel: cancel, done: make(chan error, 1)}
	go func() { rs.done <- srv.Serve(ctx, ln, 5*time.Second) }()
	return rs
}

func (rs *runningServer) stop(t *testing.T) {
	rs.cancel()
	if err := <-rs.done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

// runCheckScript runs cmd, an interop script that prints one JSON object
// per line: {"check":NAME,"ok":BOOL,"detail":...} per assertion,
// {"event":NAME} when it needs the driver (answered by onEvent, which may be
// nil), and {"done":true,"failures":N} last. Every failed check fails the
// test, and so do a check of want that never came, reported failures and a
// non-zero exit.
func runCheckScript(t *testing.T, cmd *exec.Cmd, want []string, onEvent func(event string)) {
	t.Helper()
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	checks := map[string]bool{}
	failures := -1
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var line struct {
			Check    string          `json:"check"`
			OK       bool            `json:"ok"`
			Detail   json.RawMessage `json:"detail"`
			Event    string          `json:"event"`
			Done     bool            `json:"done"`
			Failures int             `json:"failures"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Errorf("unparsable script output %q", sc.Text())
			continue
		}
		switch {
		case line.Check != "":
			t.Logf("%s ok=%v %s", line.Check, line.OK, line.Detail)
			checks[line.Check] = line.OK
			if !line.OK {
				t.Errorf("check %s failed: %s", line.Check, line.Detail)
			}
		case line.Event != "" && onEvent != nil:
			onEvent(line.Event)
		case line.Event != "":
			t.Errorf("unexpected script event %q", line.Event)
		case line.Done:
			failures = line.Failures
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("%s: %v", cmd.Path, err)
	}
	if failures != 0 {
		t.Errorf("script reported %d failures (-1: no done line)", failures)
	}
	for _, name := range want {
		if _, seen := checks[name]; !seen {
			t.Errorf("check %s never reported", name)
		}
	}
}

// TestInteropJSSDK drives the published @metered-ca/realtime 1.2.0 in Node
// (acceptance 1): connect, subscribe, presence, publish, directs,
// documented errors, reconnect after a server restart and resubscribe, and
// the terminal close when the app is suspended mid-session.
func TestInteropJSSDK(t *testing.T) {
	node := requireNode(t)
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := probe.Addr().String()
	probe.Close()
	srv := serveOn(t, addr)
	defer func() { srv.stop(t) }()

	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "realtime-sdk.mjs")
	cmd.Dir = interopDir
	cmd.Env = append(os.Environ(),
		"RKAT_URL=ws://"+addr, "RKAT_HTTP=http://"+addr, "RKAT_KEY="+testKey, "RKAT_SECRET="+testSecret)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	runCheckScript(t, cmd, []string{
		"connect", "snapshot-empty", "presence-joined", "presence-snapshot", "publish-receive", "publish-from-pk",
		"no-self-delivery", "direct-pk-to-jwt", "direct-jwt-to-pk", "error-channel-reserved",
		"error-channel-not-authorized", "error-oversize-payload", "error-peer-not-found",
		"connection-survives-errors", "presence-left", "going-away", "disconnect-1001", "reconnect",
		"resubscribe-presence", "resubscribe-delivery", "suspended-alice", "suspended-bob", "suspended-no-reconnect",
	}, func(event string) {
		switch event {
		case "restart":
			srv.stop(t)
			srv = serveOn(t, addr)
		case "suspend":
			cfg := testConfig()
			cfg.Apps = append(cfg.Apps, AppConfig{ID: DefaultApp, Suspended: true})
			if err := srv.Reload(cfg); err != nil {
				t.Errorf("suspend: %v", err)
			}
		default:
			t.Errorf("unknown script event %q", event)
			return
		}
		if _, err := fmt.Fprintln(stdin, event+" done"); err != nil {
			t.Errorf("tell script: %v", err)
		}
	})
}
