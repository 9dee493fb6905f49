package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/internal/pgtest"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/scripted"
	"github.com/rkat-dev/rkat/rpc"
	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/schedule"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/blob"
	"github.com/rkat-dev/rkat/store/memory"
	"github.com/rkat-dev/rkat/tool"
)

var pg pgtest.Cluster

func TestMain(m *testing.M) { goleak.VerifyTestMain(pg.Wrap(m)) }

// resolver sends every model to one scripted provider.
type resolver struct{ p *scripted.Provider }

func (r resolver) Resolve(_, model string) (llm.Provider, llm.Model, error) {
	if model == "" {
		model = scripted.Name
	}
	return r.p, llm.Model{ID: model, Provider: scripted.Name}, nil
}

const script = `{"rules": [
  {"match": "use echo", "responses": [{"tool_calls": [{"name": "echo", "args": {"text": "a"}}, {"name": "echo", "args": {"text": "b"}}]}, {"text": "both echoed"}]},
  {"match": "slow turn", "responses": [{"text": "done slowly", "chunks": 50, "delay_ms": 20}]},
  {"match": "list schedules", "responses": [{"tool_calls": [{"name": "meerkat_schedule_list", "args": {}}]}, {"text": "listed"}]}
]}`

// harness runs a Server in-process over pipes and a client rpc.Conn.
type harness struct {
	srv     *Server
	client  *rpc.Conn
	events  chan json.RawMessage // session/event params
	streams chan *rpc.Message    // session/stream_event and session/stream_end
}

// scriptedProvider is the scripted provider running script.
func scriptedProvider(t testing.TB) *scripted.Provider {
	t.Helper()
	sc, err := scripted.Parse([]byte(script))
	if err != nil {
		t.Fatal(err)
	}
	return scripted.New(scripted.Config{Script: sc})
}

func newHarness(t testing.TB, onCall rpc.Handler) *harness {
	t.Helper()
	return newHarnessWith(t, onCall, false)
}

// newHarnessWith also serves schedule/* (a schedule service over the same
// store, its executor not started) when schedules is set.
func newHarnessWith(t testing.TB, onCall rpc.Handler, schedules bool) *harness {
	t.Helper()
	st := memory.New()
	svc, err := session.New(context.Background(), session.Config{Store: st, Resolver: resolver{scriptedProvider(t)},
		Tools: tool.NewRegistry(), Realm: "r1"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{RealmID: "r1", Backend: "memory", Blobs: blob.NewMemory(0),
		Open: func(context.Context) (*session.Service, store.Store, error) { return svc, st, nil }}
	if schedules {
		sched, err := schedule.New(schedule.Config{Store: st, Sessions: svc})
		if err != nil {
			t.Fatal(err)
		}
		cfg.Schedules = func() *schedule.Service { return sched }
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		svc.Close()
		st.Close()
	})
	return connect(t, srv, onCall)
}

// connect opens another client connection to the harness's server; it is
// closed when the test ends (before the service closes).
func connect(t testing.TB, srv *Server, onCall rpc.Handler) *harness {
	aR, aW := io.Pipe()
	bR, bW := io.Pipe()
	h := &harness{srv: srv, events: make(chan json.RawMessage, 4096), streams: make(chan *rpc.Message, 4096)}
	h.client = rpc.New(rpc.Config{Transport: rpc.NewStream(bR, aW, 0), Handler: onCall,
		OnNotification: func(method string, params json.RawMessage) {
			params = append(json.RawMessage(nil), params...)
			switch method {
			case wire.MethodSessionEvent:
				select {
				case h.events <- params:
				default:
				}
			case wire.MethodStreamEvent, wire.MethodStreamEnd:
				select {
				case h.streams <- &rpc.Message{Method: method, Params: params}:
				default:
				}
			}
		}})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{}, 2)
	go func() { _ = srv.Serve(ctx, rpc.NewStream(aR, bW, 0)); served <- struct{}{} }()
	go func() { _ = h.client.Serve(ctx); served <- struct{}{} }()
	t.Cleanup(func() {
		cancel()
		<-served
		<-served
	})
	return h
}

func (h *harness) call(t testing.TB, method string, params, out any) error {
	t.Helper()
	raw, err := h.client.Call(context.Background(), method, params)
	if err == nil && out != nil {
		if uerr := json.Unmarshal(raw, out); uerr != nil {
			t.Fatalf("%s: %s: %v", method, raw, uerr)
		}
	}
	return err
}

func (h *harness) drain() []event.Event {
	var out []event.Event
	for {
		select {
		case raw := <-h.events:
			var p wire.SessionEvent
			if err := json.Unmarshal(raw, &p); err != nil {
				panic(err)
			}
			ev, err := event.Unmarshal(p.Event.Payload)
			if err != nil {
				panic(err)
			}
			out = append(out, ev)
		default:
			return out
		}
	}
}

