package anthropic_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/anthropic"
	"github.com/rkat-dev/rkat/llm/llmtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func newProvider(url string) llm.Provider {
	return anthropic.New(anthropic.Config{APIKey: "sk-ant-test", BaseURL: url})
}

func TestConformance(t *testing.T) {
	llmtest.Conformance(t, llmtest.API{
		Name: "anthropic", Model: "claude-sonnet-5-5", New: newProvider, Path: "/v1/messages", Signature: true,
		TextUsage:  llm.Usage{InputTokens: 19, OutputTokens: 12},
		CacheUsage: llm.Usage{InputTokens: 12, OutputTokens: 5, CacheCreationTokens: 2048, CacheReadTokens: 10240},
		RetryAfter: 7 * time.Second,
	})
}

func TestOverloaded(t *testing.T) {
	srv := llmtest.NewServer(t, "anthropic/529")
	_, err := llmtest.Collect(context.Background(), newProvider(srv.URL()), &llm.Request{Model: "m"})
	if e, ok := llm.AsError(err); !ok || e.Kind != llm.KindRetryable || e.Status != 529 || e.Message != "Overloaded" {
		t.Fatalf("err = %v", err)
	}
}

// history is a conversation exercising every block kind.
var history = []llm.Message{
	{Role: llm.RoleUser, Content: []llm.Block{llm.Text("What is in this image?"), {Type: llm.BlockImage, MediaType: "image/png", Data: "iVBORw0KGgo="}}},
	{Role: llm.RoleAssistant, Content: []llm.Block{
		{Type: llm.BlockReasoning, Text: "Look it up.", Signature: "sig-1"},
		{Type: llm.BlockReasoning, Data: "redacted-1"},
		{Type: llm.BlockReasoning, Text: "no signature, dropped"},
		llm.Text("Checking."),
		{Type: llm.BlockToolUse, ID: "toolu_1", Name: "lookup", Args: json.RawMessage(`{"q":"cat"}`)},
		{Type: llm.BlockToolUse, ID: "toolu_2", Name: "lookup", Args: json.RawMessage(`{"q":`)},
	}},
	{Role: llm.RoleUser, Content: []llm.Block{
		{Type: llm.BlockToolResult, ID: "toolu_1", Text: "a cat"},
		{Type: llm.BlockToolResult, ID: "toolu_2", Text: "invalid arguments", IsError: true},
	}},
}

func TestRequestWire(t *testing.T) {
	srv := llmtest.NewServer(t, "anthropic/text")
	req := &llm.Request{
		Model: "claude-sonnet-5-5", System: "Be brief.", Messages: history, MaxTokens: 2048,
		Tools:          []llm.ToolDef{{Name: "lookup", Description: "Look up", InputSchema: json.RawMessage(`{"type":"object","properties":{"q":{"type":"string"}}}`)}},
		ProviderParams: map[string]json.RawMessage{"temperature": json.RawMessage(`0.5`)},
	}
	if _, err := llmtest.Collect(context.Background(), newProvider(srv.URL()), req); err != nil {
		t.Fatal(err)
	}
	got := srv.Requests()[0]
	if got.Header.Get("x-api-key") != "sk-ant-test" || got.Header.Get("anthropic-version") != anthropic.APIVersion {
		t.Fatalf("headers %v", got.Header)
	}
	want := `{"model":"claude-sonnet-5-5","max_tokens":2048,"system":"Be brief.","messages":[
	 {"role":"user","content":[{"type":"text","text":"What is in this image?"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]},
	 {"role":"assistant","content":[{"type":"thinking","thinking":"Look it up.","signature":"sig-1"},{"type":"redacted_thinking","data":"redacted-1"},{"type":"text","text":"Checking."},
	   {"type":"tool_use","id":"toolu_1","name":"lookup","input":{"q":"cat"}},{"type":"tool_use","id":"toolu_2","name":"lookup","input":{}}]},
	 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"a cat"},{"type":"tool_result","tool_use_id":"toolu_2","content":"invalid arguments","is_error":true}]}],
	 "tools":[{"name":"lookup","description":"Look up","input_schema":{"type":"object","properties":{"q":{"type":"string"}}}}],
	 "stream":true,"temperature":0.5}`
	if !llmtest.JSONEqual(got.Body, []byte(want)) {
		t.Fatalf("body:\n%s", got.Body)
	}
}

