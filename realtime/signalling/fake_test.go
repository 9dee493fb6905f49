package signalling

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// fakeServer is a scripted protocol server at the wire: every accepted
// connection runs script with its 0-based index.
type fakeServer struct {
	t      *testing.T
	srv    *httptest.Server
	script func(ctx context.Context, fc *fakeConn)

	mu    sync.Mutex
	conns []*fakeConn
	wg    sync.WaitGroup
}

// fakeConn is one server-side connection with a log of received frames.
type fakeConn struct {
	Index int
	Query map[string]string
	ws    *websocket.Conn

	mu  sync.Mutex
	raw []string
	got chan map[string]any
}

func newFakeServer(t *testing.T, script func(ctx context.Context, fc *fakeConn)) *fakeServer {
	t.Helper()
	fs := &fakeServer{t: t, script: script}
	fs.srv = httptest.NewServer(http.HandlerFunc(fs.handle))
	t.Cleanup(func() {
		fs.srv.CloseClientConnections()
		fs.srv.Close()
		fs.wg.Wait()
	})
	return fs
}

func (fs *fakeServer) URL() string { return strings.Replace(fs.srv.URL, "http://", "ws://", 1) }

func (fs *fakeServer) handle(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1" {
		http.NotFound(w, r)
		return
	}
	ws, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	fs.wg.Add(1)
	defer fs.wg.Done()
	q := map[string]string{}
	for k, v := range r.URL.Query() {
		q[k] = v[0]
	}
	fs.mu.Lock()
	fc := &fakeConn{Index: len(fs.conns), Query: q, ws: ws, got: make(chan map[string]any, 64)}
	fs.conns = append(fs.conns, fc)
	fs.mu.Unlock()
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	fs.script(ctx, fc)
	_ = ws.CloseNow()
}

func (fs *fakeServer) Conns() []*fakeConn {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]*fakeConn(nil), fs.conns...)
}

// Welcome sends a welcome frame with the given peer id.
func (fc *fakeConn) Welcome(ctx context.Context, peerID string) {
	fc.SendJSON(ctx, map[string]any{"type": "welcome", "peerId": peerID, "expiresAt": nil, "serverTime": 1, "maxMessageSize": 65536})
}

// SendJSON writes v as one text frame.
func (fc *fakeConn) SendJSON(ctx context.Context, v any) {
	b, _ := json.Marshal(v)
	_ = fc.ws.Write(ctx, websocket.MessageText, b)
}

// Close closes with a code.
func (fc *fakeConn) Close(code int, reason string) {
	_ = fc.ws.Close(websocket.StatusCode(code), reason)
}

// Serve reads frames until the connection ends, acking every request with a
// requestId and answering pings, unless handle returns true for the frame.
func (fc *fakeConn) Serve(ctx context.Context, handle func(f map[string]any) bool) {
	for {
		_, data, err := fc.ws.Read(ctx)
		if err != nil {
			return
		}
		fc.mu.Lock()
		fc.raw = append(fc.raw, string(data))
		fc.mu.Unlock()
		var f map[string]any
		if json.Unmarshal(data, &f) != nil {
			continue
		}
		select {
		case fc.got <- f:
		default:
		}
		if handle != nil && handle(f) {
			continue
		}
		if f["type"] == wire.TypePing {
			fc.SendJSON(ctx, map[string]any{"type": "pong"})
			continue
		}
		if id, ok := f["requestId"].(string); ok {
			fc.SendJSON(ctx, map[string]any{"type": "ack", "requestId": id})
		}
	}
}

// Raw returns every received frame, one per line.
func (fc *fakeConn) Raw() string {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return strings.Join(fc.raw, "\n")
}

// Next waits for the next received frame.
func (fc *fakeConn) Next(t *testing.T) map[string]any {
	t.Helper()
	select {
	case f := <-fc.got:
		return f
	case <-time.After(5 * time.Second):
		t.Fatal("timed out waiting for a client frame")
		return nil
	}
}

// waitFor receives from s until pred holds, failing after 10 s.
func waitFor[E any](t *testing.T, s *Stream[E], pred func(E) bool) E {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		ev, err := s.Next(ctx)
		if err != nil {
			t.Fatalf("waiting for %T: %v", ev, err)
		}
		if pred(ev) {
			return ev
		}
	}
}

// newAckingPair starts a fake server that welcomes every connection as
// "me" and acks every request, and a client for it.
func newAckingPair(t *testing.T) (*fakeServer, *Client) {
	t.Helper()
	fs := newFakeServer(t, func(ctx context.Context, fc *fakeConn) {
		fc.Welcome(ctx, "me")
		fc.Serve(ctx, nil)
	})
	return fs, newTestClient(t, Config{URL: fs.URL()})
}

// fastReconnect is a jitter-free short schedule for tests.
var fastReconnect = ReconnectOptions{InitialDelay: 10 * time.Millisecond, Multiplier: 2, MaxDelay: 50 * time.Millisecond, MaxAttempts: 5}

func newTestClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	if cfg.Key == "" && cfg.TokenProvider == nil {
		cfg.Key = "pk_test"
	}
	if cfg.Reconnect == nil {
		rc := fastReconnect
		cfg.Reconnect = &rc
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}