func TestParallelCallbacksGetTheirToolUseIDs(t *testing.T) {
	seen := make(chan wire.ToolExecuteParams, 4)
	h := newHarness(t, func(ctx context.Context, req *rpc.Request) (any, error) {
		var p wire.ToolExecuteParams
		if err := json.Unmarshal(req.Params, &p); err != nil {
			return nil, err
		}
		seen <- p
		var args struct{ Text string }
		_ = json.Unmarshal(p.Arguments, &args)
		return wire.ToolExecuteResult{Content: json.RawMessage(`"echo ` + args.Text + `"`)}, nil
	})
	if err := h.call(t, wire.MethodToolsRegister, wire.RegisterParams{Tools: []wire.ToolSpec{{Name: "echo", Description: "e"}}}, nil); err != nil {
		t.Fatal(err)
	}
	var res wire.RunResult
	if err := h.call(t, wire.MethodSessionCreate, map[string]any{"prompt": "use echo"}, &res); err != nil {
		t.Fatal(err)
	}
	if res.ToolCalls != 2 || res.SessionRef != "r1:"+res.SessionID {
		t.Fatalf("result %+v", res)
	}
	requested := map[string]string{} // id -> args
	results := map[string]string{}   // id -> content
	for _, ev := range h.drain() {
		switch e := ev.(type) {
		case event.ToolCallRequested:
			requested[e.ID] = string(e.Args)
		case event.ToolResultReceived:
			results[e.ID] = e.Content[0].Text
		}
	}
	close(seen)
	for p := range seen {
		var args struct{ Text string }
		_ = json.Unmarshal(p.Arguments, &args)
		if !strings.Contains(requested[p.ToolUseID], `"`+args.Text+`"`) || results[p.ToolUseID] != "echo "+args.Text {
			t.Fatalf("tool/execute %+v does not match requested %v / results %v", p, requested, results)
		}
	}
}

func TestBusyInterruptAndHistoryShapes(t *testing.T) {
	h := newHarness(t, nil)
	var res wire.RunResult
	if err := h.call(t, wire.MethodSessionCreate, map[string]any{"prompt": "hi", "labels": map[string]string{"k": "v"}}, &res); err != nil {
		t.Fatal(err)
	}
	h.drain() // the create's events
	done := make(chan error, 1)
	go func() {
		done <- h.call(t, wire.MethodTurnStart, map[string]any{"session_id": res.SessionRef, "prompt": "slow turn"}, nil)
	}()
	for started := false; !started; { // wait until the slow turn streams
		raw := <-h.events
		started = strings.Contains(string(raw), `"text_delta"`)
	}
	busy := h.call(t, wire.MethodTurnStart, map[string]any{"session_id": res.SessionID, "prompt": "x"}, nil)
	if re, ok := busy.(*rpc.Error); !ok || re.Code != rpc.CodeSessionBusy || re.Semantic() != wire.ErrCodeSessionBusy {
		t.Fatalf("competing turn: %v", busy)
	}
	var ir wire.InterruptResult
	if err := h.call(t, wire.MethodTurnInterrupt, map[string]any{"session_id": res.SessionID}, &ir); err != nil || !ir.Interrupted {
		t.Fatalf("interrupt %+v %v", ir, err)
	}
	if err := <-done; err == nil || err.(*rpc.Error).Code != rpc.CodeRequestCancelled {
		t.Fatalf("interrupted turn: %v", err)
	}
	var hist wire.History
	if err := h.call(t, wire.MethodSessionHistory, map[string]any{"session_id": res.SessionID, "offset": 0, "limit": 1}, &hist); err != nil {
		t.Fatal(err)
	}
	if len(hist.Messages) != 1 || !hist.HasMore || hist.Limit == nil || *hist.Limit != 1 || string(hist.Messages[0].Content) != `"hi"` {
		t.Fatalf("history page %+v", hist)
	}
}

func TestMergePatch(t *testing.T) {
	tests := []struct{ target, patch, want string }{
		{`{"a":"b"}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"b"}`, `{"b":"c"}`, `{"a":"b","b":"c"}`},
		{`{"a":"b"}`, `{"a":null}`, `{}`},
		{`{"a":"b","b":"c"}`, `{"a":null}`, `{"b":"c"}`},
		{`{"a":["b"]}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":{"b":"c"}}`, `{"a":{"b":"d","c":null}}`, `{"a":{"b":"d"}}`},
		{`{"a":[{"b":"c"}]}`, `{"a":[1]}`, `{"a":[1]}`},
		{`{}`, `{"a":{"bb":{"ccc":null}}}`, `{"a":{"bb":{}}}`},
	}
	for _, tt := range tests {
		got, err := mergePatch(json.RawMessage(tt.target), json.RawMessage(tt.patch))
		if err != nil || string(got) != tt.want {
			t.Errorf("merge(%s, %s) = %s, %v; want %s", tt.target, tt.patch, got, err, tt.want)
		}
	}
}

