package agent_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"testing"

	"github.com/rkat-dev/rkat/agent"
	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/scripted"
	"github.com/rkat-dev/rkat/tool"
	"github.com/rkat-dev/rkat/tool/builtin"
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

// BenchmarkBuiltinToolCall measures runs whose one model response asks for
// n calls of the builtin datetime tool (schema validation, dispatch, events,
// result pairing), followed by a final answer. The per-call overhead of the
// loop is (ns/op at n=8 - ns/op at n=1) / 7 minus BenchmarkDatetimeCall,
// the tool's own work.
func BenchmarkBuiltinToolCall(b *testing.B) {
	for _, n := range []int{1, 8} {
		b.Run(fmt.Sprintf("calls=%d", n), func(b *testing.B) {
			calls := strings.TrimSuffix(strings.Repeat(`{"name":"datetime","args":{"timezone":"UTC"}},`, n), ",")
			s, err := scripted.Parse([]byte(`{"rules":[{"match":"","responses":[{"tool_calls":[` + calls + `]},{"text":"done"}]}]}`))
			if err != nil {
				b.Fatal(err)
			}
			cfg := agent.Config{
				Provider: scripted.New(scripted.Config{Script: s}),
				Tools:    tool.NewSet(builtin.Datetime()),
				Emit:     func(event.Event) {},
			}
			input := []llm.Block{llm.Text("what time is it")}
			b.ReportAllocs()
			for b.Loop() {
				res, err := agent.Run(b.Context(), cfg, nil, input)
				if err != nil || res.ToolCalls != n || res.Messages[2].Content[0].IsError {
					b.Fatal(err, res.Messages[2].Content[0].Text)
				}
			}
		})
	}
}

// BenchmarkDatetimeCall is the datetime tool's own work per call.
func BenchmarkDatetimeCall(b *testing.B) {
	dt := builtin.Datetime()
	args := json.RawMessage(`{"timezone":"UTC"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dt.Call(b.Context(), args); err != nil {
			b.Fatal(err)
		}
	}
}
