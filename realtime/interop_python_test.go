package realtime

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/interoptest"
	"github.com/rkat-dev/rkat/realtime/wire"
)

const (
	// debianPython is the interpreter python3-websockets installs for; the
	// pyenv python3 earlier on PATH does not see that package.
	debianPython = "/usr/bin/python3"
	// pythonInteropScript is relative to this package.
	pythonInteropScript = "../interop/python/realtime_ws.py"
)

// pythonModuleAvailable reports, as an error, why python cannot import
// module (a missing interpreter or a failed import).
func pythonModuleAvailable(ctx context.Context, python, module string) error {
	if _, err := os.Stat(python); err != nil {
		return fmt.Errorf("interpreter: %w", err)
	}
	out, err := exec.CommandContext(ctx, python, "-c", "import "+module).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s cannot import %s: %w: %s", python, module, err, bytes.TrimSpace(out))
	}
	return nil
}

// requirePythonWebsockets fails under CI=true and skips otherwise when the
// Debian python3 or its websockets package is missing.
func requirePythonWebsockets(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := pythonModuleAvailable(ctx, debianPython, "websockets"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("python interop prerequisites missing (apt-get install -y python3-websockets): %v", err)
		}
		t.Skipf("python interop prerequisites missing (apt-get install -y python3-websockets): %v", err)
	}
}

// TestInteropPythonWebsockets drives the real server from Python through
// the websockets library the metered-realtime Python SDK is built on (not
// the SDK itself, which cannot be installed here): welcome, subscribe and
// presence, publish and send with fromMetadata, documented error frames,
// the library's protocol keepalive, and the close codes it surfaces.
func TestInteropPythonWebsockets(t *testing.T) {
	requirePythonWebsockets(t)
	_, wsURL, httpURL := startServer(t, interopConfig())

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, debianPython, pythonInteropScript)
	cmd.Env = append(os.Environ(), "RKAT_URL="+wsURL, "RKAT_HTTP="+httpURL, "RKAT_KEY="+testKey,
		"RKAT_SECRET="+testSecret, "RKAT_FRAME_SLACK="+strconv.Itoa(wire.FrameSlack))
	interoptest.RunCheckScript(t, cmd, []string{
		"welcome-key", "welcome-key-ice-servers", "welcome-key-fresh-peer-id", "welcome-token",
		"subscribe-ack", "snapshot-empty", "presence-joined", "presence-snapshot",
		"publish-receive", "publish-from-pk", "no-self-delivery", "no-delivery-to-non-subscriber",
		"direct-pk-to-jwt", "direct-jwt-to-pk",
		"error-channel-reserved", "error-channel-not-authorized", "error-peer-not-found", "error-missing-data",
		"connection-survives-errors", "presence-left", "keepalive-idle", "protocol-ping-pong",
		"close-admin-4020", "close-duplicate-4020", "close-invalid-token-4001",
		"max-size-payload-accepted", "close-oversize-1009",
	}, nil)
}
