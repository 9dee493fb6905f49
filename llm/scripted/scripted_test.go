package scripted_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/scripted"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// issueExample is the script of the format's documentation.
const issueExample = `{"rules": [
  {"match": "slow turn", "responses": [{"text": "done slowly", "chunks": 10, "delay_ms": 200}]},
  {"match": "use echo", "responses": [
     {"tool_calls": [{"name": "echo", "args": {"text": "hi"}}]},
     {"text": "tool said hi"}]},
  {"match": "flaky", "responses": [
     {"error": {"kind": "retryable", "retry_after_ms": 50, "message": "overloaded"}},
     {"text": "recovered"}]}
]}`

// reply is the collected outcome of one call.
type reply struct {
	text, reasoning string
	deltas          int
	calls           []llm.ToolCall
	usage           llm.Usage
	stop            llm.StopReason
	err             error
}

func collect(t *testing.T, p *scripted.Provider, req *llm.Request) reply {
	t.Helper()
	st, err := p.Stream(t.Context(), req)
	if err != nil {
		return reply{err: err}
	}
	defer st.Close()
	var r reply
	for {
		ev, err := st.Recv()
		if err == io.EOF {
			if r.stop == "" {
				t.Fatal("io.EOF before the stop event")
			}
			return r
		}
		if err != nil {
			r.err = err
			return r
		}
		switch ev.Type {
		case llm.EventTextDelta:
			r.text += ev.Text
			r.deltas++
		case llm.EventReasoningDelta:
			r.reasoning += ev.Text
		case llm.EventToolCall:
			r.calls = append(r.calls, *ev.ToolCall)
		case llm.EventUsage:
			r.usage = ev.Usage
		case llm.EventStop:
			r.stop = ev.StopReason
		}
	}
}

func mustParse(t *testing.T, src string) *scripted.Script {
	t.Helper()
	s, err := scripted.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func assistant(blocks ...llm.Block) llm.Message {
	return llm.Message{Role: llm.RoleAssistant, Content: blocks}
}

func toolResults(ids ...string) llm.Message {
	m := llm.Message{Role: llm.RoleUser}
	for _, id := range ids {
		m.Content = append(m.Content, llm.Block{Type: llm.BlockToolResult, ID: id, Text: "ok"})
	}
	return m
}

func TestDefaultReply(t *testing.T) {
	p := scripted.New(scripted.Config{})
	if p.Name() != "scripted" {
		t.Fatalf("name = %q", p.Name())
	}
	long := strings.Repeat("é", 100)
	cases := []struct{ prompt, want string }{
		{"hello   there\n", "Scripted reply: hello there"},
		{long, "Scripted reply: " + long[:160] + "..."},
	}
	for _, tc := range cases {
		r := collect(t, p, &llm.Request{Messages: []llm.Message{llm.UserText(tc.prompt)}})
		if r.err != nil || r.text != tc.want || r.deltas != 3 || r.stop != llm.StopEndTurn {
			t.Fatalf("reply = %+v, want %q in 3 deltas", r, tc.want)
		}
		if r.usage.InputTokens < 1 || r.usage.OutputTokens < int64(len(tc.want)/4) {
			t.Fatalf("usage = %+v", r.usage)
		}
	}
}

func TestRulesAndCallNumbers(t *testing.T) {
	p := scripted.New(scripted.Config{Script: mustParse(t, issueExample)})
	call := llm.Block{Type: llm.BlockToolUse, ID: "call_1_0", Name: "echo", Args: json.RawMessage(`{"text":"hi"}`)}
	history := []llm.Message{llm.UserText("earlier: flaky"), assistant(llm.Text("recovered"))}
	cases := []struct {
		name     string
		msgs     []llm.Message
		attempt  int
		wantText string
		wantTool string
		wantErr  llm.ErrorKind
	}{
		{"first call", []llm.Message{llm.UserText("please use echo")}, 0, "", "echo", ""},
		{"after tool results", []llm.Message{llm.UserText("please use echo"), assistant(call), toolResults("call_1_0")}, 0, "tool said hi", "", ""},
		{"last repeats", []llm.Message{llm.UserText("please use echo"), assistant(call), toolResults("call_1_0"),
			assistant(llm.Text("tool said hi")), llm.UserText("use echo again")}, 0, "", "echo", ""},
		{"flaky first attempt", []llm.Message{llm.UserText("flaky one")}, 0, "", "", llm.KindRetryable},
		{"flaky retry", []llm.Message{llm.UserText("flaky one")}, 1, "recovered", "", ""},
		{"new run after history", append(history[:2:2], llm.UserText("be flaky")), 0, "", "", llm.KindRetryable},
		{"no rule", []llm.Message{llm.UserText("nothing matches")}, 0, "Scripted reply: nothing matches", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := collect(t, p, &llm.Request{Messages: tc.msgs, Attempt: tc.attempt})
			if tc.wantErr != "" {
				e, ok := llm.AsError(r.err)
				if !ok || e.Kind != tc.wantErr || e.Provider != "scripted" || !e.Retryable() {
					t.Fatalf("err = %v, want %s", r.err, tc.wantErr)
				}
				if e.RetryAfter != 50*time.Millisecond || e.Message != "overloaded" {
					t.Fatalf("error fields = %+v", e)
				}
				return
			}
			if r.err != nil || r.text != tc.wantText {
				t.Fatalf("reply = %+v, want text %q", r, tc.wantText)
			}
			if tc.wantTool != "" {
				if len(r.calls) != 1 || r.calls[0].Name != tc.wantTool || string(r.calls[0].Args) != `{"text":"hi"}` ||
					r.calls[0].ID == "" || r.stop != llm.StopToolUse {
					t.Fatalf("calls = %+v stop %s", r.calls, r.stop)
				}
			}
		})
	}
}

