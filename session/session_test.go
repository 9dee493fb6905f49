package session_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/agent"
	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/internal/pgtest"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/scripted"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/memory"
	"github.com/rkat-dev/rkat/store/sqlite"
	"github.com/rkat-dev/rkat/tool"
)

// pg is a private Postgres cluster, started by the first benchmark or test
// that needs it; durable (fsync on), since the benchmarks measure committed
// turns.
var pg = pgtest.Cluster{Durable: true}

func TestMain(m *testing.M) { goleak.VerifyTestMain(pg.Wrap(m)) }

// longText is an answer larger than one NOTIFY.
var longText = strings.Repeat("0123456789", 10_000)

// testScript drives the scripted provider in these tests; a "stalled turn"
// streams for a minute unless interrupted.
var testScript = `{"rules": [
  {"match": "stalled turn", "responses": [{"text": "done at last", "chunks": 3000, "delay_ms": 20}]},
  {"match": "slow turn", "responses": [{"text": "done slowly", "chunks": 50, "delay_ms": 20}]},
  {"match": "long answer", "responses": [{"text": "` + longText + `"}]},
  {"match": "use echo", "responses": [
     {"tool_calls": [{"name": "echo", "args": {"text": "hi"}}]},
     {"text": "tool said hi"}]},
  {"match": "many chunks", "responses": [{"text": "abcdefghijklmnopqrst", "chunks": 20}]},
  {"match": "bad args", "responses": [
     {"tool_calls": [{"name": "echo", "raw_args": "{not json"}, {"name": "nope", "args": {}}]},
     {"text": "gave up"}]}
]}`

// recorder is a provider that serves the scripted provider's answers and
// remembers each request it saw.
type recorder struct {
	llm.Provider
	mu   sync.Mutex
	reqs []llm.Request
}

func (r *recorder) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, *req)
	r.mu.Unlock()
	return r.Provider.Stream(ctx, req)
}

func (r *recorder) last() llm.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reqs[len(r.reqs)-1]
}

// resolver serves the models "scripted" and "scripted-b", both from the
// scripted provider.
type resolver struct{ p llm.Provider }

func (r resolver) Resolve(provider, model string) (llm.Provider, llm.Model, error) {
	if provider != "" && provider != scripted.Name {
		return nil, llm.Model{}, &llm.UnknownProviderError{Provider: provider}
	}
	switch model {
	case "", "scripted", "scripted-b":
		if model == "" {
			model = "scripted"
		}
		return r.p, llm.Model{ID: model, Provider: scripted.Name}, nil
	}
	return nil, llm.Model{}, &llm.UnknownModelError{ID: model}
}

type fixture struct {
	svc   *session.Service
	store store.Store
	rec   *recorder
}

func newFixture(t *testing.T, st store.Store, tools ...tool.Tool) *fixture {
	t.Helper()
	return newScriptFixture(t, testScript, st, tools...)
}

