package rpc

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestParse(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		code   int    // 0: accepted
		id     string // expected echoed id ("" = none)
		method string
	}{
		{"request int id", `{"jsonrpc":"2.0","id":1,"method":"m","params":{}}`, 0, "1", "m"},
		{"request string id", `{"jsonrpc":"2.0","id":"srv-7","method":"m"}`, 0, `"srv-7"`, "m"},
		{"request float id kept", `{"jsonrpc":"2.0","id":1.50,"method":"m"}`, 0, "1.50", "m"},
		{"notification", `{"jsonrpc":"2.0","method":"n","params":{"a":1}}`, 0, "", "n"},
		{"response", `{"jsonrpc":"2.0","id":3,"result":{"x":1}}`, 0, "3", ""},
		{"error response", `{"jsonrpc":"2.0","id":"a","error":{"code":-1,"message":"m"}}`, 0, `"a"`, ""},
		{"garbage", `{garbage`, CodeParseError, "", ""},
		{"truncated", `{"jsonrpc":"2.0","id":1`, CodeParseError, "", ""},
		{"not json", `hello`, CodeParseError, "", ""},
		{"batch", `[{"jsonrpc":"2.0","id":1,"method":"m"}]`, CodeInvalidRequest, "", ""},
		{"number", `42`, CodeInvalidRequest, "", ""},
		{"null", `null`, CodeInvalidRequest, "", ""},
		{"wrong version", `{"jsonrpc":"1.0","id":5,"method":"m"}`, CodeInvalidRequest, "5", ""},
		{"missing version", `{"id":5,"method":"m"}`, CodeInvalidRequest, "5", ""},
		{"version as number", `{"jsonrpc":2.0,"id":5,"method":"m"}`, CodeInvalidRequest, "5", ""},
		{"object id", `{"jsonrpc":"2.0","id":{"a":1},"method":"m"}`, CodeInvalidRequest, "", ""},
		{"bool id", `{"jsonrpc":"2.0","id":true,"method":"m"}`, CodeInvalidRequest, "", ""},
		{"huge id", `{"jsonrpc":"2.0","id":"` + strings.Repeat("x", MaxIDBytes) + `","method":"m"}`, CodeInvalidRequest, "", ""},
		{"numeric method", `{"jsonrpc":"2.0","id":1,"method":7}`, CodeInvalidRequest, "1", ""},
		{"empty method", `{"jsonrpc":"2.0","id":1,"method":""}`, CodeInvalidRequest, "1", ""},
		{"array params", `{"jsonrpc":"2.0","id":1,"method":"m","params":[1]}`, CodeInvalidParams, "1", "m"},
		{"string params", `{"jsonrpc":"2.0","id":1,"method":"m","params":"x"}`, CodeInvalidRequest, "1", "m"},
		{"no method no id", `{"jsonrpc":"2.0"}`, CodeInvalidRequest, "", ""},
		{"result and error", `{"jsonrpc":"2.0","id":1,"result":1,"error":{"code":1,"message":"x"}}`, CodeInvalidRequest, "", ""},
		{"bad error object", `{"jsonrpc":"2.0","id":1,"error":"boom"}`, CodeInvalidRequest, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse([]byte(tt.in))
			code := 0
			if err != nil {
				code = err.Code
			}
			if code != tt.code {
				t.Fatalf("code %d, want %d (%v)", code, tt.code, err)
			}
			var id string
			if m != nil {
				id = string(m.ID)
			}
			if id != tt.id {
				t.Fatalf("id %q, want %q", id, tt.id)
			}
			if m != nil && m.Method != tt.method {
				t.Fatalf("method %q, want %q", m.Method, tt.method)
			}
		})
	}
}

func TestParseDefaultsParams(t *testing.T) {
	m, err := Parse([]byte(`{"jsonrpc":"2.0","id":1,"method":"m"}`))
	if err != nil || string(m.Params) != "{}" || !m.IsRequest() {
		t.Fatalf("Parse = %+v, %v", m, err)
	}
}

