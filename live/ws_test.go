package live_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/rkat-dev/rkat/live"
	"github.com/rkat-dev/rkat/llm/llmtest"
)

// wsURL rewrites an Opened URL onto the test server.
func wsURL(t *testing.T, srv *httptest.Server, o live.Opened, mutate func(url.Values)) string {
	t.Helper()
	u, err := url.Parse(o.URL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if mutate != nil {
		mutate(q)
	}
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/live/ws?" + q.Encode()
}

func readObs(t *testing.T, ctx context.Context, ws *websocket.Conn) map[string]any {
	t.Helper()
	typ, data, err := ws.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if typ != websocket.MessageText {
		t.Fatalf("frame type %v", typ)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func readUntil(t *testing.T, ctx context.Context, ws *websocket.Conn, kind string) map[string]any {
	t.Helper()
	for {
		if m := readObs(t, ctx, ws); m["observation"] == kind {
			return m
		}
	}
}

// TestWebSocket: the /live/ws contract: tokens single-use and bound to
// their channel, frames in both directions, rejected frames keep the
// socket, binary audio only with the negotiated format, the socket cap.
func TestWebSocket(t *testing.T) {
	f := newFixture(t, llmtest.RealtimeConfig{}, live.Config{WSURL: "ws://placeholder", MaxSockets: 2})
	srv := httptest.NewServer(f.m.Handler())
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	id := f.session(t, "scripted", "gpt-realtime-2")
	o, err := f.m.Open(ctx, live.OpenRequest{SessionID: id, Turning: live.ExplicitCommit})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(o.URL, "format=pcm_24k_mono") || !strings.Contains(o.URL, "channel="+o.Channel.ID()) {
		t.Fatalf("bootstrap URL %s", o.URL)
	}

	refused := func(name, target, reason string) {
		t.Helper()
		ws := dialActive(t, ctx, target)
		defer ws.CloseNow()
		m := readObs(t, ctx, ws)
		if m["error"] != "invalid_token" || !strings.Contains(m["reason"].(string), reason) {
			t.Errorf("%s: frame %v", name, m)
		}
		if _, _, err := ws.Read(ctx); websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
			t.Errorf("%s: close %v, want 1008", name, err)
		}
	}
	refused("wrong channel", wsURL(t, srv, o, func(q url.Values) { q.Set("channel", "ch_other") }), "another channel")
	refused("unknown token", wsURL(t, srv, o, func(q url.Values) { q.Set("token", "nope") }), "unknown")

	o2, err := f.m.Open(ctx, live.OpenRequest{SessionID: f.session(t, "scripted", "gpt-realtime-2")})
	if err != nil {
		t.Fatal(err)
	}
	refused("other channel's token", wsURL(t, srv, o2, func(q url.Values) { q.Set("channel", o.Channel.ID()) }), "another channel")

	ws := dialActive(t, ctx, wsURL(t, srv, o, nil))
	defer ws.CloseNow()
	if m := readUntil(t, ctx, ws, live.ObsReady); m == nil {
		t.Fatal("no ready")
	}
	refused("token reuse", wsURL(t, srv, o, nil), "already used")

	// Bad frames are rejected with the contract's reason; the socket stays.
	for _, tc := range []struct{ frame, kind string }{
		{`{nope`, "other"},
		{`{"kind":"image","idempotency_key":"k","mime":"image/png","data":"AA=="}`, "image_input_not_implemented"},
		{`{"kind":"audio","data":"AAAA","sample_rate_hz":1,"channels":1}`, "audio_input_format_mismatch"},
	} {
		if err := ws.Write(ctx, websocket.MessageText, []byte(tc.frame)); err != nil {
			t.Fatal(err)
		}
		m := readUntil(t, ctx, ws, live.ObsCommandRejected)
		code := m["code"].(map[string]any)
		if code["code"] != "config_rejected" || code["reason"].(map[string]any)["kind"] != tc.kind {
			t.Errorf("%s: %v", tc.frame, m)
		}
	}
	if err := ws.Write(ctx, websocket.MessageBinary, make([]byte, 4800)); err != nil {
		t.Fatal(err)
	}
	if err := ws.Write(ctx, websocket.MessageText, []byte(`{"kind":"text","text":"over the socket"}`)); err != nil {
		t.Fatal(err)
	}
	// Frames carry no acknowledgement: give the server a moment to queue
	// them before committing through the Go API.
	time.Sleep(300 * time.Millisecond)
	if err := o.Channel.Commit(true); err != nil {
		t.Fatal(err)
	}
	if m := readUntil(t, ctx, ws, live.ObsUserTranscript); m["text"] != "audio of 100 ms" {
		t.Errorf("transcript %v", m)
	}
	if m := readUntil(t, ctx, ws, live.ObsTurnCompleted); m["stop_reason"] != "end_turn" {
		t.Errorf("turn %v", m)
	}

	// The socket cap answers 503 before upgrading.
	ws2 := dialActive(t, ctx, wsURL(t, srv, o2, nil))
	defer ws2.CloseNow()
	readUntil(t, ctx, ws2, live.ObsStatusChanged)
	_, resp, err := websocket.Dial(ctx, wsURL(t, srv, o2, nil), nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("third socket: %v %v", err, resp)
	}

	// Closing the channel ends its sockets.
	o.Channel.Close("")
	for {
		if _, _, err := ws.Read(ctx); err != nil {
			if !errors.Is(err, context.DeadlineExceeded) && websocket.CloseStatus(err) == websocket.StatusNormalClosure {
				break
			}
			t.Fatalf("socket end: %v", err)
		}
	}
}

// dialActive dials, retrying while refused sockets of earlier steps are
// still counted against the cap (their handlers end just after the close).
func dialActive(t *testing.T, ctx context.Context, target string) *websocket.Conn {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		ws, resp, err := websocket.Dial(ctx, target, nil)
		if err == nil {
			return ws
		}
		if resp == nil || resp.StatusCode != http.StatusServiceUnavailable || time.Now().After(deadline) {
			t.Fatal(err)
		}
	}
}

// TestBinaryNeedsFormat: binary frames on a socket that did not negotiate
// pcm_24k_mono close the socket (the channel stays).
func TestBinaryNeedsFormat(t *testing.T) {
	f := newFixture(t, llmtest.RealtimeConfig{}, live.Config{WSURL: "ws://placeholder"})
	srv := httptest.NewServer(f.m.Handler())
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	o, err := f.m.Open(ctx, live.OpenRequest{SessionID: f.session(t, "scripted", "gpt-realtime-2")})
	if err != nil {
		t.Fatal(err)
	}
	ws, _, err := websocket.Dial(ctx, wsURL(t, srv, o, func(q url.Values) { q.Del("format") }), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	readObs(t, ctx, ws)
	_ = ws.Write(ctx, websocket.MessageBinary, []byte{0, 0})
	for {
		if _, _, err := ws.Read(ctx); err != nil {
			if websocket.CloseStatus(err) != websocket.StatusUnsupportedData {
				t.Errorf("close %v, want 1003", err)
			}
			break
		}
	}
	if st := o.Channel.State(); st.Status == live.StatusClosed {
		t.Errorf("channel closed with its socket: %+v", st)
	}
}