// newScriptFixture is newFixture with the provider's script.
func newScriptFixture(t *testing.T, script string, st store.Store, tools ...tool.Tool) *fixture {
	t.Helper()
	sc, err := scripted.Parse([]byte(script))
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{Provider: scripted.New(scripted.Config{Script: sc})}
	if st == nil {
		st = memory.New()
	}
	svc, err := session.New(context.Background(), session.Config{
		Store: st, Resolver: resolver{rec}, Tools: tool.NewRegistry(tools...), Realm: "test",
		DefaultSystemPrompt: "base prompt",
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	return &fixture{svc: svc, store: st, rec: rec}
}

func text(s string) []llm.Block { return []llm.Block{llm.Text(s)} }

// events collects envelopes delivered to OnEvent.
type events struct {
	mu   sync.Mutex
	list []session.Envelope
}

func (e *events) on(env session.Envelope) {
	e.mu.Lock()
	e.list = append(e.list, env)
	e.mu.Unlock()
}

func (e *events) types() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, env := range e.list {
		if t := env.Event.Type(); t != event.TypeTextDelta {
			out = append(out, t)
		}
	}
	return out
}

func (f *fixture) create(t *testing.T, prompt string) string {
	t.Helper()
	res, err := f.svc.Create(context.Background(), session.CreateRequest{Prompt: text(prompt)})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return res.SessionID
}

func (f *fixture) history(t *testing.T, id string) []store.Row {
	t.Helper()
	page, err := f.svc.History(context.Background(), id, 0, 1000)
	if err != nil {
		t.Fatalf("History: %v", err)
	}
	return page.Rows
}

func roles(rows []store.Row) string {
	var out []string
	for _, r := range rows {
		out = append(out, string(r.Role))
	}
	return strings.Join(out, ",")
}

func TestCreateRunsFirstTurn(t *testing.T) {
	f := newFixture(t, nil)
	var ev events
	res, err := f.svc.Create(context.Background(), session.CreateRequest{
		Prompt: text("hello"), Labels: map[string]string{"team": "a"}, OnEvent: ev.on,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Run == nil || res.Run.Text == "" || res.Run.Turns != 1 || res.Run.Usage.OutputTokens == 0 {
		t.Fatalf("run result = %+v", res.Run)
	}
	want := "run_started,turn_started,text_complete,turn_completed,run_completed"
	if got := strings.Join(ev.types(), ","); got != want {
		t.Errorf("events = %s, want %s", got, want)
	}
	for i, env := range ev.list {
		id, err := uuid.Parse(env.EventID)
		if err != nil || id.Version() != 7 || env.EventID != strings.ToLower(env.EventID) {
			t.Errorf("event %d id %q is not a lowercase UUIDv7", i, env.EventID)
		}
		if env.Seq != uint64(i+1) || env.SessionID != res.SessionID || env.TimestampMS <= 0 {
			t.Errorf("event %d: seq %d session %s ts %d", i, env.Seq, env.SessionID, env.TimestampMS)
		}
	}
	rows := f.history(t, res.SessionID)
	if roles(rows) != "user,assistant" || rows[1].StopReason != llm.StopEndTurn || rows[0].Content[0].Text != "hello" {
		t.Fatalf("history = %+v", rows)
	}
	if rows[0].RunID == "" || rows[0].RunID != rows[1].RunID {
		t.Errorf("rows of one turn carry run ids %q and %q", rows[0].RunID, rows[1].RunID)
	}
	info, err := f.svc.Read(context.Background(), res.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	if info.Model != "scripted" || info.Provider != "scripted" || info.Runs != 1 || info.MessageCount != 2 ||
		info.LastAssistantText != res.Run.Text || info.Usage != res.Run.Usage || info.Deferred != nil || info.Running {
		t.Errorf("info = %+v", info)
	}
	if got := f.rec.last().System; got != "base prompt" {
		t.Errorf("system prompt = %q", got)
	}
}

func TestCreateRejects(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		name string
		req  session.CreateRequest
	}{
		{"no prompt", session.CreateRequest{}},
		{"unknown model", session.CreateRequest{Prompt: text("x"), Model: "nope"}},
		{"unknown provider", session.CreateRequest{Prompt: text("x"), Provider: "nope"}},
	}
	for _, tt := range tests {
		if _, err := f.svc.Create(context.Background(), tt.req); !errors.Is(err, session.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", tt.name, err)
		}
	}
	if _, total, _ := f.store.ListSessions(context.Background(), store.ListQuery{}); total != 0 {
		t.Errorf("rejected creates stored %d sessions", total)
	}
}

// startSlow starts a slow turn and returns once it is streaming, with a
// channel carrying the turn's outcome.
func startSlow(t *testing.T, f *fixture, id string) <-chan error {
	t.Helper()
	return startTurn(t, f, id, "slow turn please")
}

// startTurn starts a turn with prompt on f and returns once it streams
// text; the channel gets the turn's error when it ends.
func startTurn(t *testing.T, f *fixture, id, prompt string) <-chan error {
	t.Helper()
	streaming := make(chan struct{})
	var once sync.Once
	done := make(chan error, 1)
	go func() {
		_, err := f.svc.Turn(context.Background(), session.TurnRequest{
			SessionID: id, Prompt: text(prompt),
			OnEvent: func(env session.Envelope) {
				if env.Event.Type() == event.TypeTextDelta {
					once.Do(func() { close(streaming) })
				}
			},
		})
		done <- err
	}()
	select {
	case <-streaming:
	case err := <-done:
		t.Fatalf("slow turn ended early: %v", err)
	}
	return done
}

func TestBusyAndInterrupt(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	id := f.create(t, "hello")
	done := startSlow(t, f, id)

	if _, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("second")}); !errors.Is(err, session.ErrBusy) {
		t.Fatalf("concurrent turn: %v, want ErrBusy", err)
	}
	if info, _ := f.svc.Read(ctx, id); !info.Running {
		t.Error("Read does not report the running turn")
	}
	res, err := f.svc.Interrupt(ctx, id)
	if err != nil || !res.Interrupted || res.Result != session.InterruptInterrupted {
		t.Fatalf("Interrupt = %+v, %v", res, err)
	}
	err = <-done
	if !errors.Is(err, session.ErrInterrupted) || !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted turn returned %v", err)
	}
	// The interrupted turn committed its prompt and no partial answer.
	rows := f.history(t, id)
	if roles(rows) != "user,assistant,user" || rows[2].Content[0].Text != "slow turn please" {
		t.Fatalf("history after interrupt = %s", roles(rows))
	}
	// Idle again: a new turn runs and sees a consistent transcript.
	if _, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("after")}); err != nil {
		t.Fatalf("turn after interrupt: %v", err)
	}
	rows = f.history(t, id)
	if got := roles(rows); got != "user,assistant,user,user,assistant" {
		t.Errorf("history = %s", got)
	}
	if rows[2].RunID == rows[0].RunID || rows[3].RunID == rows[2].RunID || rows[3].RunID != rows[4].RunID {
		t.Errorf("run ids across turns: %q %q %q %q", rows[0].RunID, rows[2].RunID, rows[3].RunID, rows[4].RunID)
	}
	msgs := f.rec.last().Messages
	if n := len(msgs); n != 3 || msgs[2].Role != llm.RoleUser || msgs[2].PlainText() != "slow turn pleaseafter" {
		t.Errorf("transcript after interrupt = %+v", msgs)
	}
}

