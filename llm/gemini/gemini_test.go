package gemini_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/gemini"
	"github.com/rkat-dev/rkat/llm/llmtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func newProvider(url string) llm.Provider {
	return gemini.New(gemini.Config{APIKey: "AIza-test", BaseURL: url})
}

func TestConformance(t *testing.T) {
	llmtest.Conformance(t, llmtest.API{
		Name: "gemini", Model: "gemini-3.1-pro-preview", New: newProvider, Signature: true,
		Path:       "/v1beta/models/gemini-3.1-pro-preview:streamGenerateContent?alt=sse",
		TextUsage:  llm.Usage{InputTokens: 19, OutputTokens: 12},
		CacheUsage: llm.Usage{InputTokens: 2060, OutputTokens: 5, CacheReadTokens: 10240},
		RetryAfter: 31 * time.Second,
	})
}

func TestCallIDs(t *testing.T) {
	srv := llmtest.NewServer(t, "gemini/parallel_tools", "gemini/split_args")
	r, err := llmtest.Collect(context.Background(), newProvider(srv.URL()), &llm.Request{Model: "m"})
	if err != nil || len(r.Calls) != 2 || !strings.HasPrefix(r.Calls[0].ID, "rkat_call_") || r.Calls[0].ID == r.Calls[1].ID {
		t.Fatalf("made-up ids: %+v, %v", r.Calls, err)
	}
	r, err = llmtest.Collect(context.Background(), newProvider(srv.URL()), &llm.Request{Model: "m"})
	if err != nil || len(r.Calls) != 1 || r.Calls[0].ID != "fc-7Yh2" || r.Stop != llm.StopToolUse {
		t.Fatalf("api id: %+v, %v", r, err)
	}
}

func TestRequestWire(t *testing.T) {
	srv := llmtest.NewServer(t, "gemini/text")
	history := []llm.Message{
		{Role: llm.RoleUser, Content: []llm.Block{llm.Text("What is in this image?"), {Type: llm.BlockImage, MediaType: "image/png", Data: "iVBORw0KGgo="}}},
		{Role: llm.RoleAssistant, Content: []llm.Block{
			{Type: llm.BlockReasoning, Text: "thoughts are not sent back", Signature: "sig-1"},
			{Type: llm.BlockToolUse, ID: "rkat_call_1", Name: "lookup", Args: json.RawMessage(`{"q":"cat"}`)},
			{Type: llm.BlockToolUse, ID: "fc-2", Name: "lookup", Args: json.RawMessage(`not json`)},
		}},
		{Role: llm.RoleUser, Content: []llm.Block{
			{Type: llm.BlockToolResult, ID: "rkat_call_1", Text: "a cat"},
			{Type: llm.BlockToolResult, ID: "fc-2", Text: "bad args", IsError: true},
		}},
	}
	req := &llm.Request{Model: "models/gemini-3.1-pro-preview", System: "Be brief.", Messages: history, MaxTokens: 512,
		Tools: []llm.ToolDef{{Name: "lookup", Description: "Look up", InputSchema: json.RawMessage(`{"type":"object"}`)}},
		ProviderParams: map[string]json.RawMessage{
			"temperature":    json.RawMessage(`0.3`),
			"thinkingConfig": json.RawMessage(`{"includeThoughts":true}`),
			"safetySettings": json.RawMessage(`[]`),
		}}
	if _, err := llmtest.Collect(context.Background(), newProvider(srv.URL()), req); err != nil {
		t.Fatal(err)
	}
	got := srv.Requests()[0]
	if got.Header.Get("x-goog-api-key") != "AIza-test" || !strings.HasPrefix(got.Path, "/v1beta/models/gemini-3.1-pro-preview:") {
		t.Fatalf("path %s headers %v", got.Path, got.Header)
	}
	want := `{"contents":[
	  {"role":"user","parts":[{"text":"What is in this image?"},{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]},
	  {"role":"model","parts":[{"functionCall":{"name":"lookup","args":{"q":"cat"}},"thoughtSignature":"sig-1"},
	    {"functionCall":{"id":"fc-2","name":"lookup","args":{}}}]},
	  {"role":"user","parts":[{"functionResponse":{"name":"lookup","response":{"result":"a cat"}}},
	    {"functionResponse":{"id":"fc-2","name":"lookup","response":{"error":"bad args"}}}]}],
	 "systemInstruction":{"parts":[{"text":"Be brief."}]},
	 "tools":[{"functionDeclarations":[{"name":"lookup","description":"Look up","parameters":{"type":"object"}}]}],
	 "generationConfig":{"maxOutputTokens":512,"temperature":0.3,"thinkingConfig":{"includeThoughts":true}},
	 "safetySettings":[]}`
	if !llmtest.JSONEqual(got.Body, []byte(want)) {
		t.Fatalf("body:\n%s", got.Body)
	}
}

func TestProviderParams(t *testing.T) {
	tests := []struct {
		params string
		ok     bool
	}{
		{`{"generationConfig":{"topK":40}}`, true},
		{`{"generationConfig":{"topK":40},"topK":3}`, false},
		{`{"generationConfig":[1]}`, false},
		{`{"temperature":3}`, false},
		{`{"thinkingConfig":{"thinkingLevel":"extreme"}}`, false},
		{`{"thinkingConfig":{"thinkingBudget":1024}}`, true},
		{`{"contents":[]}`, false},
		{`{"maxOutputTokens":5}`, false},
	}
	for _, tt := range tests {
		var params map[string]json.RawMessage
		if err := json.Unmarshal([]byte(tt.params), &params); err != nil {
			t.Fatal(err)
		}
		_, err := gemini.EncodeRequest(&llm.Request{Model: "m", ProviderParams: params})
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v", tt.params, err)
		}
	}
}

// An image in a tool result goes into the functionResponse's parts.
func TestToolResultImages(t *testing.T) {
	srv := llmtest.NewServer(t, "gemini/text")
	msgs := []llm.Message{
		llm.UserText("Show the logo."),
		{Role: llm.RoleAssistant, Content: []llm.Block{{Type: llm.BlockToolUse, ID: "fc-1", Name: "logo", Args: json.RawMessage(`{}`)}}},
		{Role: llm.RoleUser, Content: []llm.Block{{Type: llm.BlockToolResult, ID: "fc-1", Text: "the logo:",
			Images: []llm.Block{{Type: llm.BlockImage, MediaType: "image/png", Data: "iVBORw0KGgo="}}}}},
	}
	if _, err := llmtest.Collect(context.Background(), newProvider(srv.URL()), &llm.Request{Model: "gemini-3.1-pro-preview", Messages: msgs}); err != nil {
		t.Fatal(err)
	}
	var body struct{ Contents []json.RawMessage }
	if err := json.Unmarshal(srv.Requests()[0].Body, &body); err != nil || len(body.Contents) != 3 {
		t.Fatalf("body %s: %v", srv.Requests()[0].Body, err)
	}
	want := `{"role":"user","parts":[{"functionResponse":{"id":"fc-1","name":"logo","response":{"result":"the logo:"},
	  "parts":[{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]}}]}`
	if !llmtest.JSONEqual(body.Contents[2], []byte(want)) {
		t.Fatalf("tool result content:\n%s", body.Contents[2])
	}
}
