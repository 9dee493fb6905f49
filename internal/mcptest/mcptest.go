// Package mcptest runs the third-party MCP reference servers that
// `npm ci` installs in interop/mcp, for the tests of the MCP client. Tests
// that need them skip when they are missing, and fail under CI=true.
package mcptest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/interoptest"
	"github.com/rkat-dev/rkat/internal/procgroup"
)

// Executables of interop/mcp/node_modules/.bin.
const (
	Everything = "mcp-server-everything"
	Filesystem = "mcp-server-filesystem"
)

// Bin returns the absolute path of the installed MCP server name.
func Bin(t testing.TB, name string) string {
	t.Helper()
	root, err := moduleRoot()
	var path string
	if err == nil {
		path = filepath.Join(root, "interop", "mcp", "node_modules", ".bin", name)
		if _, err = os.Stat(path); err == nil {
			_, err = exec.LookPath("node")
		}
	}
	if err != nil {
		interoptest.Missing(t, "MCP interop servers missing (run npm ci in interop/mcp): %v", err)
	}
	return path
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("mcptest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// StartHTTP starts server-everything's streamable HTTP transport on a free
// local port and returns its endpoint URL. The server is killed when the
// test ends.
func StartHTTP(t testing.TB) string {
	t.Helper()
	return start(t, "streamableHttp", "/mcp")
}

// StartSSE starts server-everything's older HTTP+SSE transport and returns
// its SSE endpoint URL.
func StartSSE(t testing.TB) string {
	t.Helper()
	return start(t, "sse", "/sse")
}

func start(t testing.TB, transport, path string) string {
	t.Helper()
	bin := Bin(t, Everything)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, transport)
	cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(port))
	logPath := filepath.Join(t.TempDir(), "server-everything.log")
	out, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close() // the child keeps its own descriptor
	cmd.Stdout, cmd.Stderr = out, out
	procgroup.Set(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = procgroup.Kill(cmd)
		_ = cmd.Wait()
	})
	addr := "127.0.0.1:" + strconv.Itoa(port)
	for deadline := time.Now().Add(30 * time.Second); ; {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return "http://" + addr + path
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logPath)
			t.Fatalf("server-everything (%s) did not listen on %s: %v\n%s", transport, addr, err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
