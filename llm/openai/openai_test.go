package openai_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/llmtest"
	"github.com/rkat-dev/rkat/llm/openai"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func newResponses(url string) llm.Provider {
	return openai.New(openai.Config{APIKey: "sk-test", BaseURL: url + "/v1"})
}

func newChat(url string) llm.Provider {
	return openai.NewChat(openai.Config{BaseURL: url + "/v1"})
}

func TestResponsesConformance(t *testing.T) {
	llmtest.Conformance(t, llmtest.API{
		Name: "openai", Model: "gpt-5.5", New: newResponses, Path: "/v1/responses", Signature: true,
		TextUsage:  llm.Usage{InputTokens: 19, OutputTokens: 12},
		CacheUsage: llm.Usage{InputTokens: 2060, OutputTokens: 5, CacheReadTokens: 10240},
		RetryAfter: 1500 * time.Millisecond,
	})
}

func TestChatConformance(t *testing.T) {
	llmtest.Conformance(t, llmtest.API{
		Name: "chat", Model: "qwen3:8b", New: newChat, Path: "/v1/chat/completions",
		TextUsage:  llm.Usage{InputTokens: 19, OutputTokens: 12},
		CacheUsage: llm.Usage{InputTokens: 2060, OutputTokens: 5, CacheReadTokens: 10240},
		RetryAfter: -1, // an HTTP date: any positive wait
	})
}

var history = []llm.Message{
	{Role: llm.RoleUser, Content: []llm.Block{llm.Text("What is in this image?"), {Type: llm.BlockImage, MediaType: "image/png", Data: "iVBORw0KGgo="}}},
	{Role: llm.RoleAssistant, Content: []llm.Block{
		{Type: llm.BlockReasoning, Text: "Look it up.", Signature: "rs_1:gAAAenc"},
		{Type: llm.BlockReasoning, Text: "foreign", Signature: "anthropic-sig"},
		llm.Text("Checking."),
		{Type: llm.BlockToolUse, ID: "call_1", Name: "lookup", Args: json.RawMessage(`{"q":"cat"}`)},
		{Type: llm.BlockToolUse, ID: "call_2", Name: "lookup"},
	}},
	{Role: llm.RoleUser, Content: []llm.Block{
		{Type: llm.BlockToolResult, ID: "call_1", Text: "a cat"},
		{Type: llm.BlockToolResult, ID: "call_2", Text: "bad args", IsError: true},
		llm.Text("Thanks"),
	}},
}

var tools = []llm.ToolDef{{Name: "lookup", Description: "Look up", InputSchema: json.RawMessage(`{"type":"object"}`)}}

func TestResponsesRequestWire(t *testing.T) {
	srv := llmtest.NewServer(t, "openai/text")
	req := &llm.Request{Model: "gpt-5.5", System: "Be brief.", Messages: history, Tools: tools, MaxTokens: 1000,
		ProviderParams: map[string]json.RawMessage{"reasoning_effort": json.RawMessage(`"low"`)}}
	if _, err := llmtest.Collect(context.Background(), newResponses(srv.URL()), req); err != nil {
		t.Fatal(err)
	}
	got := srv.Requests()[0]
	if got.Header.Get("Authorization") != "Bearer sk-test" {
		t.Fatalf("headers %v", got.Header)
	}
	want := `{"model":"gpt-5.5","instructions":"Be brief.","input":[
	  {"type":"message","role":"user","content":[{"type":"input_text","text":"What is in this image?"},{"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo="}]},
	  {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Look it up."}],"encrypted_content":"gAAAenc"},
	  {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
	  {"type":"function_call","call_id":"call_1","name":"lookup","arguments":"{\"q\":\"cat\"}"},
	  {"type":"function_call","call_id":"call_2","name":"lookup","arguments":"{}"},
	  {"type":"function_call_output","call_id":"call_1","output":"a cat"},
	  {"type":"function_call_output","call_id":"call_2","output":"bad args"},
	  {"type":"message","role":"user","content":[{"type":"input_text","text":"Thanks"}]}],
	 "tools":[{"type":"function","name":"lookup","description":"Look up","parameters":{"type":"object"},"strict":false}],
	 "max_output_tokens":1000,"stream":true,"store":false,"include":["reasoning.encrypted_content"],
	 "reasoning":{"effort":"low","summary":"auto"}}`
	if !llmtest.JSONEqual(got.Body, []byte(want)) {
		t.Fatalf("body:\n%s", got.Body)
	}
}