func TestErrorsOfEarlierCallsAreSkipped(t *testing.T) {
	// Call 0 fails twice and then answers with a tool call; call 1 must get
	// the response after that, not one of the errors again.
	p := scripted.New(scripted.Config{Script: mustParse(t, `{"rules":[{"match":"","responses":[
		{"error":{"kind":"rate_limited"}},{"error":{"kind":"retryable"}},
		{"tool_calls":[{"name":"t","id":"c1"}]},
		{"text":"second"},{"text":"third"}]}]}`)})
	prompt := llm.UserText("go")
	for attempt, want := range []string{"rate_limited", "retryable", ""} {
		r := collect(t, p, &llm.Request{Messages: []llm.Message{prompt}, Attempt: attempt})
		e, _ := llm.AsError(r.err)
		if want == "" && (r.err != nil || len(r.calls) != 1 || r.calls[0].ID != "c1") || want != "" && (e == nil || string(e.Kind) != want) {
			t.Fatalf("attempt %d: %+v", attempt, r)
		}
	}
	msgs := []llm.Message{prompt, assistant(llm.Block{Type: llm.BlockToolUse, ID: "c1", Name: "t"}), toolResults("c1")}
	if r := collect(t, p, &llm.Request{Messages: msgs}); r.text != "second" {
		t.Fatalf("call 1 = %+v", r)
	}
	msgs = append(msgs, assistant(llm.Text("second")), llm.UserText("more"))
	if r := collect(t, p, &llm.Request{Messages: msgs}); r.err == nil {
		t.Fatalf("a new run starts at responses[0], got %+v", r)
	}
}

