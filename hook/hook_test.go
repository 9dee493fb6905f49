package hook_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/hook"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type events struct {
	mu  sync.Mutex
	evs []event.Event
}

func (e *events) emit(ev event.Event) { e.mu.Lock(); e.evs = append(e.evs, ev); e.mu.Unlock() }

func (e *events) types() string {
	var out []string
	for _, ev := range e.evs {
		out = append(out, ev.Type())
	}
	return strings.Join(out, ",")
}

func sh(script string) hook.RuntimeConfig {
	return hook.RuntimeConfig{Type: "command", Command: "/bin/sh", Args: []string{"-c", script}}
}

func engine(t *testing.T, entries ...hook.Entry) *hook.Engine {
	t.Helper()
	e, err := hook.New(entries, hook.Options{Handlers: map[string]hook.Handler{
		"noop": func(context.Context, hook.Invocation) (*hook.Decision, error) { return nil, nil },
	}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

var toolCall = hook.Invocation{Point: hook.PreToolExecution,
	ToolCall: &hook.ToolCall{ToolUseID: "t1", Name: "shell", Args: json.RawMessage(`{"command":"rm -rf /"}`)}}

func TestCommandDecisions(t *testing.T) {
	tests := []struct {
		name    string
		entry   hook.Entry
		inv     hook.Invocation
		events  string
		deny    hook.ReasonCode
		failure bool
		args    string
	}{
		{"observe no answer", hook.Entry{ID: "o", Point: hook.PreToolExecution, Runtime: sh("cat >/dev/null")},
			toolCall, "hook_started,hook_completed", "", false, ""},
		{"guardrail deny", hook.Entry{ID: "g", Point: hook.PreToolExecution, Capability: hook.Guardrail,
			Runtime: sh(`grep -q 'rm -rf' && echo '{"decision":"deny","reason_code":"safety_violation","message":"no rm"}'`)},
			toolCall, "hook_started,hook_denied", hook.SafetyViolation, false, ""},
		{"guardrail rewrite", hook.Entry{ID: "g", Point: hook.PreToolExecution, Capability: hook.Guardrail,
			Runtime: sh(`cat >/dev/null; echo '{"decision":"allow","rewrite":{"args":{"command":"ls"}}}'`)},
			toolCall, "hook_started,hook_completed", "", false, `{"command":"ls"}`},
		{"observe may not deny (fail_open)", hook.Entry{ID: "o", Point: hook.PreToolExecution,
			Runtime: sh(`cat >/dev/null; echo '{"decision":"deny","reason_code":"policy_violation"}'`)},
			toolCall, "hook_started,hook_failed", "", false, ""},
		{"deny without reason code fails closed", hook.Entry{ID: "g", Point: hook.PreToolExecution, Capability: hook.Guardrail,
			Runtime: sh(`cat >/dev/null; echo '{"decision":"deny"}'`)},
			toolCall, "hook_started,hook_failed", hook.RuntimeError, true, ""},
		{"rewrite at the wrong point", hook.Entry{ID: "g", Point: hook.RunStarted, Capability: hook.Guardrail, FailurePolicy: hook.FailOpen,
			Runtime: sh(`cat >/dev/null; echo '{"rewrite":{"args":{}}}'`)},
			hook.Invocation{Point: hook.RunStarted}, "hook_started,hook_failed", "", false, ""},
		{"exit status fails closed", hook.Entry{ID: "g", Point: hook.PreToolExecution, Capability: hook.Guardrail,
			Runtime: sh(`cat >/dev/null; echo oops >&2; exit 3`)},
			toolCall, "hook_started,hook_failed", hook.RuntimeError, true, ""},
		{"malformed answer fails open", hook.Entry{ID: "o", Point: hook.PreToolExecution, Runtime: sh(`cat >/dev/null; echo '{nope'`)},
			toolCall, "hook_started,hook_failed", "", false, ""},
		{"other point does not fire", hook.Entry{ID: "o", Point: hook.RunCompleted, Runtime: sh("exit 1")},
			toolCall, "", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var evs events
			r := engine(t, tt.entry).Begin("s", evs.emit)
			out := r.At(t.Context(), tt.inv)
			r.End()
			if evs.types() != tt.events {
				t.Fatalf("events %s, want %s (%+v)", evs.types(), tt.events, evs.evs)
			}
			switch {
			case tt.deny == "" && out.Deny != nil:
				t.Fatalf("unexpected denial %+v", out.Deny)
			case tt.deny != "" && (out.Deny == nil || out.Deny.ReasonCode != tt.deny || out.Deny.Failure != tt.failure):
				t.Fatalf("denial %+v, want %s (failure %v)", out.Deny, tt.deny, tt.failure)
			case string(out.Args) != tt.args:
				t.Fatalf("args %s, want %s", out.Args, tt.args)
			}
		})
	}
}

// TestCommandSeesInvocation checks the JSON a command hook reads.
func TestCommandSeesInvocation(t *testing.T) {
	out := filepath.Join(t.TempDir(), "inv.json")
	r := engine(t, hook.Entry{ID: "rec", Point: hook.PreToolExecution, Runtime: sh("cat > " + out)}).Begin("sess", func(event.Event) {})
	r.SetTurn(3)
	r.At(t.Context(), toolCall)
	r.End()
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var inv hook.Invocation
	if err := json.Unmarshal(data, &inv); err != nil {
		t.Fatal(err)
	}
	if inv.HookID != "rec" || inv.SessionID != "sess" || inv.TurnNumber != 3 || inv.ToolCall.Name != "shell" ||
		string(inv.ToolCall.Args) != `{"command":"rm -rf /"}` {
		t.Fatalf("invocation %s", data)
	}
}

// TestTimeoutKillsProcessGroup: a hook that outlives its timeout follows
// its failure policy, and its children die with it.
func TestTimeoutKillsProcessGroup(t *testing.T) {
	for _, policy := range []hook.FailurePolicy{hook.FailOpen, hook.FailClosed} {
		t.Run(string(policy), func(t *testing.T) {
			pidFile := filepath.Join(t.TempDir(), "child.pid")
			var evs events
			r := engine(t, hook.Entry{ID: "slow", Point: hook.PreToolExecution, Capability: hook.Guardrail, TimeoutMS: 200,
				FailurePolicy: policy, Runtime: sh("sleep 30 & echo $! > " + pidFile + "; wait")}).Begin("s", evs.emit)
			out := r.At(t.Context(), toolCall)
			r.End()
			if evs.types() != "hook_started,hook_failed" {
				t.Fatalf("events %s", evs.types())
			}
			f := evs.evs[1].(event.HookFailed)
			if f.Reason.ReasonCode != "timeout" || f.Reason.TimeoutMS != 200 {
				t.Fatalf("hook_failed %+v", f)
			}
			if (policy == hook.FailClosed) != (out.Deny != nil) {
				t.Fatalf("policy %s gave denial %+v", policy, out.Deny)
			}
			if out.Deny != nil && (out.Deny.ReasonCode != hook.Timeout || !out.Deny.Failure) {
				t.Fatalf("denial %+v", out.Deny)
			}
			data, err := os.ReadFile(pidFile)
			if err != nil {
				t.Fatal(err)
			}
			var pid int
			if _, err := fmt.Sscan(strings.TrimSpace(string(data)), &pid); err != nil {
				t.Fatal(err)
			}
			// The kill is immediate; allow the kernel a moment to reap.
			deadline := time.Now().Add(5 * time.Second)
			for syscall.Kill(pid, 0) == nil {
				if time.Now().After(deadline) {
					t.Fatalf("child %d of the timed-out hook survived", pid)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

func TestHTTPHook(t *testing.T) {
	var got hook.Invocation
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.Header.Get("X-Token") != "t" || json.Unmarshal(body, &got) != nil {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		switch got.Point {
		case hook.PostToolExecution:
			w.Write([]byte(`{"decision":"allow","rewrite":{"result":{"content":"redacted","is_error":false}}}`))
		default:
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	rt := hook.RuntimeConfig{Type: "http", URL: srv.URL, Headers: map[string]string{"X-Token": "t"}}
	var evs events
	r := engine(t,
		hook.Entry{ID: "h", Point: hook.PostToolExecution, Capability: hook.Guardrail, Runtime: rt},
		hook.Entry{ID: "h2", Point: hook.RunStarted, Runtime: rt},
	).Begin("s", evs.emit)
	out := r.At(t.Context(), hook.Invocation{Point: hook.PostToolExecution,
		ToolResult: &hook.ToolResult{ToolUseID: "t1", Name: "read", Content: "secret"}})
	if out.Result == nil || out.Result.Content != "redacted" || got.ToolResult.Content != "secret" {
		t.Fatalf("outcome %+v, server saw %+v", out, got)
	}
	if out := r.At(t.Context(), hook.Invocation{Point: hook.RunStarted}); out.Deny != nil {
		t.Fatalf("observer failure denied: %+v", out.Deny)
	}
	r.End()
	if evs.types() != "hook_started,hook_completed,hook_started,hook_failed" {
		t.Fatalf("events %s", evs.types())
	}
}

func TestForegroundOrderAndDenyStops(t *testing.T) {
	var order []string
	h := func(name string, d *hook.Decision) hook.Handler {
		return func(context.Context, hook.Invocation) (*hook.Decision, error) {
			order = append(order, name)
			return d, nil
		}
	}
	deny := &hook.Decision{Decision: "deny", ReasonCode: hook.PolicyViolation, Message: "stop"}
	e, err := hook.New([]hook.Entry{
		{ID: "late", Point: hook.RunStarted, Priority: 10, Runtime: hook.RuntimeConfig{Type: "in_process", Handler: "late"}},
		{ID: "denier", Point: hook.RunStarted, Priority: 5, Capability: hook.Guardrail, Runtime: hook.RuntimeConfig{Type: "in_process", Handler: "deny"}},
		{ID: "first", Point: hook.RunStarted, Priority: -1, Runtime: hook.RuntimeConfig{Type: "in_process", Handler: "first"}},
	}, hook.Options{Handlers: map[string]hook.Handler{"late": h("late", nil), "deny": h("deny", deny), "first": h("first", nil)}})
	if err != nil {
		t.Fatal(err)
	}
	out := e.Begin("s", func(event.Event) {}).At(t.Context(), hook.Invocation{Point: hook.RunStarted})
	if strings.Join(order, ",") != "first,deny" || out.Deny == nil || out.Deny.HookID != "denier" {
		t.Fatalf("order %v, outcome %+v", order, out.Deny)
	}
	de := &hook.DeniedError{Denial: *out.Deny}
	if !strings.Contains(de.Error(), "policy_violation") {
		t.Fatal(de.Error())
	}
}

func TestBackgroundHooks(t *testing.T) {
	release := make(chan struct{})
	var evs events
	e, err := hook.New([]hook.Entry{{ID: "bg", Point: hook.TurnBoundary, Mode: hook.Background,
		Runtime: hook.RuntimeConfig{Type: "in_process", Handler: "wait"}}},
		hook.Options{Handlers: map[string]hook.Handler{"wait": func(ctx context.Context, _ hook.Invocation) (*hook.Decision, error) {
			<-release
			return nil, nil
		}}})
	if err != nil {
		t.Fatal(err)
	}
	r := e.Begin("s", evs.emit)
	for range hook.MaxBackground + 1 {
		r.At(t.Context(), hook.Invocation{Point: hook.TurnBoundary}) // never blocks
	}
	if n := strings.Count(evs.types(), "hook_started"); n != hook.MaxBackground {
		t.Fatalf("%d started, want %d: %s", n, hook.MaxBackground, evs.types())
	}
	if !strings.HasSuffix(evs.types(), "hook_failed") {
		t.Fatalf("the hook over the bound is not reported: %s", evs.types())
	}
	close(release)
	r.End()
	if n := strings.Count(evs.types(), "hook_completed"); n != hook.MaxBackground {
		t.Fatalf("%d completed: %s", n, evs.types())
	}
}

func TestConfig(t *testing.T) {
	user, project := t.TempDir(), t.TempDir()
	write := func(root, content string) {
		os.MkdirAll(filepath.Join(root, ".rkat"), 0o755)
		if err := os.WriteFile(filepath.Join(root, ".rkat", "hooks.toml"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(user, `
[[hooks]]
id = "audit"
point = "run_started"
runtime = { type = "command", command = "true" }

[[hooks]]
id = "shared"
point = "turn_boundary"
runtime = { type = "command", command = "user" }
`)
	write(project, `
[[hooks]]
id = "shared"
point = "pre_tool_execution"
capability = "guardrail"
timeout_ms = 100
runtime = { type = "http", url = "http://127.0.0.1:1/" }
`)
	layers, err := hook.LoadFiles(user, project)
	if err != nil {
		t.Fatal(err)
	}
	o, err := hook.ParseOverrides(json.RawMessage(`{"entries":[{"id":"extra","point":"run_completed","runtime":{"type":"command","command":"x"}}],"disable":["audit"]}`))
	if err != nil {
		t.Fatal(err)
	}
	merged := hook.Merge(layers, o)
	if len(merged) != 2 || merged[0].ID != "shared" || merged[0].Runtime.Type != "http" ||
		merged[0].FailurePolicy != hook.FailClosed || merged[1].ID != "extra" || merged[1].FailurePolicy != hook.FailOpen {
		t.Fatalf("merged %+v", merged)
	}
	if _, err := hook.New(merged, hook.Options{}); err != nil {
		t.Fatal(err)
	}

	bad := []struct{ name, toml, override string }{
		{"unknown key", "[[hooks]]\nid='a'\npoint='run_started'\nbogus=1\nruntime={type='command',command='x'}\n", ""},
		{"bad point", "[[hooks]]\nid='a'\npoint='sometime'\nruntime={type='command',command='x'}\n", ""},
		{"background guardrail", "[[hooks]]\nid='a'\npoint='run_started'\nmode='background'\ncapability='guardrail'\nruntime={type='command',command='x'}\n", ""},
		{"no command", "[[hooks]]\nid='a'\npoint='run_started'\nruntime={type='command'}\n", ""},
		{"bad toml", "[[hooks]\n", ""},
		{"override unknown key", "", `{"entries":[],"nope":1}`},
		{"override bad runtime", "", `{"entries":[{"id":"a","point":"run_started","runtime":{"type":"ftp"}}]}`},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			var err error
			if b.override != "" {
				_, err = hook.ParseOverrides(json.RawMessage(b.override))
			} else {
				dir := t.TempDir()
				write(dir, b.toml)
				_, err = hook.LoadFiles("", dir)
			}
			if !errors.Is(err, hook.ErrConfig) {
				t.Fatalf("err = %v, want ErrConfig", err)
			}
		})
	}
	if _, err := hook.New([]hook.Entry{{ID: "a", Point: hook.RunStarted, Runtime: hook.RuntimeConfig{Type: "in_process", Handler: "missing"}}},
		hook.Options{}); !errors.Is(err, hook.ErrConfig) {
		t.Fatalf("missing handler: %v", err)
	}
}