func TestInterruptStates(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	id := f.create(t, "hello")
	res, err := f.svc.Interrupt(ctx, id)
	if err != nil || !res.Interrupted || res.Result != session.InterruptInterrupted {
		t.Errorf("idle Interrupt = %+v, %v", res, err)
	}
	def, err := f.svc.Create(ctx, session.CreateRequest{Prompt: text("later"), Deferred: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err = f.svc.Interrupt(ctx, def.SessionID)
	if err != nil || res.Interrupted || res.Result != session.InterruptStagedNoop {
		t.Errorf("deferred Interrupt = %+v, %v", res, err)
	}
	if _, err := f.svc.Interrupt(ctx, "nope"); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("unknown Interrupt: %v", err)
	}
}

func TestDeferredSession(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	var ev events
	res, err := f.svc.Create(ctx, session.CreateRequest{
		Prompt: text("remember X. "), Deferred: true, OnEvent: ev.on,
		InjectedContext: [][]llm.Block{text("ctx one")},
	})
	if err != nil || res.SessionID == "" || res.Run != nil {
		t.Fatalf("deferred Create = %+v, %v", res, err)
	}
	if len(ev.list) != 0 || len(f.rec.reqs) != 0 {
		t.Fatalf("deferred create ran something: %d events, %d model calls", len(ev.list), len(f.rec.reqs))
	}
	if rows := f.history(t, res.SessionID); len(rows) != 0 {
		t.Fatalf("deferred history = %s", roles(rows))
	}
	run, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: res.SessionID, Prompt: text("what is X?"), OnEvent: ev.on})
	if err != nil || run.Text == "" {
		t.Fatalf("first turn = %+v, %v", run, err)
	}
	rows := f.history(t, res.SessionID)
	if roles(rows) != "user,user,assistant" || rows[0].TranscriptRole != store.TranscriptInjected {
		t.Fatalf("history = %s %+v", roles(rows), rows)
	}
	if got := rows[1].Content; len(got) != 2 || got[0].Text != "remember X. " || got[1].Text != "what is X?" {
		t.Errorf("first user row = %+v, want both prompts", got)
	}
	if info, _ := f.svc.Read(ctx, res.SessionID); info.Deferred != nil {
		t.Error("stash kept after the first turn")
	}
	if r, _ := f.svc.Interrupt(ctx, res.SessionID); r.Result != session.InterruptInterrupted {
		t.Errorf("Interrupt after first turn = %+v", r)
	}
	// A second turn does not replay the stash.
	if _, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: res.SessionID, Prompt: text("again")}); err != nil {
		t.Fatal(err)
	}
	if rows := f.history(t, res.SessionID); len(rows[3].Content) != 1 {
		t.Errorf("second turn's user row = %+v", rows[3].Content)
	}
	if _, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: res.SessionID}); !errors.Is(err, session.ErrInvalid) {
		t.Errorf("turn without prompt: %v", err)
	}
}

func TestInjectContextIdempotency(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	id := f.create(t, "hello")
	inject := func(key, body string) bool {
		t.Helper()
		res, err := f.svc.InjectContext(ctx, session.InjectRequest{SessionID: id, Content: text(body), Source: "test", IdempotencyKey: key})
		if err != nil {
			t.Fatalf("InjectContext(%s): %v", key, err)
		}
		return res.Duplicate
	}
	if inject("k1", "fact one") || !inject("k1", "fact one again") {
		t.Fatal("k1: want applied then duplicate")
	}
	if inject("", "no key") || inject("", "no key") {
		t.Fatal("keyless injections are never duplicates")
	}
	if got := roles(f.history(t, id)); got != "user,assistant,system,system,system" {
		t.Fatalf("history = %s", got)
	}
	// While a turn runs the context is held and lands after the turn's rows.
	done := startSlow(t, f, id)
	if inject("k2", "fact two") || !inject("k2", "fact two") || !inject("k1", "old") {
		t.Fatal("busy injections: want applied, duplicate, duplicate")
	}
	if n := len(f.history(t, id)); n != 5 {
		t.Fatalf("pending context committed early: %d rows", n)
	}
	if _, err := f.svc.Interrupt(ctx, id); err != nil {
		t.Fatal(err)
	}
	<-done
	rows := f.history(t, id)
	if got := roles(rows); got != "user,assistant,system,system,system,user,system" || rows[6].Content[0].Text != "fact two" {
		t.Fatalf("history = %s", got)
	}
	if _, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("next")}); err != nil {
		t.Fatal(err)
	}
	sys := f.rec.last().System
	for _, want := range []string{"base prompt", "fact one", "no key", "fact two"} {
		if !strings.Contains(sys, want) {
			t.Errorf("system prompt %q lacks %q", sys, want)
		}
	}
	if strings.Contains(sys, "fact one again") {
		t.Errorf("duplicate context reached the model: %q", sys)
	}
}

