package agent_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/agent"
	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
	"github.com/rkat-dev/rkat/tool/builtin"
)

func TestDefaultReply(t *testing.T) {
	rec := &recorder{}
	res, err := run(t.Context(), newConfig(t, "", rec), "hello there")
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "Scripted reply: hello there" || res.Turns != 1 || res.ToolCalls != 0 {
		t.Fatalf("result = %+v", res)
	}
	if res.Usage.InputTokens == 0 || res.Usage.OutputTokens == 0 {
		t.Fatalf("usage not plausible: %+v", res.Usage)
	}
	want := []string{"run_started", "turn_started", "text_delta", "text_delta", "text_delta",
		"text_complete", "turn_completed", "run_completed"}
	if got := rec.types(); !slices.Equal(got, want) {
		t.Fatalf("events = %v, want %v", got, want)
	}
	tc := all[event.TurnCompleted](rec)[0]
	if tc.StopReason != llm.StopEndTurn || tc.Usage == nil || tc.Usage.Accounting.Provider != "scripted" {
		t.Fatalf("turn_completed = %+v", tc)
	}
	rc := all[event.RunCompleted](rec)[0]
	if rc.SessionID != "s1" || rc.Result != res.Text || rc.Usage != res.Usage {
		t.Fatalf("run_completed = %+v", rc)
	}
	if len(res.Messages) != 2 || res.Messages[1].PlainText() != res.Text {
		t.Fatalf("messages = %+v", res.Messages)
	}
	checkTranscript(t, res.Messages)
}

func TestHistoryIsKeptAndNotModified(t *testing.T) {
	history := []llm.Message{llm.UserText("first"), {Role: llm.RoleAssistant, Content: []llm.Block{llm.Text("ok")}}}
	before := slices.Clone(history)
	res, err := agent.Run(t.Context(), newConfig(t, "", &recorder{}), history[:2:2], []llm.Block{llm.Text("second")})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Messages) != 2 || res.Messages[0].PlainText() != "second" {
		t.Fatalf("new messages = %+v", res.Messages)
	}
	if history[0].PlainText() != before[0].PlainText() || len(history) != 2 {
		t.Fatal("history was modified")
	}
}

// barrierTool blocks until n calls are running at once, so a batch run one
// call at a time would time out.
func barrierTool(n int) tool.Tool {
	var mu sync.Mutex
	arrived := 0
	all := make(chan struct{})
	return tool.Func{
		Definition: llm.ToolDef{Name: "barrier", InputSchema: json.RawMessage(`{"type":"object"}`)},
		Fn: func(ctx context.Context, _ json.RawMessage) (tool.Result, error) {
			mu.Lock()
			arrived++
			if arrived == n {
				close(all)
			}
			mu.Unlock()
			select {
			case <-all:
				return tool.TextResult("together"), nil
			case <-ctx.Done():
				return tool.Result{}, ctx.Err()
			}
		},
	}
}

