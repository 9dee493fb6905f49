package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/rpc"
	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/memory"
	"github.com/rkat-dev/rkat/tool"
)

// nextStream returns the next stream notification of h.
func (h *harness) nextStream(t *testing.T) *rpc.Message {
	t.Helper()
	select {
	case m := <-h.streams:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no stream notification within 10 s")
		return nil
	}
}

// A stream opened on one connection delivers the events of turns another
// connection runs on that session, numbered from 1, then ends on close.
func TestStreamDeliversTurnsOfAnotherClient(t *testing.T) {
	runner := newHarness(t, nil)
	watcher := connect(t, runner.srv, nil)
	var created wire.RunResult
	if err := runner.call(t, wire.MethodSessionCreate, map[string]any{"prompt": "first"}, &created); err != nil {
		t.Fatal(err)
	}
	var opened wire.StreamOpenResult
	if err := watcher.call(t, wire.MethodStreamOpen, map[string]any{"session_id": "r1:" + created.SessionID}, &opened); err != nil {
		t.Fatal(err)
	}
	if opened.StreamID == "" || opened.SessionID != created.SessionID || !opened.Opened {
		t.Fatalf("stream_open = %+v", opened)
	}
	for _, prompt := range []string{"second", "third"} {
		if err := runner.call(t, wire.MethodTurnStart, map[string]any{"session_id": created.SessionID, "prompt": prompt}, nil); err != nil {
			t.Fatal(err)
		}
	}
	var prompts, results []string
	var want uint64 = 1
	for len(results) < 2 {
		m := watcher.nextStream(t)
		if m.Method != wire.MethodStreamEvent {
			t.Fatalf("%s before both turns were delivered: %s", m.Method, m.Params)
		}
		var se wire.StreamEvent
		if err := json.Unmarshal(m.Params, &se); err != nil {
			t.Fatal(err)
		}
		if se.StreamID != opened.StreamID || se.SessionID != created.SessionID || se.Sequence != want ||
			se.Event.Source.SessionID != created.SessionID || se.Event.EventID == "" {
			t.Fatalf("stream event %d: %s", want, m.Params)
		}
		want++
		ev, err := event.Unmarshal(se.Event.Payload)
		if err != nil {
			t.Fatal(err)
		}
		switch e := ev.(type) {
		case event.RunStarted:
			prompts = append(prompts, e.Prompt)
		case event.RunCompleted:
			results = append(results, e.Result)
		}
	}
	if fmt.Sprint(prompts) != "[second third]" || !strings.Contains(results[0], "second") || !strings.Contains(results[1], "third") {
		t.Fatalf("runs seen by the stream: prompts %v, results %v", prompts, results)
	}

	var closed wire.StreamCloseResult
	if err := watcher.call(t, wire.MethodStreamClose, map[string]any{"stream_id": opened.StreamID}, &closed); err != nil {
		t.Fatal(err)
	}
	if closed != (wire.StreamCloseResult{StreamID: opened.StreamID, Closed: true}) {
		t.Fatalf("stream_close = %+v", closed)
	}
	// Notifications precede the response they were queued before.
	end := watcher.nextStream(t)
	var se wire.StreamEnd
	if err := json.Unmarshal(end.Params, &se); end.Method != wire.MethodStreamEnd || err != nil ||
		se != (wire.StreamEnd{StreamID: opened.StreamID, SessionID: created.SessionID, Ended: true, Outcome: wire.StreamExplicitClose}) {
		t.Fatalf("last notification %s %s", end.Method, end.Params)
	}
	if err := watcher.call(t, wire.MethodStreamClose, map[string]any{"stream_id": opened.StreamID}, &closed); err != nil || !closed.AlreadyClosed {
		t.Fatalf("second stream_close = %+v, %v", closed, err)
	}
	var re *rpc.Error
	if err := watcher.call(t, wire.MethodStreamClose, map[string]any{"stream_id": "nope"}, nil); !errors.As(err, &re) || re.Code != rpc.CodeInvalidParams {
		t.Fatalf("unknown stream_close = %v", err)
	}
	if err := watcher.call(t, wire.MethodStreamOpen, map[string]any{"session_id": "0190c5e2-0000-7000-8000-000000000000"}, nil); !errors.As(err, &re) || re.Code != rpc.CodeSessionNotFound {
		t.Fatalf("stream_open of an unknown session = %v", err)
	}
	select {
	case m := <-watcher.streams:
		t.Fatalf("notification after the stream ended: %s %s", m.Method, m.Params)
	default:
	}
}