func TestHistoryPaging(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	id := f.create(t, "turn 0")
	for i := 1; i < 5; i++ {
		if _, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text(fmt.Sprintf("turn %d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		offset, limit, wantLen int
		wantMore               bool
	}{
		{0, 0, 10, false}, {0, 4, 4, true}, {4, 4, 4, true}, {8, 4, 2, false}, {10, 4, 0, false}, {50, 1, 0, false},
	}
	for _, tt := range tests {
		page, err := f.svc.History(ctx, id, tt.offset, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Rows) != tt.wantLen || page.HasMore != tt.wantMore || page.MessageCount != 10 || page.Offset != tt.offset {
			t.Errorf("History(%d,%d) = %d rows, more %v, count %d", tt.offset, tt.limit, len(page.Rows), page.HasMore, page.MessageCount)
		}
		if len(page.Rows) > 0 && tt.offset%2 == 0 && page.Rows[0].Content[0].Text != fmt.Sprintf("turn %d", tt.offset/2) {
			t.Errorf("History(%d,%d) starts with %q", tt.offset, tt.limit, page.Rows[0].Content[0].Text)
		}
	}
	if _, err := f.svc.History(ctx, id, -1, 0); !errors.Is(err, session.ErrInvalid) {
		t.Errorf("negative offset: %v", err)
	}
	if _, err := f.svc.History(ctx, "nope", 0, 0); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("unknown session: %v", err)
	}
}

func TestSubscribersAndTruncation(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	id := f.create(t, "hello")
	lagging, err := f.svc.Subscribe(ctx, id, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer lagging.Close()
	full, err := f.svc.Subscribe(ctx, id, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var ev events
	if _, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("many chunks"), OnEvent: ev.on}); err != nil {
		t.Fatal(err)
	}
	// Lost tells the lagging subscriber at once; the complete one lost nothing.
	select {
	case <-lagging.Lost():
	default:
		t.Error("lagging subscription dropped events but Lost is not closed")
	}
	select {
	case <-full.Lost():
		t.Error("complete subscription reports a loss")
	default:
	}
	// The complete subscriber saw exactly what the caller saw.
	if len(full.Events()) != len(ev.list) {
		t.Fatalf("full subscriber got %d events, caller %d", len(full.Events()), len(ev.list))
	}
	prev := uint64(0)
	for i := range ev.list {
		got := <-full.Events()
		if got.EventID != ev.list[i].EventID || got.Seq <= prev {
			t.Fatalf("subscriber event %d = %+v, caller had %+v", i, got, ev.list[i])
		}
		prev = got.Seq
	}
	full.Close()
	if _, ok := <-full.Events(); ok {
		t.Error("closed subscription still open")
	}
	// The lagging one holds the first two, then learns what it missed.
	first := []session.Envelope{<-lagging.Events(), <-lagging.Events()}
	if first[0].Seq != ev.list[0].Seq || first[1].Seq != ev.list[1].Seq {
		t.Fatalf("lagging subscriber's first events: %+v", first)
	}
	ev2 := events{}
	if _, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("again"), OnEvent: ev2.on}); err != nil {
		t.Fatal(err)
	}
	notice := <-lagging.Events()
	st, ok := notice.Event.(event.StreamTruncated)
	if !ok || st.Reason.Kind != "channel_full" || st.Reason.Dropped != len(ev.list)-2 || notice.Seq != ev.list[len(ev.list)-1].Seq {
		t.Fatalf("expected a stream_truncated notice for %d events, got %+v", len(ev.list)-2, notice)
	}
	if next := <-lagging.Events(); next.EventID != ev2.list[0].EventID || next.Seq != notice.Seq+1 {
		t.Errorf("after the notice: %+v, want the next turn's first event", next)
	}
	if _, err := f.svc.Subscribe(ctx, "nope", 1); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("Subscribe(nope): %v", err)
	}
}

