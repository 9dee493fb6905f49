package agent_test

import (
	"testing"

	"github.com/rkat-dev/rkat/agent"
	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/scripted"
	"github.com/rkat-dev/rkat/tool"
)

// BenchmarkTurn measures the loop's overhead for one run of one model call
// with the scripted provider's default reply (3 text deltas, no delay, no
// tools), events delivered to a no-op sink.
func BenchmarkTurn(b *testing.B) {
	var n int
	cfg := agent.Config{
		SessionID: "bench",
		Provider:  scripted.New(scripted.Config{}),
		Model:     "scripted",
		Emit:      func(event.Event) { n++ },
	}
	input := []llm.Block{llm.Text("hello, how are you today?")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := agent.Run(b.Context(), cfg, nil, input); err != nil {
			b.Fatal(err)
		}
	}
	if n == 0 {
		b.Fatal("no events")
	}
}

// BenchmarkToolTurn measures a run of two model calls with one tool call
// between them.
func BenchmarkToolTurn(b *testing.B) {
	s, err := scripted.Parse([]byte(`{"rules":[{"match":"","responses":[
		{"tool_calls":[{"name":"echo","args":{"text":"hi"}}]},{"text":"done"}]}]}`))
	if err != nil {
		b.Fatal(err)
	}
	cfg := agent.Config{
		Provider: scripted.New(scripted.Config{Script: s}),
		Tools:    tool.NewSet(echoTool()),
		Emit:     func(event.Event) {},
	}
	input := []llm.Block{llm.Text("use echo")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := agent.Run(b.Context(), cfg, nil, input); err != nil {
			b.Fatal(err)
		}
	}
}
