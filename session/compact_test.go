package session_test

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/anthropic"
	"github.com/rkat-dev/rkat/llm/llmtest"
	"github.com/rkat-dev/rkat/llm/scripted"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/memory"
	"github.com/rkat-dev/rkat/store/sqlite"
	"github.com/rkat-dev/rkat/tool"
)

// smallModel resolves every request to one provider and a model with a
// small context window.
type smallModel struct {
	p      llm.Provider
	window int
}

func (r smallModel) Resolve(string, string) (llm.Provider, llm.Model, error) {
	return r.p, llm.Model{ID: "claude-small", Provider: r.p.Name(), ContextWindow: r.window}, nil
}

func turn(t *testing.T, svc *session.Service, id, prompt string) ([]string, session.RunResult) {
	t.Helper()
	var evs events
	res, err := svc.Turn(t.Context(), session.TurnRequest{SessionID: id, Prompt: text(prompt), OnEvent: evs.on})
	if err != nil {
		t.Fatalf("turn %q: %v", prompt, err)
	}
	return evs.types(), res
}

// anthropicMessages decodes the messages of an Anthropic request body.
func anthropicMessages(t *testing.T, body []byte) []struct {
	Role    string
	Content []struct{ Type, Text string }
} {
	t.Helper()
	var req struct {
		Messages []struct {
			Role    string
			Content []struct{ Type, Text string }
		}
	}
	if err := json.Unmarshal(body, &req); err != nil {
		t.Fatal(err)
	}
	return req.Messages
}

// TestCompactionAnthropic drives a session past a small context window on
// the Anthropic wire: the history is summarised by the session's model, the
// summary is durable, and the next turn's request starts from it.
func TestCompactionAnthropic(t *testing.T) {
	fake := llmtest.NewAnthropicEcho(t)
	dir := t.TempDir()
	open := func() (*session.Service, store.Store) {
		st, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(dir, "s.db")})
		if err != nil {
			t.Fatal(err)
		}
		svc, err := session.New(t.Context(), session.Config{Store: st, Realm: "test",
			Resolver: smallModel{anthropic.New(anthropic.Config{APIKey: "k", BaseURL: fake.URL()}), 400}})
		if err != nil {
			t.Fatal(err)
		}
		return svc, st
	}
	svc, st := open()
	pad := func(word string) string { return strings.Repeat(word+" ", 50) }
	created, err := svc.Create(t.Context(), session.CreateRequest{Prompt: text(pad("alpha"))})
	if err != nil {
		t.Fatal(err)
	}
	id := created.SessionID
	if types, _ := turn(t, svc, id, pad("bravo")); slices.Contains(types, event.TypeCompactionStarted) {
		t.Fatalf("compacted too early: %v", types)
	}
	types, _ := turn(t, svc, id, pad("charlie"))
	i := slices.Index(types, event.TypeCompactionStarted)
	if i < 0 || types[i+1] != event.TypeCompactionCompleted || slices.Index(types, event.TypeTurnStarted) < i {
		t.Fatalf("no compaction before the model call: %v", types)
	}
	reqs := fake.Requests()
	summaryReq, turnReq := reqs[len(reqs)-2], reqs[len(reqs)-1]
	if !strings.Contains(string(summaryReq.Body), "You compact a conversation") || !strings.Contains(string(summaryReq.Body), "alpha") {
		t.Fatalf("summary request %s", summaryReq.Body)
	}
	msgs := anthropicMessages(t, turnReq.Body)
	if !strings.HasPrefix(msgs[0].Content[0].Text, "Summary of the earlier conversation:") {
		t.Fatalf("the request after compaction does not start with the summary: %+v", msgs[0])
	}
	svc.Close()
	st.Close()

	// Durable: a new service over the same store starts the next turn from
	// the compacted transcript, and the full history stays readable.
	svc, st = open()
	defer st.Close()
	defer svc.Close()
	turn(t, svc, id, "delta")
	reqs = fake.Requests()
	msgs = anthropicMessages(t, reqs[len(reqs)-1].Body)
	if !strings.HasPrefix(msgs[0].Content[0].Text, "Summary of the earlier conversation:") {
		t.Fatalf("next turn does not carry the summary: %+v", msgs[0])
	}
	for _, m := range msgs {
		for _, b := range m.Content {
			if m.Role == "user" && strings.HasPrefix(b.Text, "alpha") {
				t.Fatalf("the compacted first prompt is still sent verbatim: %+v", msgs)
			}
		}
	}
	page, err := svc.History(t.Context(), id, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var summaries int
	for _, r := range page.Rows {
		if r.TranscriptRole == store.TranscriptCompactionSummary {
			summaries++
		}
	}
	if summaries != 1 || !strings.Contains(page.Rows[0].Content[0].Text, "alpha") {
		t.Fatalf("history: %d summaries, first row %+v", summaries, page.Rows[0])
	}
}

