package sdk_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/servetest"
	"github.com/rkat-dev/rkat/sdk"
)

// connectFunc connects a client for one test over one transport.
type connectFunc func(t *testing.T, opts sdk.Options) *sdk.Client

// eachTransport runs the shared conformance set f over stdio (rkat-rpc as
// a child process) and over the /rpc WebSocket of rkat serve.
func eachTransport(t *testing.T, f func(t *testing.T, connect connectFunc)) {
	t.Run("stdio", func(t *testing.T) { f(t, connect) })
	t.Run("websocket", func(t *testing.T) { f(t, connectWS) })
}

// serveScript is the environment that gives rkat serve the test script.
func serveScript() []string {
	return []string{"RKAT_TEST_SCRIPT=" + filepath.Join(filepath.Dir(rkatBin), "script.json")}
}

// connectWS starts an rkat serve of its own and connects to its /rpc. The
// process options of opts (realm, backend, instance) belong to rkat-rpc and
// are dropped; Tools and Require apply.
func connectWS(t *testing.T, opts sdk.Options) *sdk.Client {
	t.Helper()
	srv := servetest.Start(t, rkatBin, servetest.Options{Config: servetest.Config(""), Env: serveScript()})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := sdk.Connect(ctx, sdk.Options{URL: srv.WS() + "/rpc", Key: servetest.Key, Tools: opts.Tools, Require: opts.Require})
	if err != nil {
		t.Fatalf("Connect over WebSocket: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return c
}

// TestWebSocketAuth: /rpc refuses a missing or unknown key and a key
// without the rpc permission before the upgrade; process options with a
// URL are a usage error.
func TestWebSocketAuth(t *testing.T) {
	srv := servetest.Start(t, rkatBin, servetest.Options{Config: servetest.Config(`
[[keys]]
key = "pk_norpc"
channels = ["**"]
permissions = ["subscribe", "publish", "presence", "send"]

[[keys]]
key = "pk_rpc"
channels = ["**"]
permissions = ["subscribe", "rpc"]
`)})
	url := srv.WS() + "/rpc"
	ctx := ctxT(t)
	for _, tc := range []struct {
		name, key string
		want      error
	}{
		{"missing", "", sdk.ErrUnauthorized},
		{"unknown", "sk_wrong", sdk.ErrUnauthorized},
		{"publishable key without rpc", "pk_norpc", sdk.ErrUnauthorized},
		{"publishable key with rpc", "pk_rpc", nil},
		{"secret key", servetest.Key, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := sdk.Connect(ctx, sdk.Options{URL: url, Key: tc.key})
			if !errors.Is(err, tc.want) || (tc.want == nil) != (c != nil) {
				t.Fatalf("Connect with %q = %v, want %v", tc.key, err, tc.want)
			}
			if c != nil {
				if _, err := c.ListSessions(ctx, nil, 0, 0); err != nil {
					t.Fatal(err)
				}
				if err := c.Close(); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	if _, err := sdk.Connect(ctx, sdk.Options{URL: url, Key: servetest.Key, StateRoot: t.TempDir()}); !errors.Is(err, sdk.ErrInvalidParams) {
		t.Fatalf("URL with a process option: %v", err)
	}
}
