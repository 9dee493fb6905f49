package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/rkat-dev/rkat/internal/procgroup"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
)

// maxToolsPerServer bounds the tools taken from one server's tools/list.
const maxToolsPerServer = 256

// clientVersion is the version rkat gives in the MCP handshake: the
// contract version it serves.
const clientVersion = "0.8.26"

// stderrTail is how much of a stdio server's stderr is kept for error
// reports.
const stderrTail = 2048

// ErrServerFailed is matched by the error of a server that could not be
// started or restarted.
var ErrServerFailed = errors.New("mcp: server failed")

// server is one configured MCP server. It owns at most one live connection
// (and, for stdio, one child process group) at a time. A connection that
// ends is noticed by its watcher goroutine; the next call starts a new one.
type server struct {
	cfg  ServerConfig
	opts *Config
	// life ends when the server is closed; it cuts a start in progress.
	life context.Context
	kill context.CancelFunc

	mu       sync.Mutex // held while connecting, so callers wait for one start
	conn     *connection
	tools    []*sdk.Tool // from the last successful tools/list; kept when the server dies
	started  bool        // a start succeeded since the server was added or reloaded
	failed   error       // the last start failure, nil once connected
	reported error       // the failure last reported by the manager
	origin   Operation   // what brought the server in: add, or a reload
	closed   bool
}

// connection is one live session with a server.
type connection struct {
	sess   *sdk.ClientSession
	proc   *exec.Cmd          // stdio only
	stderr *tailBuffer        // stdio only
	done   chan struct{}      // closed when the session has ended
	ended  error              // why it ended, set before done closes
	cancel context.CancelFunc // ends the context the connection was made with
	wg     sync.WaitGroup
}

// brokenPipe returns why an ended stdio connection broke when the server
// wrote something other than JSON-RPC on stdout, nil for other endings (the
// process exited or was killed, the transport closed).
func (c *connection) brokenPipe() error {
	if c.proc == nil || c.alive() {
		return nil
	}
	var exit *exec.ExitError
	if c.ended == nil || errors.As(c.ended, &exit) || errors.Is(c.ended, io.EOF) ||
		errors.Is(c.ended, io.ErrClosedPipe) || errors.Is(c.ended, sdk.ErrConnectionClosed) {
		return nil
	}
	return c.ended
}

func (c *connection) alive() bool {
	select {
	case <-c.done:
		return false
	default:
		return true
	}
}

// close ends the session, kills what is left of the child's process group
// and waits for the watcher.
func (c *connection) close() {
	_ = c.sess.Close()
	c.cancel()
	if c.proc != nil {
		_ = procgroup.Kill(c.proc)
	}
	c.wg.Wait()
}

// ensure returns a live connection, starting one when there is none or the
// last one ended. ctx bounds the wait; the connect timeout bounds the start.
func (s *server) ensure(ctx context.Context) (*connection, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, fmt.Errorf("%w: %s: closed", ErrServerFailed, s.cfg.Name)
	}
	if s.conn != nil && s.conn.alive() {
		return s.conn, nil
	}
	if err := s.dropLocked(); err != nil {
		return nil, err
	}
	if s.failed != nil {
		return nil, s.failed
	}
	c, tools, err := s.start(ctx)
	if err != nil {
		if ctx.Err() == nil && s.life.Err() == nil {
			s.failed = err // not when the turn was interrupted or the server closed
		}
		return nil, err
	}
	s.conn, s.tools, s.failed, s.started = c, tools, nil, true
	return c, nil
}