func TestArchiveAndList(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	var ids []string
	for i, team := range []string{"a", "b", "a"} {
		res, err := f.svc.Create(ctx, session.CreateRequest{Prompt: text(fmt.Sprint("p", i)), Labels: map[string]string{"team": team}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.SessionID)
		time.Sleep(2 * time.Millisecond) // distinct creation times order the list
	}
	list, err := f.svc.List(ctx, session.ListRequest{Labels: map[string]string{"team": "a"}})
	if err != nil || list.Total != 2 || list.Sessions[0].ID != ids[2] || list.Sessions[1].ID != ids[0] {
		t.Fatalf("List(team=a) = %+v, %v", list, err)
	}
	if err := f.svc.Archive(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	if list, _ := f.svc.List(ctx, session.ListRequest{Offset: 0, Limit: 10}); list.Total != 2 {
		t.Errorf("archived session still listed: %+v", list)
	}
	if info, err := f.svc.Read(ctx, ids[0]); err != nil || !info.Archived {
		t.Errorf("Read(archived) = %+v, %v", info, err)
	}
	if _, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: ids[0], Prompt: text("x")}); !errors.Is(err, session.ErrArchived) {
		t.Errorf("turn on archived: %v", err)
	}
	if _, err := f.svc.InjectContext(ctx, session.InjectRequest{SessionID: ids[0], Content: text("x")}); !errors.Is(err, session.ErrArchived) {
		t.Errorf("inject on archived: %v", err)
	}
	if err := f.svc.Archive(ctx, "nope"); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("Archive(nope): %v", err)
	}
	if _, err := f.svc.List(ctx, session.ListRequest{Limit: -1}); !errors.Is(err, session.ErrInvalid) {
		t.Errorf("negative limit: %v", err)
	}
}

func TestExternalEvent(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	id := f.create(t, "hello")
	res, err := f.svc.ExternalEvent(ctx, session.ExternalEventRequest{SessionID: id, EventType: "ping", Payload: json.RawMessage(`{"n":1}`)})
	if err != nil || res.InputID == "" {
		t.Fatalf("ExternalEvent = %+v, %v", res, err)
	}
	rows := f.history(t, id)
	if last := rows[len(rows)-1]; last.Role != store.RoleSystemNotice || last.Kind != "external_event" || !strings.Contains(last.Body, `"n":1`) {
		t.Fatalf("notice row = %+v", last)
	}
	if _, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("next")}); err != nil {
		t.Fatal(err)
	}
	msgs := f.rec.last().Messages
	if got := msgs[len(msgs)-1].PlainText(); !strings.Contains(got, "ping") || !strings.HasSuffix(got, "next") {
		t.Errorf("model input = %q, want the event then the prompt", got)
	}
	if _, err := f.svc.ExternalEvent(ctx, session.ExternalEventRequest{SessionID: id}); !errors.Is(err, session.ErrInvalid) {
		t.Errorf("no event type: %v", err)
	}
	if _, err := f.svc.ExternalEvent(ctx, session.ExternalEventRequest{SessionID: "nope", EventType: "x"}); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("unknown session: %v", err)
	}
}

func echoTool(calls *int) tool.Tool {
	return tool.Func{
		Definition: llm.ToolDef{Name: "echo", Description: "echo", InputSchema: json.RawMessage(`{"type":"object"}`)},
		Fn: func(_ context.Context, args json.RawMessage) (tool.Result, error) {
			*calls++
			return tool.TextResult("echo " + string(args)), nil
		},
	}
}

func TestTurnOverrides(t *testing.T) {
	var registered, extra int
	f := newFixture(t, nil, echoTool(&registered))
	ctx := context.Background()
	id := f.create(t, "hello")

	// Extra per-turn tools replace registered ones of the same name.
	run, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("use echo"), Tools: []tool.Tool{echoTool(&extra)}})
	if err != nil || run.ToolCalls != 1 || extra != 1 || registered != 0 {
		t.Fatalf("extra tool turn = %+v, %v (extra %d, registered %d)", run, err, extra, registered)
	}
	rows := f.history(t, id)
	if got := roles(rows[2:]); got != "user,assistant,tool_results,assistant" || rows[3].StopReason != llm.StopToolUse {
		t.Fatalf("tool turn rows = %s", got)
	}
	// A blocked tool is unknown to the model: its call gets an error result.
	_, err = f.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("use echo"), ToolOverlay: &session.ToolOverlay{Blocked: []string{"echo"}}})
	if err != nil || registered != 0 || len(f.rec.last().Tools) != 0 {
		t.Fatalf("blocked tool turn: %v, registered calls %d, tools %v", err, registered, f.rec.last().Tools)
	}
	rows = f.history(t, id)
	if res := rows[len(rows)-2]; res.Role != store.RoleToolResults || !res.Content[0].IsError {
		t.Errorf("blocked call result = %+v", res)
	}
	// Model hot-swap, a new system prompt and one-turn instructions.
	sys := "new base"
	_, err = f.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("swap"), Model: "scripted-b",
		SystemPrompt: &sys, AdditionalInstructions: []string{"only now"}})
	if err != nil {
		t.Fatal(err)
	}
	if req := f.rec.last(); req.Model != "scripted-b" || req.System != "new base\n\nonly now" {
		t.Errorf("request model %q system %q", req.Model, req.System)
	}
	if info, _ := f.svc.Read(ctx, id); info.Model != "scripted-b" {
		t.Errorf("model not persisted: %q", info.Model)
	}
	rows = f.history(t, id)
	if r := rows[len(rows)-3]; r.Role != store.RoleSystem || r.Content[0].Text != "new base" {
		t.Errorf("system prompt row = %+v", r)
	}
	if _, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("plain")}); err != nil {
		t.Fatal(err)
	}
	if req := f.rec.last(); req.Model != "scripted-b" || req.System != "new base" {
		t.Errorf("next turn model %q system %q", req.Model, req.System)
	}
	if _, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("x"), Model: "nope"}); !errors.Is(err, session.ErrInvalid) {
		t.Errorf("unknown model: %v", err)
	}
}