func TestToolLoopWithParallelBatch(t *testing.T) {
	script := `{"rules":[{"match":"work","responses":[
		{"text":"Let me check.","tool_calls":[
			{"name":"barrier"},{"name":"barrier"},{"name":"echo","args":{"text":"a"}},{"name":"current_time"}]},
		{"tool_calls":[{"name":"echo","args":{"text":"b"}}]},
		{"text":"all done"}]}]}`
	rec := &recorder{}
	// The two barrier calls only return when both run at once.
	cfg := newConfig(t, script, rec, barrierTool(2), echoTool(), builtin.CurrentTime())
	cfg.ToolTimeout = 10 * time.Second
	res, err := run(t.Context(), cfg, "please work")
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "all done" || res.Turns != 3 || res.ToolCalls != 5 {
		t.Fatalf("result: text %q turns %d tool calls %d", res.Text, res.Turns, res.ToolCalls)
	}
	checkTranscript(t, res.Messages)
	if len(res.Messages) != 6 {
		t.Fatalf("got %d messages, want 6", len(res.Messages))
	}
	results := res.Messages[2].Content
	wantText := []string{"together", "together", "echo: a", ""}
	for i, b := range results {
		if b.Type != llm.BlockToolResult || b.IsError {
			t.Fatalf("result %d = %+v", i, b)
		}
		if wantText[i] != "" && b.Text != wantText[i] {
			t.Fatalf("result %d text = %q, want %q", i, b.Text, wantText[i])
		}
		if b.ID != res.Messages[1].ToolCalls()[i].ID {
			t.Fatalf("result %d answers %s, want call order", i, b.ID)
		}
	}
	if _, err := time.Parse(time.RFC3339, results[3].Text); err != nil {
		t.Fatalf("current_time result %q: %v", results[3].Text, err)
	}
	if got := res.Messages[4].Content[0].Text; got != "echo: b" {
		t.Fatalf("second batch result = %q", got)
	}
	counts := map[string]int{}
	for _, ty := range rec.types() {
		counts[ty]++
	}
	for ty, n := range map[string]int{"turn_started": 3, "tool_call_requested": 5, "tool_execution_started": 5,
		"tool_execution_completed": 5, "tool_result_received": 5, "turn_completed": 3, "run_completed": 1} {
		if counts[ty] != n {
			t.Errorf("%d %s events, want %d", counts[ty], ty, n)
		}
	}
	// The first turn's requests precede its turn_completed, execution
	// follows it, and every result precedes the next turn.
	types := rec.types()
	firstDone := slices.Index(types, "turn_completed")
	firstExec := slices.Index(types, "tool_execution_started")
	secondTurn := firstExec + slices.Index(types[firstExec:], "turn_started")
	if !(firstDone < firstExec && types[firstDone-1] == "tool_call_requested" &&
		types[secondTurn-1] == "tool_result_received" && secondTurn-firstExec == 12) {
		t.Fatalf("event order: %v", types)
	}
}

func TestToolFailuresBecomeResults(t *testing.T) {
	panicky := tool.Func{
		Definition: llm.ToolDef{Name: "panicky", InputSchema: json.RawMessage(`{"type":"object"}`)},
		Fn:         func(context.Context, json.RawMessage) (tool.Result, error) { panic("boom") },
	}
	failing := tool.Func{
		Definition: llm.ToolDef{Name: "failing", InputSchema: json.RawMessage(`{"type":"object"}`)},
		Fn: func(context.Context, json.RawMessage) (tool.Result, error) {
			return tool.Result{}, errors.New("disk on fire")
		},
	}
	strict := tool.Func{
		Definition: llm.ToolDef{Name: "strict", InputSchema: json.RawMessage(
			`{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}`)},
		Fn: func(context.Context, json.RawMessage) (tool.Result, error) {
			return tool.Result{}, errors.New("strict ran with arguments its schema refuses")
		},
	}
	cases := []struct {
		name      string
		call      string
		wantText  string // substring of the tool_result text
		wantEvent string // event reporting the outcome before tool_result_received
	}{
		{"malformed args", `{"name":"echo","raw_args":"{\"text\": oops"}`, "not a valid JSON object", "tool_call_requested"},
		{"args not an object", `{"name":"echo","raw_args":"[1,2]"}`, "not a valid JSON object", "tool_call_requested"},
		{"unknown tool", `{"name":"teleport","args":{}}`, `unknown tool "teleport". Available tools: echo, slow, panicky, failing`, "tool_call_requested"},
		{"timeout", `{"name":"slow"}`, `tool "slow" timed out after 30ms`, "tool_execution_timed_out"},
		{"panic", `{"name":"panicky"}`, `tool "panicky" panicked: boom`, "tool_execution_completed"},
		{"error", `{"name":"failing"}`, "disk on fire", "tool_execution_completed"},
		{"args against the schema", `{"name":"strict","args":{"n":"seven","extra":1}}`,
			`invalid arguments for tool "strict": /n: got string, want integer`, "tool_call_requested"},
		{"missing required field", `{"name":"strict","args":{}}`, `missing property 'n'`, "tool_call_requested"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			script := `{"rules":[{"match":"","responses":[{"tool_calls":[` + tc.call + `]},{"text":"recovered"}]}]}`
			rec := &recorder{}
			cfg := newConfig(t, script, rec, echoTool(), blockTool("slow", 0), panicky, failing, strict)
			cfg.ToolTimeout = 30 * time.Millisecond
			res, err := run(t.Context(), cfg, "go")
			if err != nil {
				t.Fatal(err)
			}
			if res.Text != "recovered" || res.ToolCalls != 1 {
				t.Fatalf("text %q, tool calls %d", res.Text, res.ToolCalls)
			}
			checkTranscript(t, res.Messages)
			result := res.Messages[2].Content[0]
			if !result.IsError || !strings.Contains(result.Text, tc.wantText) {
				t.Fatalf("tool result = %+v, want error containing %q", result, tc.wantText)
			}
			types := rec.types()
			i := slices.Index(types, "tool_result_received")
			if i < 0 || !slices.Contains(types[:i], tc.wantEvent) {
				t.Fatalf("events %v: want %s before tool_result_received", types, tc.wantEvent)
			}
			req := all[event.ToolCallRequested](rec)[0]
			var obj map[string]any
			if err := json.Unmarshal(req.Args, &obj); err != nil {
				t.Fatalf("tool_call_requested args %q are not an object", req.Args)
			}
			if tc.wantEvent == "tool_execution_timed_out" {
				if to := all[event.ToolExecutionTimedOut](rec)[0]; to.TimeoutMS != 30 || to.Name != "slow" {
					t.Fatalf("timed out event = %+v", to)
				}
			}
		})
	}
}

