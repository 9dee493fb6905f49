// Package servetest runs the built `rkat serve` on loopback for the tests
// that drive it from outside: the SDK over /rpc, the browser console, the
// shutdown checks.
package servetest

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Key is the secret key of Config.
const Key = "sk_test_serve"

// Config is a serve config with Key and a short shutdown grace; extra TOML
// is appended.
func Config(extra string) string {
	return "[[secret_keys]]\nkey = \"" + Key + "\"\n\n[[signing_keys]]\nkid = \"k1\"\nsecret = \"servetest-signing-secret\"\n\n" +
		"[serve]\nshutdown_grace = \"2s\"\n" + extra
}

// Options say how to start the server.
type Options struct {
	// Config is the TOML file's content; empty runs the embedded default.
	Config string
	// StateRoot is reused across restarts when set; empty is a fresh
	// temporary directory.
	StateRoot string
	// Env is added to the environment (RKAT_TEST_CLIENT=1 is always set).
	Env []string
}

// Process is one running `rkat serve`.
type Process struct {
	Addr      string // host:port it listens on
	Key       string // the console key: Key, or the generated one
	StateRoot string
	Cmd       *exec.Cmd
	Stderr    *Buffer
	waited    chan error
	stopOnce  sync.Once
	exitErr   error
}

// Start runs bin serve with opts until the test ends (then SIGTERM).
func Start(t testing.TB, bin string, opts Options) *Process {
	t.Helper()
	dir := t.TempDir()
	if opts.StateRoot == "" {
		opts.StateRoot = filepath.Join(dir, "state")
	}
	args := []string{"serve", "--addr", "127.0.0.1:0", "--state-root", opts.StateRoot}
	if opts.Config != "" {
		path := filepath.Join(dir, "rkat.toml")
		if err := os.WriteFile(path, []byte(opts.Config), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--config", path)
	}
	p := &Process{StateRoot: opts.StateRoot, Key: Key, Stderr: &Buffer{}, waited: make(chan error, 1)}
	p.Cmd = exec.Command(bin, args...)
	p.Cmd.Env = append(append(os.Environ(), "RKAT_TEST_CLIENT=1"), opts.Env...)
	p.Cmd.Stderr = p.Stderr
	out, err := p.Cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The start-up lines go to Start; later ones (there are none today)
	// are dropped rather than block the process.
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
		_, _ = io.Copy(io.Discard, out)
		close(lines)
		p.waited <- p.Cmd.Wait()
	}()
	t.Cleanup(func() { p.Stop(t) })
	deadline := time.After(30 * time.Second)
	for p.Addr == "" || (opts.Config == "" && p.Key == Key) {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("rkat serve exited at start: %v (stderr: %s)", <-p.waited, p.Stderr.String())
			}
			if a, ok := strings.CutPrefix(line, "listening on "); ok {
				p.Addr, _, _ = strings.Cut(a, " ")
			}
			if k, ok := strings.CutPrefix(line, "development key: "); ok {
				p.Key = k
			}
		case <-deadline:
			_ = p.Cmd.Process.Signal(syscall.SIGQUIT) // a goroutine dump on stderr
			time.Sleep(time.Second)
			t.Fatalf("rkat serve did not start (stderr: %s)", p.Stderr.String())
		}
	}
	return p
}

// URL is the http:// origin.
func (p *Process) URL() string { return "http://" + p.Addr }

// WS is the ws:// origin.
func (p *Process) WS() string { return "ws://" + p.Addr }

// Stop sends SIGTERM and waits for the process to exit; it returns the
// exit error (nil for status 0). It is safe to call more than once.
func (p *Process) Stop(t testing.TB) error {
	t.Helper()
	p.stopOnce.Do(func() {
		_ = p.Cmd.Process.Signal(syscall.SIGTERM)
		select {
		case p.exitErr = <-p.waited:
		case <-time.After(30 * time.Second):
			_ = p.Cmd.Process.Kill()
			p.exitErr = <-p.waited
			t.Errorf("rkat serve did not exit on SIGTERM within 30s (stderr: %s)", p.Stderr.String())
		}
	})
	return p.exitErr
}

// Buffer is a strings.Builder safe for one writer and concurrent readers.
type Buffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