func TestSeqSurvivesRestart(t *testing.T) {
	st := memory.New()
	f := newFixture(t, st)
	ctx := context.Background()
	var ev events
	res, err := f.svc.Create(ctx, session.CreateRequest{Prompt: text("hello"), OnEvent: ev.on})
	if err != nil {
		t.Fatal(err)
	}
	last := ev.list[len(ev.list)-1].Seq
	f.svc.Close()
	g := newFixture(t, st)
	var ev2 events
	if _, err := g.svc.Turn(ctx, session.TurnRequest{SessionID: res.SessionID, Prompt: text("again"), OnEvent: ev2.on}); err != nil {
		t.Fatal(err)
	}
	if ev2.list[0].Seq != last+1 {
		t.Errorf("seq after restart = %d, want %d", ev2.list[0].Seq, last+1)
	}
}

func TestClose(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	id := f.create(t, "hello")
	sub, err := f.svc.Subscribe(ctx, id, 4)
	if err != nil {
		t.Fatal(err)
	}
	done := startSlow(t, f, id)
	if err := f.svc.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, session.ErrInterrupted) {
		t.Errorf("running turn after Close: %v", err)
	}
	for range sub.Events() {
	}
	sub.Close()
	if _, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("x")}); !errors.Is(err, session.ErrClosed) {
		t.Errorf("Turn after Close: %v", err)
	}
	if rows := f.history(t, id); roles(rows) != "user,assistant,user" {
		t.Errorf("interrupted turn not committed on Close: %s", roles(rows))
	}
}

func TestIdleSessionsLeaveNoState(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	id := f.create(t, "hello")
	if _, err := f.svc.InjectContext(ctx, session.InjectRequest{SessionID: id, Content: text("c"), IdempotencyKey: "k"}); err != nil {
		t.Fatal(err)
	}
	done := startSlow(t, f, id)
	if _, err := f.svc.ExternalEvent(ctx, session.ExternalEventRequest{SessionID: id, EventType: "e"}); err != nil {
		t.Fatal(err)
	}
	sub, err := f.svc.Subscribe(ctx, id, 1)
	if err != nil {
		t.Fatal(err)
	}
	if n := f.svc.LiveCount(); n != 1 {
		t.Errorf("live sessions while busy = %d", n)
	}
	f.svc.Interrupt(ctx, id)
	<-done
	if n := f.svc.LiveCount(); n != 1 {
		t.Errorf("live sessions with a subscriber = %d", n)
	}
	sub.Close()
	if n := f.svc.LiveCount(); n != 0 {
		t.Errorf("idle sessions keep in-memory state: %d live", n)
	}
}

func TestCommitFailureIsReported(t *testing.T) {
	st := memory.New()
	f := newFixture(t, st)
	id := f.create(t, "hello")
	done := startSlow(t, f, id)
	st.Close()
	if err := <-done; !errors.Is(err, store.ErrClosed) {
		t.Errorf("turn whose commit failed returned %v, want store.ErrClosed", err)
	}
}

// TestConcurrentUse runs turns, injections, subscriptions and interrupts on
// a few sessions from many goroutines and checks that every session's
// history stays well formed and every idempotency key landed once.
func TestConcurrentUse(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	const sessions, workers, rounds = 3, 4, 8
	var ids []string
	for i := 0; i < sessions; i++ {
		ids = append(ids, f.create(t, fmt.Sprint("start ", i)))
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				id := ids[(w+r)%sessions]
				switch r % 4 {
				case 0, 1:
					_, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text(fmt.Sprint("w", w, " r", r))})
					if err != nil && !errors.Is(err, session.ErrBusy) && !errors.Is(err, session.ErrInterrupted) {
						t.Errorf("Turn: %v", err)
					}
				case 2:
					key := fmt.Sprint("k", r) // the same keys from every worker
					if _, err := f.svc.InjectContext(ctx, session.InjectRequest{SessionID: id, Content: text(key), IdempotencyKey: key}); err != nil {
						t.Errorf("InjectContext: %v", err)
					}
				case 3:
					sub, err := f.svc.Subscribe(ctx, id, 1)
					if err != nil {
						t.Errorf("Subscribe: %v", err)
						continue
					}
					f.svc.Interrupt(ctx, id)
					sub.Close()
				}
			}
		}()
	}
	wg.Wait()
	for _, id := range ids {
		keys := map[string]int{}
		var prevAssistant bool
		for i, r := range f.history(t, id) {
			if r.IdempotencyKey != "" {
				keys[r.IdempotencyKey]++
			}
			if r.Role == store.RoleToolResults || (r.Role == store.RoleAssistant && prevAssistant) {
				t.Errorf("session %s row %d: unexpected %s", id, i, r.Role)
			}
			prevAssistant = r.Role == store.RoleAssistant
		}
		for k, n := range keys {
			if n != 1 {
				t.Errorf("session %s: key %s landed %d times", id, k, n)
			}
		}
	}
	if n := f.svc.LiveCount(); n != 0 {
		t.Errorf("%d sessions keep state after everything ended", n)
	}
}