func TestRetries(t *testing.T) {
	cases := []struct {
		name       string
		responses  string
		maxRetries int
		wantText   string
		wantCause  agent.TerminalCause
		wantKind   llm.ErrorKind
		wantRetry  int
	}{
		{"retryable then success", `{"error":{"kind":"retryable","retry_after_ms":2,"message":"overloaded"}},{"text":"recovered"}`,
			0, "recovered", "", "", 1},
		{"rate limited twice then success", `{"error":{"kind":"rate_limited"}},{"error":{"kind":"rate_limited"}},{"text":"ok"}`,
			0, "ok", "", "", 2},
		{"mid-stream failure then success", `{"text":"partial","error":{"kind":"retryable"}},{"text":"whole"}`,
			0, "whole", "", "", 1},
		{"retries exhausted", `{"error":{"kind":"retryable","message":"still down"}}`,
			2, "", agent.CauseRetryExhausted, llm.KindRetryable, 2},
		{"fatal", `{"error":{"kind":"fatal","message":"bad key"}}`,
			0, "", agent.CauseLLMFailure, llm.KindFatal, 0},
		{"context length", `{"error":{"kind":"context_length"}}`,
			0, "", agent.CauseLLMFailure, llm.KindContextLength, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			cfg := newConfig(t, `{"rules":[{"match":"","responses":[`+tc.responses+`]}]}`, rec)
			cfg.Retry.MaxRetries = tc.maxRetries
			res, err := run(t.Context(), cfg, "x")
			retries := all[event.Retrying](rec)
			if len(retries) != tc.wantRetry {
				t.Fatalf("%d retrying events, want %d", len(retries), tc.wantRetry)
			}
			for i, r := range retries {
				if r.Attempt != i+1 || r.Retry.Plan.Attempt != i+1 || r.Retry.Failure.Provider != "scripted" ||
					r.Retry.Failure.Kind == "" || r.Error == "" || r.DelayMS != r.Retry.Plan.SelectedDelayMS ||
					r.MaxAttempts != r.Retry.Plan.MaxRetries || r.DelayMS > 5 {
					t.Fatalf("retrying event %d = %+v", i, r)
				}
			}
			if res.Turns != 1 {
				t.Fatalf("turns = %d, want 1 (retries are attempts of one call)", res.Turns)
			}
			checkTranscript(t, res.Messages)
			if tc.wantCause == "" {
				if err != nil || res.Text != tc.wantText {
					t.Fatalf("text %q, err %v", res.Text, err)
				}
				return
			}
			var re *agent.RunError
			le, ok := llm.AsError(err)
			if !errors.As(err, &re) || re.Cause != tc.wantCause || !ok || le.Kind != tc.wantKind {
				t.Fatalf("err = %v, want cause %s kind %s", err, tc.wantCause, tc.wantKind)
			}
			if res.TerminalCause != tc.wantCause || len(res.Messages) != 1 {
				t.Fatalf("result cause %q, %d messages", res.TerminalCause, len(res.Messages))
			}
			rf := all[event.RunFailed](rec)
			if len(rf) != 1 || rf[0].TerminalCauseKind != string(tc.wantCause) || rf[0].Error == "" ||
				rf[0].ErrorClass == "" || rf[0].ErrorReport.Message != rf[0].Error {
				t.Fatalf("run_failed = %+v", rf)
			}
		})
	}
}

