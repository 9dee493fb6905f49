package agent_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/agent"
	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/scripted"
	"github.com/rkat-dev/rkat/tool"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// recorder collects the events of a run.
type recorder struct {
	mu     sync.Mutex
	events []event.Event
	// on, when set, sees every event as it is emitted.
	on func(event.Event)
}

func (r *recorder) emit(e event.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
	if r.on != nil {
		r.on(e)
	}
}

// types lists the wire names of the recorded events.
func (r *recorder) types() []string {
	out := make([]string, len(r.events))
	for i, e := range r.events {
		out[i] = e.Type()
	}
	return out
}

// all returns the recorded events of type T.
func all[T event.Event](r *recorder) []T {
	var out []T
	for _, e := range r.events {
		if v, ok := e.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

// mustScript parses a script or fails the test.
func mustScript(t *testing.T, src string) *scripted.Script {
	t.Helper()
	s, err := scripted.Parse([]byte(src))
	if err != nil {
		t.Fatalf("script: %v", err)
	}
	return s
}

// newConfig returns a config driven by script with fast retries.
func newConfig(t *testing.T, script string, rec *recorder, tools ...tool.Tool) agent.Config {
	t.Helper()
	var s *scripted.Script
	if script != "" {
		s = mustScript(t, script)
	}
	return agent.Config{
		SessionID: "s1",
		Provider:  scripted.New(scripted.Config{Script: s}),
		Model:     "scripted",
		Tools:     tool.NewSet(tools...),
		Retry:     agent.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond},
		Emit:      rec.emit,
	}
}

func run(ctx context.Context, cfg agent.Config, prompt string) (agent.Result, error) {
	return agent.Run(ctx, cfg, nil, []llm.Block{llm.Text(prompt)})
}

// checkTranscript asserts that msgs alternate user/assistant starting with
// the user, and that every tool_use is answered by exactly one tool_result
// in the next message.
func checkTranscript(t *testing.T, msgs []llm.Message) {
	t.Helper()
	for i, m := range msgs {
		want := llm.RoleUser
		if i%2 == 1 {
			want = llm.RoleAssistant
		}
		if m.Role != want {
			t.Fatalf("message %d has role %s, want %s", i, m.Role, want)
		}
		calls := m.ToolCalls()
		if len(calls) == 0 {
			continue
		}
		if i+1 >= len(msgs) {
			t.Fatalf("message %d: tool calls without a following result message", i)
		}
		got := map[string]int{}
		for _, b := range msgs[i+1].Content {
			if b.Type == llm.BlockToolResult {
				got[b.ID]++
			}
		}
		for _, c := range calls {
			if got[c.ID] != 1 {
				t.Fatalf("tool call %s (%s) has %d results", c.ID, c.Name, got[c.ID])
			}
			if !json.Valid(c.Args) {
				t.Fatalf("tool call %s keeps invalid args %q in the transcript", c.ID, c.Args)
			}
		}
		if len(got) != len(calls) {
			t.Fatalf("message %d: %d results for %d calls", i+1, len(got), len(calls))
		}
	}
}

// echoTool returns its "text" argument.
func echoTool() tool.Tool {
	return tool.Func{
		Definition: llm.ToolDef{Name: "echo", Description: "echo", InputSchema: json.RawMessage(`{"type":"object"}`)},
		Fn: func(_ context.Context, args json.RawMessage) (tool.Result, error) {
			var in struct{ Text string }
			if err := json.Unmarshal(args, &in); err != nil {
				return tool.Result{}, err
			}
			return tool.TextResult("echo: " + in.Text), nil
		},
	}
}

// blockTool waits for its context to end, or for d when d > 0.
func blockTool(name string, d time.Duration) tool.Tool {
	return tool.Func{
		Definition: llm.ToolDef{Name: name, InputSchema: json.RawMessage(`{"type":"object"}`)},
		Fn: func(ctx context.Context, _ json.RawMessage) (tool.Result, error) {
			var after <-chan time.Time
			if d > 0 {
				timer := time.NewTimer(d)
				defer timer.Stop()
				after = timer.C
			}
			select {
			case <-ctx.Done():
				return tool.Result{}, ctx.Err()
			case <-after:
				return tool.TextResult(fmt.Sprintf("%s slept %s", name, d)), nil
			}
		},
	}
}