func TestResponseFeatures(t *testing.T) {
	p := scripted.New(scripted.Config{Script: mustParse(t, `{"rules":[
		{"match":"think","responses":[{"reasoning":"hmm","text":"abcdef","chunks":6,"stop_reason":"max_tokens",
			"usage":{"input_tokens":7,"output_tokens":3,"cache_read_tokens":2}}]},
		{"match":"raw","responses":[{"tool_calls":[{"name":"a","raw_args":"{oops"},{"name":"b"}]}]},
		{"match":"partial","responses":[{"text":"half","error":{"kind":"fatal"}}]},
		{"match":"tiny","responses":[{"text":"ab","chunks":10}]}]}`)})
	r := collect(t, p, &llm.Request{Messages: []llm.Message{llm.UserText("think hard")}})
	if r.reasoning != "hmm" || r.text != "abcdef" || r.deltas != 6 || r.stop != llm.StopMaxTokens ||
		r.usage != (llm.Usage{InputTokens: 7, OutputTokens: 3, CacheReadTokens: 2}) {
		t.Fatalf("think = %+v", r)
	}
	r = collect(t, p, &llm.Request{Messages: []llm.Message{llm.UserText("raw")}})
	if len(r.calls) != 2 || string(r.calls[0].Args) != "{oops" || string(r.calls[1].Args) != "{}" ||
		r.calls[0].ID == r.calls[1].ID {
		t.Fatalf("raw = %+v", r.calls)
	}
	r = collect(t, p, &llm.Request{Messages: []llm.Message{llm.UserText("partial")}})
	if e, ok := llm.AsError(r.err); r.text != "half" || !ok || e.Kind != llm.KindFatal || e.Retryable() {
		t.Fatalf("partial = %+v", r)
	}
	r = collect(t, p, &llm.Request{Messages: []llm.Message{llm.UserText("tiny")}})
	if r.text != "ab" || r.deltas != 2 {
		t.Fatalf("tiny = %+v", r)
	}
}