// pair connects a client and a server Conn through in-memory pipes; the
// returned raw writer and reader let a test speak to the server directly.
type harness struct {
	toServer   *io.PipeWriter
	fromServer *bufio.Reader
	done       chan error
	cancel     context.CancelFunc
}

func serve(t *testing.T, cfg Config) *harness {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	cfg.Transport = NewStream(inR, outW, cfg.MaxResponse)
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{toServer: inW, fromServer: bufio.NewReader(outR), done: make(chan error, 1), cancel: cancel}
	c := New(cfg)
	go func() { h.done <- c.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		inW.Close()
		go io.Copy(io.Discard, outR) // let a final flush finish
		<-h.done
		outR.Close()
	})
	return h
}

func (h *harness) send(t *testing.T, line string) {
	t.Helper()
	if _, err := io.WriteString(h.toServer, line+"\n"); err != nil {
		t.Fatalf("write: %v", err)
	}
}

func (h *harness) recv(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	line, err := h.fromServer.ReadBytes('\n')
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(line, &m); err != nil {
		t.Fatalf("server wrote a non-JSON line %q: %v", line, err)
	}
	return m
}

func errCode(t *testing.T, m map[string]json.RawMessage) int {
	t.Helper()
	var e Error
	if err := json.Unmarshal(m["error"], &e); err != nil {
		t.Fatalf("no error in %v", m)
	}
	return e.Code
}

func echoHandler(ctx context.Context, req *Request) (any, error) {
	switch req.Method {
	case "echo":
		return req.Params, nil
	case "fail":
		return nil, NewError(CodeSessionBusy, "SESSION_BUSY", "busy", map[string]int{"n": 1})
	case "plain":
		return nil, errors.New("plain failure")
	case "big":
		return strings.Repeat("x", 2048), nil
	}
	return nil, NewError(CodeMethodNotFound, "", "no "+req.Method, nil)
}

func TestServeEchoesIDsAndKeepsGoing(t *testing.T) {
	h := serve(t, Config{Handler: echoHandler, MaxResponse: 1024})
	steps := []struct {
		line string
		id   string
		code int
	}{
		{`{"jsonrpc":"2.0","id":1,"method":"echo","params":{"a":1}}`, "1", 0},
		{`{"jsonrpc":"2.0","id":"x-1","method":"echo"}`, `"x-1"`, 0},
		{`{garbage`, "null", CodeParseError},
		{`{"jsonrpc":"1.0","id":9,"method":"echo"}`, "9", CodeInvalidRequest},
		{`{"jsonrpc":"2.0","id":2,"method":"fail"}`, "2", CodeSessionBusy},
		{`{"jsonrpc":"2.0","id":3,"method":"plain"}`, "3", CodeInternalError},
		{`{"jsonrpc":"2.0","id":4,"method":"big"}`, "4", CodeInternalError},
		{`{"jsonrpc":"2.0","id":5.0,"method":"echo","params":{}}`, "5.0", 0},
	}
	for _, st := range steps {
		h.send(t, st.line)
		m := h.recv(t)
		if string(m["id"]) != st.id {
			t.Fatalf("%s: id %s, want %s", st.line, m["id"], st.id)
		}
		if st.code == 0 {
			if m["error"] != nil {
				t.Fatalf("%s: unexpected error %s", st.line, m["error"])
			}
			continue
		}
		if c := errCode(t, m); c != st.code {
			t.Fatalf("%s: code %d, want %d", st.line, c, st.code)
		}
	}
}

func TestErrorData(t *testing.T) {
	h := serve(t, Config{Handler: echoHandler})
	h.send(t, `{"jsonrpc":"2.0","id":1,"method":"fail"}`)
	var e Error
	if err := json.Unmarshal(h.recv(t)["error"], &e); err != nil {
		t.Fatal(err)
	}
	var d struct {
		Code, Message string
		Details       map[string]int
	}
	if err := json.Unmarshal(e.Data, &d); err != nil || d.Code != "SESSION_BUSY" || d.Message != "busy" || d.Details["n"] != 1 {
		t.Fatalf("data = %s (%v)", e.Data, err)
	}
	if e.Semantic() != "SESSION_BUSY" {
		t.Fatalf("Semantic() = %q", e.Semantic())
	}
}