func TestProviderParams(t *testing.T) {
	tests := []struct {
		name   string
		params string
		max    int
		ok     bool
	}{
		{"thinking ok", `{"thinking":{"type":"enabled","budget_tokens":2048}}`, 4096, true},
		{"thinking over max_tokens", `{"thinking":{"type":"enabled","budget_tokens":4096}}`, 4096, false},
		{"thinking too small", `{"thinking":{"type":"enabled","budget_tokens":100}}`, 4096, false},
		{"thinking without budget", `{"thinking":{"type":"enabled"}}`, 4096, false},
		{"adaptive", `{"thinking":{"type":"adaptive"}}`, 0, true},
		{"bad thinking type", `{"thinking":{"type":"sometimes"}}`, 0, false},
		{"temperature type", `{"temperature":"hot"}`, 0, false},
		{"temperature range", `{"temperature":1.5}`, 0, false},
		{"reserved", `{"model":"other"}`, 0, false},
		{"pass-through", `{"output_config":{"effort":"low"}}`, 0, true},
	}
	for _, tt := range tests {
		var params map[string]json.RawMessage
		if err := json.Unmarshal([]byte(tt.params), &params); err != nil {
			t.Fatal(err)
		}
		body, err := anthropic.EncodeRequest(&llm.Request{Model: "m", MaxTokens: tt.max, ProviderParams: params})
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v", tt.name, err)
			continue
		}
		if err != nil {
			if e, ok := llm.AsError(err); !ok || e.Kind != llm.KindInvalid {
				t.Errorf("%s: error %v is not invalid_request", tt.name, err)
			}
			continue
		}
		if !json.Valid(body) {
			t.Errorf("%s: invalid body %s", tt.name, body)
		}
	}
}

// The echoing fake answers in the Messages stream format with the system
// prompt and every user text of the conversation, and refuses what the API
// would refuse.
func TestEchoFake(t *testing.T) {
	srv := llmtest.NewAnthropicEcho(t)
	req := &llm.Request{Model: "claude-sonnet-9-9", System: "Be brief.", MaxTokens: 100, Messages: []llm.Message{
		llm.UserText("My name is Ada."), {Role: llm.RoleAssistant, Content: []llm.Block{llm.Text("Hi Ada.")}},
		llm.UserText("What is my name?"),
	}}
	res, err := llmtest.Collect(context.Background(), newProvider(srv.URL()), req)
	if err != nil || res.Text != "echo: Be brief. My name is Ada. What is my name?" || res.Stop != llm.StopEndTurn || res.Usage.OutputTokens == 0 {
		t.Fatalf("echo = %+v, %v", res, err)
	}
	keyless := anthropic.New(anthropic.Config{BaseURL: srv.URL()})
	if _, err := llmtest.Collect(context.Background(), keyless, req); err == nil {
		t.Fatal("a request without an API key was answered")
	}
	if got := srv.Requests(); len(got) != 2 || got[0].Path != "/v1/messages" {
		t.Fatalf("requests %+v", got)
	}
}

// An image in a tool result goes inside the tool_result block.
func TestToolResultImages(t *testing.T) {
	srv := llmtest.NewServer(t, "anthropic/text")
	msgs := []llm.Message{
		llm.UserText("Show the logo."),
		{Role: llm.RoleAssistant, Content: []llm.Block{{Type: llm.BlockToolUse, ID: "toolu_1", Name: "logo", Args: json.RawMessage(`{}`)}}},
		{Role: llm.RoleUser, Content: []llm.Block{{Type: llm.BlockToolResult, ID: "toolu_1", Text: "the logo:\n[image omitted]",
			Images: []llm.Block{{Type: llm.BlockImage, MediaType: "image/png", Data: "iVBORw0KGgo="}}}}},
	}
	if _, err := llmtest.Collect(context.Background(), newProvider(srv.URL()), &llm.Request{Model: "m", Messages: msgs, MaxTokens: 10}); err != nil {
		t.Fatal(err)
	}
	want := `{"model":"m","max_tokens":10,"stream":true,"messages":[
	 {"role":"user","content":[{"type":"text","text":"Show the logo."}]},
	 {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"logo","input":{}}]},
	 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"the logo:\n[image omitted]"},
	   {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}]}]}`
	if got := srv.Requests()[0].Body; !llmtest.JSONEqual(got, []byte(want)) {
		t.Fatalf("body:\n%s", got)
	}
}
