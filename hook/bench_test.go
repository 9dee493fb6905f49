package hook_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/hook"
)

// BenchmarkHookAt measures the overhead one foreground hook adds at a
// point (pre_tool_execution, with a tool call in the invocation), by
// runtime: in-process no-op, HTTP (httptest on loopback) and command
// (/bin/true: fork and exec per call).
func BenchmarkHookAt(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(`{}`)) }))
	defer srv.Close()
	runtimes := []struct {
		name string
		rt   hook.RuntimeConfig
	}{
		{"in_process", hook.RuntimeConfig{Type: "in_process", Handler: "noop"}},
		{"http", hook.RuntimeConfig{Type: "http", URL: srv.URL}},
		{"command", hook.RuntimeConfig{Type: "command", Command: "/bin/true"}},
	}
	for _, r := range runtimes {
		b.Run(r.name, func(b *testing.B) {
			e, err := hook.New([]hook.Entry{{ID: "h", Point: hook.PreToolExecution, Runtime: r.rt}},
				hook.Options{Handlers: map[string]hook.Handler{"noop": func(context.Context, hook.Invocation) (*hook.Decision, error) { return nil, nil }}})
			if err != nil {
				b.Fatal(err)
			}
			run := e.Begin("s", func(event.Event) {})
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if out := run.At(ctx, toolCall); out.Deny != nil {
					b.Fatal(out.Deny)
				}
			}
			run.End()
		})
	}
}