func TestRetryHonoursRetryAfter(t *testing.T) {
	rec := &recorder{}
	cfg := newConfig(t, `{"rules":[{"match":"","responses":[{"error":{"kind":"rate_limited","retry_after_ms":40}},{"text":"ok"}]}]}`, rec)
	cfg.Retry.MaxDelay = time.Second
	if _, err := run(t.Context(), cfg, "x"); err != nil {
		t.Fatal(err)
	}
	if d := all[event.Retrying](rec)[0].DelayMS; d < 40 {
		t.Fatalf("delay %d ms is shorter than Retry-After 40 ms", d)
	}
}

func TestConcurrentRunsShareOneProvider(t *testing.T) {
	// The scripted provider keeps no state: concurrent runs on the same
	// script each go through their own error, retry and tool call.
	cfg := newConfig(t, `{"rules":[{"match":"","responses":[
		{"error":{"kind":"retryable"}},{"tool_calls":[{"name":"echo","args":{"text":"x"}}]},{"text":"fine"}]}]}`, &recorder{}, echoTool())
	const n = 8
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			var retries int
			c := cfg
			c.Emit = func(e event.Event) {
				if e.Type() == event.TypeRetrying {
					retries++
				}
			}
			res, err := run(t.Context(), c, "go")
			if err == nil && (res.Text != "fine" || retries != 1 || res.ToolCalls != 1) {
				err = errors.New("unexpected result " + res.Text)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestToolSeesItsCallID(t *testing.T) {
	script := `{"rules":[{"match":"ids","responses":[
		{"tool_calls":[{"name":"whoami"},{"name":"whoami"}]},{"text":"ok"}]}]}`
	whoami := tool.Func{
		Definition: llm.ToolDef{Name: "whoami", InputSchema: json.RawMessage(`{"type":"object"}`)},
		Fn: func(ctx context.Context, _ json.RawMessage) (tool.Result, error) {
			return tool.TextResult(tool.CallID(ctx)), nil
		},
	}
	res, err := run(t.Context(), newConfig(t, script, &recorder{}, whoami), "ids please")
	if err != nil {
		t.Fatal(err)
	}
	calls := res.Messages[1].ToolCalls()
	for i, b := range res.Messages[2].Content {
		if b.Text == "" || b.Text != calls[i].ID {
			t.Fatalf("call %s saw id %q", calls[i].ID, b.Text)
		}
	}
	if calls[0].ID == calls[1].ID {
		t.Fatalf("parallel calls share id %s", calls[0].ID)
	}
}

func TestParallelToolsAreBounded(t *testing.T) {
	var mu sync.Mutex
	running, peak := 0, 0
	counting := tool.Func{
		Definition: llm.ToolDef{Name: "count", InputSchema: json.RawMessage(`{"type":"object"}`)},
		Fn: func(ctx context.Context, args json.RawMessage) (tool.Result, error) {
			mu.Lock()
			running++
			peak = max(peak, running)
			mu.Unlock()
			time.Sleep(20 * time.Millisecond)
			mu.Lock()
			running--
			mu.Unlock()
			return tool.TextResult(string(args)), nil
		},
	}
	for _, bound := range []int{1, 2, 5} {
		t.Run(fmt.Sprint(bound), func(t *testing.T) {
			peak = 0
			script := `{"rules":[{"match":"","responses":[{"tool_calls":[
				{"name":"count","args":{"i":0}},{"name":"count","args":{"i":1}},{"name":"count","args":{"i":2}},
				{"name":"count","args":{"i":3}},{"name":"count","args":{"i":4}}]},{"text":"done"}]}]}`
			cfg := newConfig(t, script, &recorder{}, counting)
			cfg.MaxParallelTools = bound
			res, err := run(t.Context(), cfg, "go")
			if err != nil {
				t.Fatal(err)
			}
			if peak != bound {
				t.Errorf("peak concurrency %d, want %d", peak, bound)
			}
			for i, b := range res.Messages[2].Content {
				if b.Text != fmt.Sprintf(`{"i":%d}`, i) {
					t.Errorf("result %d = %q: results out of call order", i, b.Text)
				}
			}
		})
	}
}