// TestSQLiteCommitsMalformedToolCalls runs a turn with malformed tool
// arguments and an unknown tool against SQLite: the turn's rows commit and
// every tool call has its error result.
func TestSQLiteCommitsMalformedToolCalls(t *testing.T) {
	st, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "state.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var calls int
	f := newFixture(t, st, echoTool(&calls))
	id := f.create(t, "bad args please")
	rows := f.history(t, id)
	if got := roles(rows); got != "user,assistant,tool_results,assistant" || calls != 0 {
		t.Fatalf("history = %s, echo calls %d", got, calls)
	}
	results := rows[2].Content
	if len(results) != 2 || !results[0].IsError || !results[1].IsError {
		t.Errorf("tool results = %+v", results)
	}
	if uses := rows[1].Content; string(uses[0].Args) != "{}" {
		t.Errorf("malformed args stored as %s, want {}", uses[0].Args)
	}
}

func TestCreateInstructions(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	res, err := f.svc.Create(ctx, session.CreateRequest{Prompt: text("hi"),
		AdditionalInstructions: []string{"always"}, FirstTurnInstructions: []string{"first only"}})
	if err != nil {
		t.Fatal(err)
	}
	if req := f.rec.last(); req.System != "base prompt\n\nalways\n\nfirst only" {
		t.Fatalf("first turn system %q", req.System)
	}
	if _, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: res.SessionID, Prompt: text("again")}); err != nil {
		t.Fatal(err)
	}
	if req := f.rec.last(); req.System != "base prompt\n\nalways" {
		t.Fatalf("second turn system %q", req.System)
	}
}

// TestTurnIdempotencyKey: a turn's key is committed with its rows; a second
// run of the same request does not commit its rows again, and an external
// event with a recorded key is reported as a duplicate.
func TestTurnIdempotencyKey(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	res, err := f.svc.Create(ctx, session.CreateRequest{Deferred: true})
	if err != nil {
		t.Fatal(err)
	}
	id := res.SessionID
	for range 2 {
		if _, err := f.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("once"), IdempotencyKey: "occ-1"}); err != nil {
			t.Fatal(err)
		}
	}
	if dup, err := f.store.HasKey(ctx, id, "occ-1"); err != nil || !dup {
		t.Fatalf("key recorded = %v, %v", dup, err)
	}
	page, err := f.svc.History(ctx, id, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	users := 0
	for _, r := range page.Rows {
		if r.Role == store.RoleUser {
			users++
		}
	}
	if users != 1 {
		t.Errorf("%d user rows after two runs with one key, want 1", users)
	}
	for i, want := range []bool{false, true} {
		acc, err := f.svc.ExternalEvent(ctx, session.ExternalEventRequest{SessionID: id, EventType: "ping", IdempotencyKey: "ev-1"})
		if err != nil || acc.Duplicate != want {
			t.Errorf("event %d: duplicate = %v, %v; want %v", i, acc.Duplicate, err, want)
		}
	}
}

// Archiving ends a session's subscriptions, after the last event of a turn
// the archive interrupted; an archived session takes no new subscriber.
func TestArchiveEndsSubscriptions(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	tests := []struct {
		name    string
		running bool
	}{{"idle", false}, {"during a turn", true}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := f.create(t, "hello")
			sub, err := f.svc.Subscribe(ctx, id, 1000)
			if err != nil {
				t.Fatal(err)
			}
			defer sub.Close()
			turnDone := make(chan struct{})
			if tt.running {
				go func() {
					defer close(turnDone)
					_, _ = f.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("many chunks")})
				}()
				<-sub.Events() // the turn is running
			} else {
				close(turnDone)
			}
			if err := f.svc.Archive(ctx, id); err != nil {
				t.Fatal(err)
			}
			<-turnDone
			var last session.Envelope
			for env := range sub.Events() { // ends: the channel closes
				last = env
			}
			if tt.running && last.Event == nil {
				t.Fatal("no event of the interrupted turn reached the subscriber")
			}
			if _, err := f.svc.Subscribe(ctx, id, 1); !errors.Is(err, session.ErrArchived) {
				t.Fatalf("Subscribe after archive: %v", err)
			}
		})
	}
}

