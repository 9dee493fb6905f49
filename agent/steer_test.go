package agent_test

import (
	"testing"

	"github.com/rkat-dev/rkat/llm"
)

// TestSteer: input handed over by Config.Steer after a tool batch becomes
// a user message right after the tool results, before the next model
// call, and the model answers it.
func TestSteer(t *testing.T) {
	script := `{"rules":[
		{"match":"work","responses":[{"tool_calls":[{"name":"echo","args":{"text":"a"}}]},{"text":"finished the work"}]},
		{"match":"change of plan","responses":[{"text":"switched plans"}]}]}`
	cfg := newConfig(t, script, &recorder{}, echoTool())
	calls := 0
	cfg.Steer = func() []llm.Block {
		calls++
		if calls == 1 {
			return []llm.Block{llm.Text("change of plan")}
		}
		return nil
	}
	res, err := run(t.Context(), cfg, "please work")
	if err != nil {
		t.Fatal(err)
	}
	// prompt, tool call, tool results, steered input (its own user message,
	// which providers take as part of the same user turn), answer
	if len(res.Messages) != 5 || res.Messages[3].Role != llm.RoleUser || res.Messages[3].PlainText() != "change of plan" ||
		res.Text != "switched plans" || calls != 1 {
		t.Fatalf("steer calls %d, text %q, messages %+v", calls, res.Text, res.Messages)
	}
}