// start connects to the server and lists its tools within the connect
// timeout. The connection is made with a context of its own that lives as
// long as the connection (the SSE transport's stream hangs on it); the
// timeout, the end of ctx and the server's close cut it short during the
// start only.
func (s *server) start(ctx context.Context) (*connection, []*sdk.Tool, error) {
	timeout := s.opts.ConnectTimeout
	if s.cfg.ConnectTimeoutSecs > 0 {
		timeout = time.Duration(s.cfg.ConnectTimeoutSecs) * time.Second
	}
	life, cancel := context.WithCancel(s.life)
	var timedOut atomic.Bool
	timer := time.AfterFunc(timeout, func() { timedOut.Store(true); cancel() })
	stopWatch := context.AfterFunc(ctx, cancel)
	c := &connection{done: make(chan struct{}), cancel: cancel}
	tools, err := s.connect(life, c)
	inTime, notCut := timer.Stop(), stopWatch()
	if err == nil && !(inTime && notCut) {
		c.close()
		err = s.failure("start", life.Err(), c)
	}
	if err != nil {
		cancel()
		if timedOut.Load() {
			err = fmt.Errorf("%w (no answer within %s)", err, timeout)
		}
		return nil, nil, err
	}
	return c, tools, nil
}

// connect makes connection c and lists the server's tools.
func (s *server) connect(ctx context.Context, c *connection) ([]*sdk.Tool, error) {
	var transport sdk.Transport
	switch {
	case s.cfg.Command != "":
		cmd := exec.Command(s.cfg.Command, s.cfg.Args...)
		cmd.Env = append(s.opts.environ(), envList(s.cfg.Env)...)
		cmd.Dir = s.opts.ProjectDir
		c.stderr = &tailBuffer{max: stderrTail}
		cmd.Stderr = c.stderr
		// Closing the server also ends the processes it started.
		procgroup.Set(cmd)
		// Children left holding stderr must not keep Wait (and Close) hanging.
		cmd.WaitDelay = time.Second
		c.proc = cmd
		transport = &sdk.CommandTransport{Command: cmd, TerminateDuration: time.Second}
	case s.cfg.Transport == TransportSSE:
		transport = &sdk.SSEClientTransport{Endpoint: s.cfg.URL, HTTPClient: s.httpClient()}
	default:
		transport = &sdk.StreamableClientTransport{Endpoint: s.cfg.URL, HTTPClient: s.httpClient(),
			DisableStandaloneSSE: true, MaxRetries: -1}
	}
	client := sdk.NewClient(&sdk.Implementation{Name: "rkat", Version: clientVersion},
		&sdk.ClientOptions{Capabilities: &sdk.ClientCapabilities{}})
	sess, err := client.Connect(ctx, transport, nil)
	if err != nil {
		// The SDK closed the session (and reaped the process); children
		// the server started may be left.
		if c.proc != nil {
			_ = procgroup.Kill(c.proc)
		}
		return nil, s.failure("start", err, c)
	}
	c.sess = sess
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.ended = sess.Wait()
		close(c.done)
	}()
	var tools []*sdk.Tool
	for t, err := range sess.Tools(ctx, nil) {
		if err != nil {
			c.close()
			return nil, s.failure("list tools", err, c)
		}
		if len(tools) == maxToolsPerServer {
			break
		}
		tools = append(tools, t)
	}
	return tools, nil
}

// failure wraps err with what the server wrote on stderr.
func (s *server) failure(what string, err error, c *connection) error {
	msg := fmt.Sprintf("%v", err)
	if c.stderr != nil {
		if tail := strings.TrimSpace(c.stderr.String()); tail != "" {
			msg += "; stderr: " + tail
		}
	}
	return fmt.Errorf("%w: %s: %s: %s", ErrServerFailed, s.cfg.Name, what, msg)
}

// call calls tool name with args. A connection found dead is restarted
// first; a connection lost during the call is restarted by the next call.
func (s *server) call(ctx context.Context, name string, args json.RawMessage) (tool.Result, error) {
	c, err := s.ensure(ctx)
	if err != nil {
		return tool.ErrorResult(fmt.Sprintf("MCP server %q is unavailable: %v", s.cfg.Name, err)), nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.CallTimeout)
	defer cancel()
	res, err := c.sess.CallTool(ctx, &sdk.CallToolParams{Name: name, Arguments: args})
	switch {
	case err == nil:
		return resultOf(res, s.opts.MaxResultBytes), nil
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return tool.ErrorResult(fmt.Sprintf("MCP tool %s of server %q timed out after %s", name, s.cfg.Name, s.opts.CallTimeout)), nil
	case !c.alive() || errors.Is(err, sdk.ErrConnectionClosed):
		return tool.ErrorResult(fmt.Sprintf("MCP server %q closed the connection during the call (%v); it will be restarted on the next call", s.cfg.Name, err)), nil
	default:
		return tool.ErrorResult(fmt.Sprintf("MCP tool %s of server %q failed: %v", name, s.cfg.Name, err)), nil
	}
}