// A client that stops reading loses its stream (terminal_error,
// stream_queue_overflow) instead of holding up the session's runs.
func TestStreamOverflowEndsTheStream(t *testing.T) {
	st := memory.New()
	defer st.Close()
	svc, err := session.New(context.Background(), session.Config{Store: st, Resolver: resolver{scriptedProvider(t)}, Tools: tool.NewRegistry(), Realm: "r1"})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	srv, err := New(Config{RealmID: "r1", StreamBuffer: 4, Conn: rpc.Config{QueueLen: 1},
		Open: func(context.Context) (*session.Service, store.Store, error) { return svc, st, nil }})
	if err != nil {
		t.Fatal(err)
	}
	created, err := svc.Create(context.Background(), session.CreateRequest{Deferred: true, Prompt: []llm.Block{llm.Text("x")}})
	if err != nil {
		t.Fatal(err)
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() { _ = srv.Serve(ctx, rpc.NewStream(inR, outW, 0)); close(served) }()
	defer func() { cancel(); inW.Close(); outR.Close(); <-served }()
	lines := bufio.NewScanner(outR)
	fmt.Fprintf(inW, `{"jsonrpc":"2.0","id":1,"method":"session/stream_open","params":{"session_id":%q}}`+"\n", created.SessionID)
	if !lines.Scan() || !strings.Contains(lines.Text(), `"stream_id"`) {
		t.Fatalf("stream_open answer %q", lines.Text())
	}
	// The client reads nothing while a turn of many events runs.
	if _, err := svc.Turn(context.Background(), session.TurnRequest{SessionID: created.SessionID, Prompt: []llm.Block{llm.Text("slow turn")}}); err != nil {
		t.Fatal(err)
	}
	var outcome wire.StreamEnd
	events := 0
	for outcome.Outcome == "" && lines.Scan() {
		var m struct {
			Method string
			Params json.RawMessage
		}
		_ = json.Unmarshal(lines.Bytes(), &m)
		switch m.Method {
		case wire.MethodStreamEvent:
			events++
		case wire.MethodStreamEnd:
			_ = json.Unmarshal(m.Params, &outcome)
		}
	}
	if outcome.Outcome != wire.StreamTerminalError || outcome.Error == nil || outcome.Error.Code != wire.StreamQueueOverflow || events == 0 {
		t.Fatalf("after %d events: end %+v", events, outcome)
	}
}

// A connection may hold at most maxStreams open streams; closing one makes
// room again.
func TestStreamLimit(t *testing.T) {
	h := newHarness(t, nil)
	var created wire.RunResult
	if err := h.call(t, wire.MethodSessionCreate, map[string]any{"prompt": "hi"}, &created); err != nil {
		t.Fatal(err)
	}
	open := func() (wire.StreamOpenResult, error) {
		var res wire.StreamOpenResult
		err := h.call(t, wire.MethodStreamOpen, map[string]any{"session_id": created.SessionID}, &res)
		return res, err
	}
	var first wire.StreamOpenResult
	for i := range maxStreams {
		res, err := open()
		if err != nil {
			t.Fatalf("stream %d: %v", i, err)
		}
		if i == 0 {
			first = res
		}
	}
	var re *rpc.Error
	if _, err := open(); !errors.As(err, &re) || re.Code != rpc.CodeInvalidParams {
		t.Fatalf("stream beyond the limit: %v", err)
	}
	if err := h.call(t, wire.MethodStreamClose, map[string]any{"stream_id": first.StreamID}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := open(); err != nil {
		t.Fatalf("after a close: %v", err)
	}
}

// Archiving the session ends its streams with remote_end; an archived
// session cannot be streamed.
func TestStreamEndsWhenTheSessionIsArchived(t *testing.T) {
	h := newHarness(t, nil)
	var created wire.RunResult
	if err := h.call(t, wire.MethodSessionCreate, map[string]any{"prompt": "hi"}, &created); err != nil {
		t.Fatal(err)
	}
	var opened wire.StreamOpenResult
	if err := h.call(t, wire.MethodStreamOpen, map[string]any{"session_id": created.SessionID}, &opened); err != nil {
		t.Fatal(err)
	}
	if err := h.call(t, wire.MethodSessionArchive, map[string]any{"session_id": created.SessionID}, nil); err != nil {
		t.Fatal(err)
	}
	end := h.nextStream(t)
	var se wire.StreamEnd
	if err := json.Unmarshal(end.Params, &se); end.Method != wire.MethodStreamEnd || err != nil || se.Outcome != wire.StreamRemoteEnd || se.StreamID != opened.StreamID {
		t.Fatalf("after archive: %s %s", end.Method, end.Params)
	}
	var closed wire.StreamCloseResult
	if err := h.call(t, wire.MethodStreamClose, map[string]any{"stream_id": opened.StreamID}, &closed); err != nil || !closed.AlreadyClosed {
		t.Fatalf("close after remote_end = %+v, %v", closed, err)
	}
	var re *rpc.Error
	if err := h.call(t, wire.MethodStreamOpen, map[string]any{"session_id": created.SessionID}, nil); !errors.As(err, &re) || re.Code != rpc.CodeSessionNotFound {
		t.Fatalf("stream_open of an archived session = %v", err)
	}
}