// InputStatus finds an input by its id or idempotency key: queued while a
// turn runs, applied once committed.
func TestInputStatus(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	id := f.create(t, "hello")
	accepted, err := f.svc.ExternalEvent(ctx, session.ExternalEventRequest{SessionID: id, EventType: "ping", Payload: json.RawMessage(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := f.svc.InputStatus(ctx, id, accepted.InputID); err != nil || st == nil || st.State != session.InputApplied || st.Created.IsZero() {
		t.Fatalf("idle external event: %+v, %v", st, err)
	}

	turnDone := make(chan struct{})
	sub, err := f.svc.Subscribe(ctx, id, 1000)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	go func() {
		defer close(turnDone)
		_, _ = f.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("slow turn")})
	}()
	<-sub.Events() // the turn runs
	if _, err := f.svc.InjectContext(ctx, session.InjectRequest{SessionID: id, Content: text("late"), IdempotencyKey: "k1"}); err != nil {
		t.Fatal(err)
	}
	if st, err := f.svc.InputStatus(ctx, id, "k1"); err != nil || st == nil || st.State != session.InputQueued {
		t.Fatalf("input held during a turn: %+v, %v", st, err)
	}
	<-turnDone
	if st, err := f.svc.InputStatus(ctx, id, "k1"); err != nil || st == nil || st.State != session.InputApplied {
		t.Fatalf("input after the turn: %+v, %v", st, err)
	}

	tests := []struct {
		session, key string
		want         error
	}{
		{id, "no-such-key", nil},
		{id, "", session.ErrInvalid},
		{"nope", "k1", session.ErrNotFound},
	}
	for _, tt := range tests {
		st, err := f.svc.InputStatus(ctx, tt.session, tt.key)
		if !errors.Is(err, tt.want) || st != nil {
			t.Errorf("InputStatus(%q, %q) = %+v, %v; want nil, %v", tt.session, tt.key, st, err, tt.want)
		}
	}
}

// TestOutputSchemaOutlivesTheProcess: a session keeps its output schema
// for every turn; a service that did not create it (another process, or
// after a restart) compiles the stored one.
func TestOutputSchemaOutlivesTheProcess(t *testing.T) {
	schema, err := agent.CompileOutputSchema(json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`))
	if err != nil {
		t.Fatal(err)
	}
	st := memory.New()
	a := newFixture(t, st)
	res, err := a.svc.Create(t.Context(), session.CreateRequest{Prompt: text("hi"), OutputSchema: schema})
	if err != nil || len(res.Run.StructuredOutput) == 0 {
		t.Fatalf("create = %+v, %v", res.Run, err)
	}
	for name, svc := range map[string]*session.Service{"creator": a.svc, "other service": newFixture(t, st).svc} {
		run, err := svc.Turn(t.Context(), session.TurnRequest{SessionID: res.SessionID, Prompt: text("again")})
		var v struct{ City *string }
		if err != nil || json.Unmarshal(run.StructuredOutput, &v) != nil || v.City == nil {
			t.Errorf("%s: structured output %s, err %v", name, run.StructuredOutput, err)
		}
	}
}

// TestStoredInvalidOutputSchema: a stored output schema that does not
// compile (older versions stored any JSON) fails each run once it has
// started, with the structured-output cause.
func TestStoredInvalidOutputSchema(t *testing.T) {
	f := newFixture(t, nil)
	res, err := f.svc.Create(t.Context(), session.CreateRequest{Prompt: text("hi"), Deferred: true})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := f.store.Session(t.Context(), res.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	var set map[string]json.RawMessage
	if err := json.Unmarshal(sess.Settings, &set); err != nil {
		t.Fatal(err)
	}
	set["output_schema"] = json.RawMessage(`{"type":"no-such-type"}`)
	raw, _ := json.Marshal(set)
	if _, err := f.store.Commit(t.Context(), store.Commit{SessionID: res.SessionID, Update: store.Update{Settings: raw}}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		var evs events
		_, err := f.svc.Turn(t.Context(), session.TurnRequest{SessionID: res.SessionID, Prompt: text("again"), OnEvent: evs.on})
		var re *agent.RunError
		if !errors.As(err, &re) || re.Cause != agent.CauseStructuredOutput || !strings.Contains(err.Error(), "not a valid JSON Schema") {
			t.Fatalf("turn err = %v; want a structured-output run error", err)
		}
		if got := evs.types(); !slices.Equal(got, []string{event.TypeRunStarted, event.TypeRunFailed}) {
			t.Fatalf("events = %v", got)
		}
	}
}