func TestConcurrentRequestsAnsweredOutOfOrder(t *testing.T) {
	release := make(chan struct{})
	h := serve(t, Config{Handler: func(ctx context.Context, req *Request) (any, error) {
		if req.Method == "slow" {
			select {
			case <-release:
			case <-ctx.Done():
			}
			return "slow done", nil
		}
		return "fast", nil
	}})
	h.send(t, `{"jsonrpc":"2.0","id":1,"method":"slow"}`)
	h.send(t, `{"jsonrpc":"2.0","id":2,"method":"fast"}`)
	if m := h.recv(t); string(m["id"]) != "2" {
		t.Fatalf("first answer %v, want id 2 while 1 is still running", m)
	}
	close(release)
	if m := h.recv(t); string(m["id"]) != "1" {
		t.Fatalf("second answer %v", m)
	}
}

func TestNotificationsPrecedeResponse(t *testing.T) {
	h := serve(t, Config{Handler: func(ctx context.Context, req *Request) (any, error) {
		for i := range 50 {
			if err := req.Conn.Notify("session/event", map[string]int{"seq": i}); err != nil {
				return nil, err
			}
		}
		return "end", nil
	}, QueueLen: 4})
	h.send(t, `{"jsonrpc":"2.0","id":1,"method":"run"}`)
	for i := range 50 {
		m := h.recv(t)
		if m["id"] != nil {
			t.Fatalf("notification %d has an id: %v", i, m)
		}
		var p struct{ Seq int }
		if err := json.Unmarshal(m["params"], &p); err != nil || p.Seq != i {
			t.Fatalf("notification %d out of order: %s", i, m["params"])
		}
	}
	if m := h.recv(t); string(m["id"]) != "1" {
		t.Fatalf("response %v", m)
	}
}

func TestServerToClientCall(t *testing.T) {
	h := serve(t, Config{IDPrefix: "srv-", Handler: func(ctx context.Context, req *Request) (any, error) {
		res, err := req.Conn.Call(ctx, "tool/execute", map[string]string{"name": "echo"})
		if err != nil {
			return nil, err
		}
		return res, nil
	}})
	h.send(t, `{"jsonrpc":"2.0","id":1,"method":"turn"}`)
	call := h.recv(t)
	if string(call["method"]) != `"tool/execute"` || string(call["id"]) != `"srv-1"` {
		t.Fatalf("callback %v", call)
	}
	h.send(t, `{"jsonrpc":"2.0","id":"srv-1","result":{"content":"ok","is_error":false}}`)
	m := h.recv(t)
	if string(m["id"]) != "1" || !bytes.Contains(m["result"], []byte(`"ok"`)) {
		t.Fatalf("response %v", m)
	}
}

func TestCallFailsWhenPeerLeaves(t *testing.T) {
	got := make(chan error, 1)
	h := serve(t, Config{Handler: func(ctx context.Context, req *Request) (any, error) {
		_, err := req.Conn.Call(context.Background(), "tool/execute", nil)
		got <- err
		return nil, err
	}})
	h.send(t, `{"jsonrpc":"2.0","id":1,"method":"turn"}`)
	h.recv(t) // the callback request
	h.toServer.Close()
	if err := <-got; !errors.Is(err, ErrClosed) {
		t.Fatalf("Call error %v, want ErrClosed", err)
	}
	if m := h.recv(t); string(m["id"]) != "1" || errCode(t, m) != CodeInternalError {
		t.Fatalf("answer after EOF %v", m)
	}
	if err := <-h.done; err != nil {
		t.Fatalf("Serve = %v, want nil on EOF", err)
	}
	h.done <- nil // for cleanup
}

