package realtime

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/interoptest"
)

// interopDir is the Node interop package, relative to this package.
const interopDir = "../interop/js"

// runningServer is a Server serving on a fixed address until stop.
type runningServer struct {
	*Server
	cancel context.CancelFunc
	done   chan error
}

// interopConfig is testConfig with history on every channel, so that the
// SDKs meet the history extension's fields in every message frame (and
// must pass them through).
func interopConfig() Config {
	cfg := testConfig()
	cfg.Channels = []ChannelConfig{{Pattern: "**", HistorySize: 200, HistoryTTL: Duration(10 * time.Minute)}}
	return cfg
}

func serveOn(t *testing.T, addr string) *runningServer {
	t.Helper()
	srv, err := New(interopConfig())
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

// TestInteropJSSDK drives the published @metered-ca/realtime 1.2.0 in Node
// (acceptance 1): connect, subscribe, presence, publish, directs,
// documented errors, reconnect after a server restart and resubscribe, and
// the terminal close when the app is suspended mid-session.
func TestInteropJSSDK(t *testing.T) {
	node := interoptest.RequireNode(t, interopDir)
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
	interoptest.RunCheckScript(t, cmd, []string{
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
			cfg := interopConfig()
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