// checkPairs asserts that every tool_use of a request is answered in the
// next message and every tool_result answers the message before.
func checkPairs(t *testing.T, msgs []llm.Message) {
	t.Helper()
	for i, m := range msgs {
		if i > 0 && m.Role == msgs[i-1].Role {
			t.Fatalf("messages %d and %d have the same role %s", i-1, i, m.Role)
		}
		for _, b := range m.Content {
			if b.Type == llm.BlockToolResult {
				if i == 0 || !slices.ContainsFunc(msgs[i-1].ToolCalls(), func(c llm.Block) bool { return c.ID == b.ID }) {
					t.Fatalf("message %d: tool_result %s without its tool_use", i, b.ID)
				}
			}
		}
		for _, c := range m.ToolCalls() {
			if i+1 >= len(msgs) || !slices.ContainsFunc(msgs[i+1].Content, func(b llm.Block) bool { return b.Type == llm.BlockToolResult && b.ID == c.ID }) {
				t.Fatalf("message %d: tool_use %s without its result", i, c.ID)
			}
		}
	}
}

func scriptedService(t *testing.T, script string, window int) (*session.Service, *recorder) {
	t.Helper()
	s, err := scripted.Parse([]byte(script))
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{Provider: scripted.New(scripted.Config{Script: s})}
	svc, err := session.New(t.Context(), session.Config{Store: memory.New(), Realm: "test", Resolver: smallModel{rec, 0},
		Tools: tool.NewRegistry(echoTool(new(int))), ContextWindow: window})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	return svc, rec
}

// TestCompactionKeepsToolPairs: compaction with tool rounds in the history
// leaves a transcript where every tool call keeps its result.
func TestCompactionKeepsToolPairs(t *testing.T) {
	svc, rec := scriptedService(t, `{"rules":[{"match":"Summarise this transcript","responses":[{"text":"they kept using echo"}]},
		{"match":"use echo","responses":[
		{"tool_calls":[{"name":"echo","args":{"text":"x"}}]},{"text":"tool done"}]}]}`, 150)
	pad := strings.Repeat("padding ", 30)
	created, err := svc.Create(t.Context(), session.CreateRequest{Prompt: text("use echo " + pad)})
	if err != nil {
		t.Fatal(err)
	}
	compacted := false
	for n := range 4 {
		types, res := turn(t, svc, created.SessionID, "use echo again "+pad)
		if res.Text != "tool done" {
			t.Fatalf("turn %d: %q", n, res.Text)
		}
		compacted = compacted || slices.Contains(types, event.TypeCompactionCompleted)
		rec.mu.Lock()
		for _, r := range rec.reqs {
			checkPairs(t, r.Messages)
		}
		rec.mu.Unlock()
	}
	if !compacted {
		t.Fatal("the session never compacted")
	}
	if msgs := rec.last().Messages; len(msgs) > 8 || !strings.Contains(msgs[0].Content[0].Text, "they kept using echo") {
		t.Fatalf("the transcript does not start from the summary or kept growing: %d messages, first %+v", len(msgs), msgs[0])
	}
}

// TestContextLengthRecovery: a context_length error compacts once and
// retries once; a second one fails the run.
func TestContextLengthRecovery(t *testing.T) {
	svc, _ := scriptedService(t, `{"rules":[
		{"match":"too long once","responses":[{"error":{"kind":"context_length","message":"prompt is too long"}},{"text":"fits now"}]},
		{"match":"always too long","responses":[{"error":{"kind":"context_length","message":"prompt is too long"}}]}]}`, 0)
	created, err := svc.Create(t.Context(), session.CreateRequest{Prompt: text("hello")})
	if err != nil {
		t.Fatal(err)
	}
	id := created.SessionID
	turn(t, svc, id, "more")
	types, res := turn(t, svc, id, "too long once")
	if res.Text != "fits now" || !slices.Contains(types, event.TypeCompactionCompleted) {
		t.Fatalf("text %q, events %v", res.Text, types)
	}
	var evs events
	_, err = svc.Turn(t.Context(), session.TurnRequest{SessionID: id, Prompt: text("always too long"), OnEvent: evs.on})
	if le, ok := llm.AsError(err); !ok || le.Kind != llm.KindContextLength {
		t.Fatalf("err = %v", err)
	}
	if n := strings.Count(strings.Join(evs.types(), ","), "compaction_"); n > 2 {
		t.Fatalf("more than one compaction in a run: %v", evs.types())
	}
}