func TestChatRequestWire(t *testing.T) {
	srv := llmtest.NewServer(t, "chat/text")
	req := &llm.Request{Model: "qwen3:8b", System: "Be brief.", Messages: history, Tools: tools,
		ProviderParams: map[string]json.RawMessage{"temperature": json.RawMessage(`0.2`)}}
	if _, err := llmtest.Collect(context.Background(), newChat(srv.URL()), req); err != nil {
		t.Fatal(err)
	}
	got := srv.Requests()[0]
	if got.Header.Get("Authorization") != "" {
		t.Fatalf("keyless server got Authorization %q", got.Header.Get("Authorization"))
	}
	want := `{"model":"qwen3:8b","messages":[
	  {"role":"system","content":"Be brief."},
	  {"role":"user","content":[{"type":"text","text":"What is in this image?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
	  {"role":"assistant","content":"Checking.","tool_calls":[
	    {"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"q\":\"cat\"}"}},
	    {"id":"call_2","type":"function","function":{"name":"lookup","arguments":"{}"}}]},
	  {"role":"tool","content":"a cat","tool_call_id":"call_1"},
	  {"role":"tool","content":"bad args","tool_call_id":"call_2"},
	  {"role":"user","content":"Thanks"}],
	 "tools":[{"type":"function","function":{"name":"lookup","description":"Look up","parameters":{"type":"object"}}}],
	 "stream":true,"stream_options":{"include_usage":true},"temperature":0.2}`
	if !llmtest.JSONEqual(got.Body, []byte(want)) {
		t.Fatalf("body:\n%s", got.Body)
	}
}

func TestProviderParams(t *testing.T) {
	tests := []struct {
		name   string
		chat   bool
		params string
		ok     bool
	}{
		{"effort shorthand", false, `{"reasoning_effort":"high"}`, true},
		{"effort bad", false, `{"reasoning_effort":"max"}`, false},
		{"effort and reasoning", false, `{"reasoning_effort":"high","reasoning":{"effort":"low"}}`, false},
		{"reasoning object", false, `{"reasoning":{"effort":"minimal","summary":"detailed"}}`, true},
		{"temperature string", false, `{"temperature":"1"}`, false},
		{"temperature range", false, `{"temperature":2.5}`, false},
		{"reserved input", false, `{"input":[]}`, false},
		{"store override", false, `{"store":true}`, true},
		{"chat effort", true, `{"reasoning_effort":"medium"}`, true},
		{"chat reserved", true, `{"stream":false}`, false},
		{"chat top_p", true, `{"top_p":1.2}`, false},
		{"chat pass-through", true, `{"num_ctx":8192}`, true},
	}
	for _, tt := range tests {
		var params map[string]json.RawMessage
		if err := json.Unmarshal([]byte(tt.params), &params); err != nil {
			t.Fatal(err)
		}
		fixture, newP := "openai/text", newResponses
		if tt.chat {
			fixture, newP = "chat/text", newChat
		}
		srv := llmtest.NewServer(t, fixture)
		p := newP(srv.URL())
		_, err := llmtest.Collect(context.Background(), p, &llm.Request{Model: "m", ProviderParams: params})
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v", tt.name, err)
			continue
		}
		if err != nil {
			if e, ok := llm.AsError(err); !ok || e.Kind != llm.KindInvalid || len(srv.Requests()) != 0 {
				t.Errorf("%s: error %v, %d requests sent", tt.name, err, len(srv.Requests()))
			}
		}
	}
}

// TestCutToolCall: a call cut off by the output limit is never completed.
func TestCutToolCall(t *testing.T) {
	for _, tt := range []struct {
		fixture string
		newP    func(string) llm.Provider
	}{{"openai/cut_tool", newResponses}, {"chat/cut_tool", newChat}} {
		srv := llmtest.NewServer(t, tt.fixture)
		r, err := llmtest.Collect(context.Background(), tt.newP(srv.URL()), &llm.Request{Model: "m"})
		if err != nil || len(r.Calls) != 0 || r.Stop != llm.StopMaxTokens {
			t.Errorf("%s: %+v, %v", tt.fixture, r, err)
		}
	}
}

// An image in a tool result goes into the function_call_output's parts.
func TestResponsesToolResultImages(t *testing.T) {
	srv := llmtest.NewServer(t, "openai/text")
	msgs := []llm.Message{
		llm.UserText("Show the logo."),
		{Role: llm.RoleAssistant, Content: []llm.Block{{Type: llm.BlockToolUse, ID: "call_1", Name: "logo", Args: json.RawMessage(`{}`)}}},
		{Role: llm.RoleUser, Content: []llm.Block{{Type: llm.BlockToolResult, ID: "call_1", Text: "the logo:",
			Images: []llm.Block{{Type: llm.BlockImage, MediaType: "image/png", Data: "iVBORw0KGgo="}}}}},
	}
	if _, err := llmtest.Collect(context.Background(), newResponses(srv.URL()), &llm.Request{Model: "gpt-5.5", Messages: msgs}); err != nil {
		t.Fatal(err)
	}
	var body struct{ Input []json.RawMessage }
	if err := json.Unmarshal(srv.Requests()[0].Body, &body); err != nil || len(body.Input) != 3 {
		t.Fatalf("body %s: %v", srv.Requests()[0].Body, err)
	}
	want := `{"type":"function_call_output","call_id":"call_1","output":[{"type":"input_text","text":"the logo:"},
	  {"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo="}]}`
	if !llmtest.JSONEqual(body.Input[2], []byte(want)) {
		t.Fatalf("tool output item:\n%s", body.Input[2])
	}
}