// listed returns the server's last known tools and its start failure.
func (s *server) listed() ([]*sdk.Tool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tools, s.failed
}

// pingTimeout bounds the liveness check of a connection at a turn boundary.
const pingTimeout = 2 * time.Second

// check pings a live connection and drops it when the server does not
// answer (it died between turns), so that the next call starts a new one
// instead of failing on the dead pipe.
func (s *server) check(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if !s.conn.alive() || s.conn.sess.Ping(ctx, nil) != nil {
		_ = s.dropLocked()
	}
}

// dropLocked closes the current connection. When it broke on garbage from
// the server, the server is marked failed (reported at the next boundary,
// its tools left out) instead of being restarted: it would only do it again.
func (s *server) dropLocked() error {
	if s.conn == nil {
		return nil
	}
	broken := s.conn.brokenPipe()
	s.conn.close()
	s.conn = nil
	if broken != nil {
		s.failed = fmt.Errorf("%w: %s: wrote something other than JSON-RPC on stdout: %v", ErrServerFailed, s.cfg.Name, broken)
	}
	return s.failed
}

// pending reports whether the server has to be started at the boundary: it
// is new or reloaded. A server that started once and died since is restarted
// by its next call instead.
func (s *server) pending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.started && s.failed == nil && !s.closed
}

// markReported records err as reported and says whether it was new.
func (s *server) markReported(err error) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reported == err {
		return false
	}
	s.reported = err
	return true
}

// close ends the server's connection for good.
func (s *server) close() {
	s.kill()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.conn != nil {
		s.conn.close()
		s.conn = nil
	}
}

// restart ends the current connection and forgets a start failure, so the
// next boundary starts the server afresh.
func (s *server) restart() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
	s.failed, s.reported, s.origin = nil, nil, OpReload
}

// stop ends the current connection; the server starts again at the next
// boundary or call.
func (s *server) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
}

func (s *server) stopLocked() {
	if s.conn != nil {
		s.conn.close()
		s.conn = nil
	}
	s.started = false
}

func (s *server) httpClient() *http.Client {
	if len(s.cfg.Headers) == 0 {
		return nil
	}
	return &http.Client{Transport: headerTransport{headers: s.cfg.Headers, next: http.DefaultTransport}}
}

// headerTransport adds configured headers to every request.
type headerTransport struct {
	headers map[string]string
	next    http.RoundTripper
}

func (t headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range t.headers {
		r.Header.Set(k, v)
	}
	return t.next.RoundTrip(r)
}

// mcpTool is one tool of a server as the model sees it.
type mcpTool struct {
	srv *server
	t   *sdk.Tool
	def llm.ToolDef
}

func (t *mcpTool) Def() llm.ToolDef { return t.def }

func (t *mcpTool) Call(ctx context.Context, args json.RawMessage) (tool.Result, error) {
	return t.srv.call(ctx, t.t.Name, args)
}

// toolDef describes tool of server under the model-facing name; the input
// schema is passed through as the server sent it.
func toolDef(name, server string, t *sdk.Tool) llm.ToolDef {
	schema, err := json.Marshal(t.InputSchema)
	if err != nil || string(schema) == "null" {
		schema = json.RawMessage(`{"type":"object"}`)
	}
	desc := t.Description
	if desc == "" {
		desc = t.Title
	}
	return llm.ToolDef{Name: name, Description: fmt.Sprintf("[MCP %s] %s", server, desc), InputSchema: schema}
}

func envList(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	return out
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
