package agent_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/agent"
	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/hook"
)

// allPoints returns one observing command hook per point, each appending
// its point to log.
func allPoints(log string) []hook.Entry {
	var out []hook.Entry
	for _, p := range []hook.Point{hook.RunStarted, hook.PreLLMRequest, hook.PostLLMResponse, hook.PreToolExecution,
		hook.PostToolExecution, hook.TurnBoundary, hook.RunCompleted, hook.RunFailed} {
		out = append(out, hook.Entry{ID: "log-" + string(p), Point: p,
			Runtime: hook.RuntimeConfig{Type: "command", Command: "/bin/sh", Args: []string{"-c", "cat >/dev/null; echo " + string(p) + " >> " + log}}})
	}
	return out
}

func hooked(t *testing.T, cfg agent.Config, entries ...hook.Entry) agent.Config {
	t.Helper()
	e, err := hook.New(entries, hook.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Hooks = e
	return cfg
}

const toolScript = `{"rules":[{"match":"","responses":[
	{"tool_calls":[{"name":"echo","args":{"text":"rm -rf /"}}]},{"text":"done"}]}]}`

func TestHookPointsInOrder(t *testing.T) {
	log := filepath.Join(t.TempDir(), "points.log")
	rec := &recorder{}
	res, err := run(t.Context(), hooked(t, newConfig(t, toolScript, rec, echoTool()), allPoints(log)...), "go")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	want := "run_started pre_llm_request post_llm_response pre_tool_execution post_tool_execution turn_boundary " +
		"pre_llm_request post_llm_response run_completed"
	if got := strings.Join(strings.Fields(string(data)), " "); got != want {
		t.Fatalf("points\n got %s\nwant %s", got, want)
	}
	if n := len(all[event.HookCompleted](rec)); n != 9 || len(all[event.HookStarted](rec)) != 9 {
		t.Fatalf("%d hook_completed events, want 9: %v", n, rec.types())
	}
	if types := rec.types(); types[0] != "run_started" || types[len(types)-1] != "run_completed" {
		t.Fatalf("hook events outside the run: %v", types)
	}
	if res.Text != "done" {
		t.Fatalf("text %q", res.Text)
	}
}

func TestGuardrailOnTools(t *testing.T) {
	sh := func(s string) hook.RuntimeConfig {
		return hook.RuntimeConfig{Type: "command", Command: "/bin/sh", Args: []string{"-c", s}}
	}
	tests := []struct {
		name, result string
		isError      bool
		entry        hook.Entry
	}{
		{"deny", "Error: denied by hook no-rm (safety_violation): destructive", true, hook.Entry{ID: "no-rm", Point: hook.PreToolExecution,
			Capability: hook.Guardrail, Runtime: sh(`grep -q 'rm -rf' && echo '{"decision":"deny","reason_code":"safety_violation","message":"destructive"}'`)}},
		{"rewrite args", "echo: ls", false, hook.Entry{ID: "safe", Point: hook.PreToolExecution, Capability: hook.Guardrail,
			Runtime: sh(`cat >/dev/null; echo '{"decision":"allow","rewrite":{"args":{"text":"ls"}}}'`)}},
		{"rewrite result", "[redacted]", false, hook.Entry{ID: "redact", Point: hook.PostToolExecution, Capability: hook.Guardrail,
			Runtime: sh(`cat >/dev/null; echo '{"rewrite":{"result":{"content":"[redacted]","is_error":false}}}'`)}},
		{"timeout fails closed", "Error: denied by hook slow (timeout): hook timed out after 100ms", true, hook.Entry{ID: "slow",
			Point: hook.PreToolExecution, Capability: hook.Guardrail, TimeoutMS: 100, Runtime: sh("sleep 10")}},
		{"timeout fails open", "echo: rm -rf /", false, hook.Entry{ID: "slow", Point: hook.PreToolExecution, Capability: hook.Guardrail,
			TimeoutMS: 100, FailurePolicy: hook.FailOpen, Runtime: sh("sleep 10")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			res, err := run(t.Context(), hooked(t, newConfig(t, toolScript, rec, echoTool()), tt.entry), "go")
			if err != nil {
				t.Fatal(err) // the model sees a denial as a tool error and the turn goes on
			}
			got := all[event.ToolResultReceived](rec)
			if len(got) != 1 || got[0].IsError != tt.isError || got[0].Content[0].Text != tt.result {
				t.Fatalf("tool result %+v, want %q (error %v)", got, tt.result, tt.isError)
			}
			if res.Text != "done" || res.ToolCalls != 1 {
				t.Fatalf("result %+v", res)
			}
			checkTranscript(t, res.Messages)
		})
	}
}

func TestHookDenialEndsRun(t *testing.T) {
	deny := func(context.Context, hook.Invocation) (*hook.Decision, error) {
		return &hook.Decision{Decision: "deny", ReasonCode: hook.PolicyViolation, Message: "not today"}, nil
	}
	for _, p := range []hook.Point{hook.RunStarted, hook.PreLLMRequest, hook.PostLLMResponse, hook.TurnBoundary, hook.RunCompleted} {
		t.Run(string(p), func(t *testing.T) {
			rec := &recorder{}
			cfg := newConfig(t, toolScript, rec, echoTool())
			e, err := hook.New([]hook.Entry{{ID: "stop", Point: p, Capability: hook.Guardrail,
				Runtime: hook.RuntimeConfig{Type: "in_process", Handler: "deny"}}}, hook.Options{Handlers: map[string]hook.Handler{"deny": deny}})
			if err != nil {
				t.Fatal(err)
			}
			cfg.Hooks = e
			res, err := run(t.Context(), cfg, "go")
			var de *hook.DeniedError
			if !errors.As(err, &de) || de.HookID != "stop" || de.ReasonCode != hook.PolicyViolation || res.TerminalCause != agent.CauseHookDenied {
				t.Fatalf("err %v, cause %s", err, res.TerminalCause)
			}
			if d := all[event.HookDenied](rec); len(d) != 1 || d[0].Message != "not today" {
				t.Fatalf("hook_denied %+v", d)
			}
			if f := all[event.RunFailed](rec); len(f) != 1 || f[0].TerminalCauseKind != "hook_denied" {
				t.Fatalf("run_failed %+v", f)
			}
			checkTranscript(t, res.Messages)
		})
	}
}