func TestDelayHonoursCancellation(t *testing.T) {
	p := scripted.New(scripted.Config{Script: mustParse(t, `{"rules":[{"match":"","responses":[{"text":"slow","delay_ms":600000}]}]}`)})
	ctx, cancel := context.WithCancel(t.Context())
	st, err := p.Stream(ctx, &llm.Request{Messages: []llm.Message{llm.UserText("x")}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cancel()
	if _, err := st.Recv(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Recv after cancel = %v", err)
	}
}

func TestExtractionDefault(t *testing.T) {
	schema := `{"type":"object","required":["name","tags","n","kind","ok","sub"],"properties":{
		"name":{"type":"string","minLength":3},"tags":{"type":"array","items":{"type":"string"},"minItems":1},
		"n":{"type":"integer","minimum":5},"kind":{"enum":["a","b"]},"ok":{"type":"boolean"},
		"sub":{"type":["object","null"],"required":["x"],"properties":{"x":{"const":1}}},"opt":{"type":"string"}}}`
	msgs := []llm.Message{
		llm.UserText("question"), assistant(llm.Text("answer")),
		{Role: llm.RoleUser, Content: []llm.Block{llm.Text(llm.ExtractionPrompt + " reply in JSON"), llm.Text(schema)}},
	}
	r := collect(t, scripted.New(scripted.Config{}), &llm.Request{Messages: msgs})
	want := `{"kind":"a","n":5,"name":"xxx","ok":false,"sub":{"x":1},"tags":[""]}`
	if r.err != nil || r.text != want {
		t.Fatalf("extraction reply %q, want %q", r.text, want)
	}
	// With a rule, the extraction call continues the run of the prompt.
	p := scripted.New(scripted.Config{Script: mustParse(t, `{"rules":[{"match":"question","responses":[{"text":"answer"},{"text":"{\"v\":1}"}]}]}`)})
	if r := collect(t, p, &llm.Request{Messages: msgs}); r.text != `{"v":1}` {
		t.Fatalf("scripted extraction reply %q", r.text)
	}
}

func TestParseRejects(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"syntax", "{\"rules\": [\n  {\"match\": }\n]}", "line 2, column"},
		{"unknown field", `{"rules":[{"match":"a","responses":[{"txt":"x"}]}]}`, `unknown field "txt"`},
		{"wrong type", `{"rules":[{"match":"a","responses":[{"chunks":"3"}]}]}`, "chunks"},
		{"no rules", `{}`, `missing "rules"`},
		{"empty responses", `{"rules":[{"match":"a","responses":[]}]}`, `rules[0] (match "a"): responses must not be empty`},
		{"negative chunks", `{"rules":[{"responses":[{"chunks":-1}]}]}`, "rules[0].responses[0]: chunks"},
		{"huge delay", `{"rules":[{"responses":[{"delay_ms":9999999}]}]}`, "delay_ms"},
		{"tool without name", `{"rules":[{"responses":[{"tool_calls":[{"args":{}}]}]}]}`, "tool_calls[0]: name is required"},
		{"args and raw_args", `{"rules":[{"responses":[{"tool_calls":[{"name":"a","args":{},"raw_args":"x"}]}]}]}`, "not both"},
		{"args not object", `{"rules":[{"responses":[{"tool_calls":[{"name":"a","args":[1]}]}]}]}`, "args must be a JSON object"},
		{"bad kind", `{"rules":[{"responses":[{"error":{"kind":"oops"}}]}]}`, `error: kind "oops"`},
		{"missing kind", `{"rules":[{"responses":[{"error":{"message":"m"}}]}]}`, "kind is required"},
		{"bad stop", `{"rules":[{"responses":[{"stop_reason":"done"}]}]}`, `stop_reason "done"`},
		{"negative usage", `{"rules":[{"responses":[{"usage":{"input_tokens":-1}}]}]}`, "usage"},
		{"trailing", `{"rules":[]} {}`, "after the script"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scripted.Parse([]byte(tc.src))
			if !errors.Is(err, scripted.ErrInvalidScript) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestLoadAndFromEnv(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(good, []byte(issueExample), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(`{"rules":[{"match":"x"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := scripted.Load(good)
	if err != nil || len(s.Rules) != 3 {
		t.Fatalf("Load = %v, %v", s, err)
	}
	if _, err := scripted.Load(bad); err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "responses") {
		t.Fatalf("Load(bad) = %v", err)
	}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if p, err := scripted.FromEnv(getenv); err != nil || p == nil {
		t.Fatalf("FromEnv without script = %v", err)
	}
	env[scripted.EnvScript] = bad
	if _, err := scripted.FromEnv(getenv); err == nil || !strings.Contains(err.Error(), "RKAT_TEST_SCRIPT") {
		t.Fatalf("FromEnv(bad) = %v", err)
	}
	env[scripted.EnvScript] = good
	p, err := scripted.FromEnv(getenv)
	if err != nil {
		t.Fatal(err)
	}
	if r := collect(t, p, &llm.Request{Messages: []llm.Message{llm.UserText("flaky")}, Attempt: 1}); r.text != "recovered" {
		t.Fatalf("reply = %+v", r)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(issueExample))
	f.Add([]byte(`{"rules":[{"match":"","responses":[{"tool_calls":[{"name":"a","raw_args":"x"}],"usage":{"input_tokens":1}}]}]}`))
	f.Add([]byte(`{"rules":[{"responses":[{"error":{"kind":"fatal"}}]}]}`))
	f.Add([]byte(`{"rules":[{"responses":[{"text":"é","chunks":3}]}]} x`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scripted.Parse(data)
		if err != nil {
			if !errors.Is(err, scripted.ErrInvalidScript) {
				t.Fatalf("error %v does not match ErrInvalidScript", err)
			}
			return
		}
		// A valid script survives a round trip and answers without panicking.
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := scripted.Parse(out); err != nil {
			t.Fatalf("re-parse of %s: %v", out, err)
		}
		p := scripted.New(scripted.Config{Script: s})
		for _, r := range s.Rules {
			for _, resp := range r.Responses {
				if resp.DelayMS > 0 {
					return
				}
			}
		}
		for _, m := range []string{"", "x", string(data)} {
			st, err := p.Stream(t.Context(), &llm.Request{Messages: []llm.Message{llm.UserText(m)}, Attempt: 1})
			if err != nil {
				continue
			}
			for range 1000 {
				if _, err := st.Recv(); err != nil {
					break
				}
			}
			st.Close()
		}
	})
}
