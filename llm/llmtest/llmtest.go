// Package llmtest provides wire-faithful fake provider servers for tests:
// an httptest server that replays canned HTTP responses recorded in each
// provider's real format (testdata/<api>/<name>.http, a raw HTTP/1.1
// response: status line, headers, blank line, body) and records the
// requests it received.
//
// APIs: "anthropic" (Messages), "openai" (Responses), "chat" (Chat
// Completions, as OpenAI-compatible servers speak it), "gemini"
// (streamGenerateContent with alt=sse). Fixtures: text, reasoning,
// tool_call, parallel_tools, split_args, cache_usage, max_tokens,
// error_event, disconnect, truncated, malformed, 429, 500, 401 (an auth
// failure in the provider's own way), context_length, and for anthropic 529,
// shell_call (a call of the builtin shell tool) and mcp_image_call (a call
// of an MCP server's image tool).
//
// A fixture holding the header "X-Llmtest-Disconnect: 1" is cut off: the
// server declares a longer body than it sends and drops the connection, so
// the client sees an unexpected EOF mid-stream.
package llmtest

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
)

//go:embed testdata
var fixtures embed.FS

// Fixture returns the raw bytes of a fixture, named "<api>/<name>" (for
// example "anthropic/tool_call").
func Fixture(name string) ([]byte, error) {
	return fixtures.ReadFile("testdata/" + name + ".http")
}

// Request is one request the fake received.
type Request struct {
	Method string
	Path   string // path and query
	Header http.Header
	Body   []byte
}

// Server is a fake provider API. Each request is answered with the next
// queued fixture; with the queue empty it answers 500 with a message that
// names the problem.
type Server struct {
	srv *httptest.Server

	mu       sync.Mutex
	queue    []string
	requests []Request
}

// NewServer starts a fake on 127.0.0.1 serving fixtures in order and stops
// it when the test ends.
func NewServer(t testing.TB, fixtures ...string) *Server {
	t.Helper()
	for _, f := range fixtures {
		if _, err := Fixture(f); err != nil {
			t.Fatalf("llmtest: fixture %q: %v", f, err)
		}
	}
	s := &Server{queue: append([]string(nil), fixtures...)}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// URL is the server's base URL (http://127.0.0.1:port); append the path
// prefix the provider's documented base URL carries (for example "/v1"
// for OpenAI) when configuring an adapter.
func (s *Server) URL() string { return s.srv.URL }

// Close stops the server.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.record(r)
	s.mu.Lock()
	var name string
	if len(s.queue) > 0 {
		name, s.queue = s.queue[0], s.queue[1:]
	}
	s.mu.Unlock()
	if name == "" {
		http.Error(w, "llmtest: no fixture queued for "+r.URL.Path, http.StatusInternalServerError)
		return
	}
	raw, err := Fixture(name)
	if err == nil {
		err = replay(w, raw)
	}
	if err != nil {
		http.Error(w, fmt.Sprintf("llmtest: fixture %s: %v", name, err), http.StatusInternalServerError)
	}
}

// replay writes a recorded response.
func replay(w http.ResponseWriter, raw []byte) error {
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	disconnect := resp.Header.Get("X-Llmtest-Disconnect") != ""
	resp.Header.Del("X-Llmtest-Disconnect")
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	if !disconnect {
		w.WriteHeader(resp.StatusCode)
		_, _ = w.Write(body)
		return nil
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		return fmt.Errorf("cannot hijack to disconnect")
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return err
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", resp.StatusCode, http.StatusText(resp.StatusCode))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)+1024))
	_ = resp.Header.Write(buf)
	buf.WriteString("\r\n")
	buf.Write(body)
	return buf.Flush()
}
