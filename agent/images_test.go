package agent_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
)

// A tool's image blocks ride on its tool_result block (for providers that
// accept images in tool results) while the text names them.
func TestToolResultKeepsImages(t *testing.T) {
	img := llm.Block{Type: llm.BlockImage, MediaType: "image/png", Data: "iVBORw0KGgo="}
	logo := tool.Func{
		Definition: llm.ToolDef{Name: "logo", InputSchema: json.RawMessage(`{"type":"object"}`)},
		Fn: func(context.Context, json.RawMessage) (tool.Result, error) {
			return tool.Result{Content: []llm.Block{llm.Text("the logo:"), img}}, nil
		},
	}
	rec := &recorder{}
	cfg := newConfig(t, `{"rules":[{"match":"","responses":[{"tool_calls":[{"name":"logo","args":{}}]},{"text":"seen"}]}]}`, rec, logo)
	res, err := run(context.Background(), cfg, "show the logo")
	if err != nil {
		t.Fatal(err)
	}
	var result *llm.Block
	for _, m := range res.Messages {
		for i, b := range m.Content {
			if b.Type == llm.BlockToolResult {
				result = &m.Content[i]
			}
		}
	}
	if result == nil || result.Text != "the logo:\n[image omitted]" || len(result.Images) != 1 || result.Images[0].Data != img.Data || result.Images[0].MediaType != img.MediaType {
		t.Fatalf("tool_result = %+v", result)
	}
}