func TestOversizedInboundEndsConnection(t *testing.T) {
	inR, inW := io.Pipe()
	c := New(Config{Transport: NewStream(inR, io.Discard, 16)})
	done := make(chan error, 1)
	go func() { done <- c.Serve(context.Background()) }()
	go func() {
		_, _ = io.WriteString(inW, `{"jsonrpc":"2.0","id":1,"method":"a-very-long-method"}`+"\n")
		inW.Close()
	}()
	if err := <-done; !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("Serve = %v, want ErrFrameTooLarge", err)
	}
}

func TestTooManyInFlight(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	h := serve(t, Config{MaxInFlight: 1, Handler: func(ctx context.Context, req *Request) (any, error) {
		<-release
		return "x", nil
	}})
	defer once.Do(func() { close(release) })
	h.send(t, `{"jsonrpc":"2.0","id":1,"method":"a"}`)
	// The read loop takes the slot before reading the next line, so the
	// first request holds it when the second arrives.
	h.send(t, `{"jsonrpc":"2.0","id":2,"method":"b"}`)
	m := h.recv(t)
	if string(m["id"]) != "2" || errCode(t, m) != CodeInternalError {
		t.Fatalf("over-limit answer %v", m)
	}
	once.Do(func() { close(release) })
	if m := h.recv(t); string(m["id"]) != "1" {
		t.Fatalf("answer %v", m)
	}
}

func TestClientServerRoundTrip(t *testing.T) {
	aR, aW := io.Pipe()
	bR, bW := io.Pipe()
	var notes []string
	var mu sync.Mutex
	server := New(Config{Transport: NewStream(aR, bW, 0), Handler: func(ctx context.Context, req *Request) (any, error) {
		if err := req.Conn.Notify("note", map[string]string{"m": req.Method}); err != nil {
			return nil, err
		}
		return map[string]string{"method": req.Method}, nil
	}})
	client := New(Config{Transport: NewStream(bR, aW, 0), OnNotification: func(method string, params json.RawMessage) {
		mu.Lock()
		notes = append(notes, string(params))
		mu.Unlock()
	}})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = server.Serve(ctx) }()
	go func() { defer wg.Done(); _ = client.Serve(ctx) }()
	res, err := client.Call(ctx, "ping", map[string]int{"x": 1})
	if err != nil || !bytes.Contains(res, []byte(`"ping"`)) {
		t.Fatalf("Call = %s, %v", res, err)
	}
	mu.Lock()
	if len(notes) != 1 || !strings.Contains(notes[0], "ping") {
		t.Fatalf("notification not delivered before the response: %v", notes)
	}
	mu.Unlock()
	cancel()
	wg.Wait()
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"m","params":{}}`,
		`{"jsonrpc":"2.0","id":"srv-1","result":{"content":"ok"}}`,
		`{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}}`,
		`{"jsonrpc":"2.0","method":"session/event","params":{"a":[1,2]}}`,
		`{garbage`, `[]`, `{"id":{}}`, `{"jsonrpc":"2.0","id":1e400,"method":"m"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		m, perr := Parse(frame)
		if perr != nil {
			if perr.Code >= 0 || perr.Message == "" {
				t.Fatalf("bad error %+v", perr)
			}
			return
		}
		var out []byte
		switch {
		case m.IsRequest():
			out = AppendRequest(nil, m.ID, m.Method, m.Params)
		case m.IsNotification():
			out = AppendNotification(nil, m.Method, m.Params)
		case m.Error != nil:
			out = AppendError(nil, m.ID, m.Error)
		default:
			out = AppendResult(nil, m.ID, m.Result)
		}
		if !json.Valid(out) {
			t.Fatalf("re-encoded frame is not JSON: %s", out)
		}
		m2, perr := Parse(out)
		if perr != nil || !bytes.Equal(m2.ID, m.ID) || m2.Method != m.Method {
			t.Fatalf("round trip changed the message: %+v -> %+v (%v)", m, m2, perr)
		}
	})
}