func TestLegacyFields(t *testing.T) {
	rs := withLegacy(event.RunStarted{Input: event.RunInput{Kind: "content", Content: []llm.Block{llm.Text("hi")}}}).(event.RunStarted)
	rf := withLegacy(event.RunFailed{ErrorReport: event.ErrorReport{Class: "llm", Message: "boom"}}).(event.RunFailed)
	rt := withLegacy(event.Retrying{Retry: event.RetryInfo{Failure: event.RetryFailure{Message: "busy"},
		Plan: event.RetryPlan{Attempt: 2, MaxRetries: 3, SelectedDelayMS: 50}}}).(event.Retrying)
	if rs.Prompt != "hi" || rf.ErrorClass != "llm" || rf.Error != "boom" || rt.Attempt != 2 || rt.MaxAttempts != 3 || rt.Error != "busy" || rt.DelayMS != 50 {
		t.Fatalf("legacy fields: %+v %+v %+v", rs, rf, rt)
	}
}

// BenchmarkTurn measures one turn through the JSON-RPC surface in-process
// (codec, connection, session service, scripted provider, memory store).
func BenchmarkTurn(b *testing.B) {
	h := newHarness(b, nil) // events beyond its buffer are dropped by the harness
	var sid string
	for i := 0; b.Loop(); i++ {
		if i%25 == 0 {
			var d wire.DeferredResult
			if err := h.call(b, wire.MethodSessionCreate, map[string]any{"prompt": "bench", "initial_turn": "deferred"}, &d); err != nil {
				b.Fatal(err)
			}
			sid = d.SessionID
		}
		if err := h.call(b, wire.MethodTurnStart, map[string]any{"session_id": sid, "prompt": "hello"}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzMethods sends arbitrary params to every method: each call must be
// answered (result or error), never panic, and leave the server serving.
func FuzzMethods(f *testing.F) {
	h := newHarnessWith(f, func(context.Context, *rpc.Request) (any, error) {
		return wire.ToolExecuteResult{Content: json.RawMessage(`"ok"`)}, nil
	}, true)
	srv, _ := New(Config{Blobs: blob.NewMemory(0), Open: func(context.Context) (*session.Service, store.Store, error) { return nil, nil, nil },
		Schedules: func() *schedule.Service { return nil }})
	methods := srv.Methods()
	for _, seed := range []string{`{}`, `{"prompt":"hi"}`, `{"session_id":"x","prompt":[{"type":"text","text":"a"}]}`,
		`{"prompt":"x","initial_turn":"deferred","output_schema":{"schema":{"type":"object"},"name":"n"}}`,
		`{"patch":{"a":null},"expected_generation":0}`, `{"tools":[{"name":"t","input_schema":null}]}`,
		`{"session_id":"r1:abc","offset":1,"limit":1000}`, `{"prompt":"x","budget_limits":{"max_duration":{"secs":1,"nanos":5}}}`,
		`{"trigger":{"type":"cron","expression":"0 9 * * *","timezone":"UTC"},"target":{"target_kind":"session","type":"exact_session","session_id":"x","action":{"type":"prompt","prompt":"p"}}}`,
		`{"name":"meerkat_schedule_list","arguments":{}}`, `{"schedule_id":"0196f3a2-5c1e-7d00-8a10-2b9c4e6f0a11","expected_revision":1}`,
		`{"stream_id":"x"}`, `{"prompt":"x","enable_shell":true,"hooks_override":{"a":[1]}}`,
		`{"blob_id":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}`} {
		for i := range methods {
			f.Add(uint8(i), []byte(seed))
		}
	}
	f.Fuzz(func(t *testing.T, m uint8, params []byte) {
		if !json.Valid(params) || len(params) == 0 || params[0] != '{' {
			return // the codec rejects these before any method runs
		}
		method := methods[int(m)%len(methods)]
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := h.client.Call(ctx, method, json.RawMessage(params))
		var re *rpc.Error
		if err != nil && !errors.As(err, &re) {
			t.Fatalf("%s %s: not answered: %v", method, params, err)
		}
		if _, err := h.client.Call(ctx, wire.MethodInitialize, nil); err != nil {
			t.Fatalf("server stopped serving after %s %s: %v", method, params, err)
		}
	})
}
