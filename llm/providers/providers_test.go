package providers_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/agent"
	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/llmtest"
	"github.com/rkat-dev/rkat/llm/providers"
	"github.com/rkat-dev/rkat/tool"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestResolve(t *testing.T) {
	file := providers.File{Providers: map[string]providers.ProviderConfig{"openai": {APIKeyEnv: "MY_OPENAI"}}}
	file.SelfHosted.Servers = map[string]providers.ServerConfig{"box": {BaseURL: "http://127.0.0.1:1/v1", Models: []string{"qwen3:8b"}}}
	r, err := providers.New(providers.Config{File: file, Getenv: env(map[string]string{
		"ANTHROPIC_API_KEY": "a", "MY_OPENAI": "o", "GOOGLE_API_KEY": "g",
	})})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		provider, model string
		wantProvider    string
		wantModel       string
		wantErr         string
	}{
		{"", "", "anthropic", "claude-opus-5", ""},
		{"openai", "", "openai", "gpt-5.6-sol", ""},
		{"", "gemini-3.1-pro-preview", "gemini", "gemini-3.1-pro-preview", ""},
		{"anthropic", "claude-sonnet-9-9", "anthropic", "claude-sonnet-9-9", ""}, // uncatalogued, explicit provider
		{"", "claude-sonnet-9-9", "", "", "unknown model"},
		{"self_hosted", "llama-9", "", "", "unknown model"},
		{"nope", "llama-9", "", "", "unknown provider"},
		{"", "qwen3:8b", "self_hosted", "qwen3:8b", ""},
		{"self_hosted", "", "self_hosted", "qwen3:8b", ""},
		{"", "scripted", "scripted", "scripted", ""},
		{"scripted", "", "scripted", "scripted", ""},
		{"", "gpt-5.4-mino", "", "", "did you mean gpt-5.4-mini"},
		{"anthropic", "gpt-5.5", "", "", "served by openai"},
		{"nope", "", "", "", "unknown provider"},
	}
	for _, tt := range tests {
		p, m, err := r.Resolve(tt.provider, tt.model)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Resolve(%q, %q) error = %v, want %q", tt.provider, tt.model, err, tt.wantErr)
			}
			continue
		}
		if err != nil || p.Name() != tt.wantProvider || m.ID != tt.wantModel || m.Provider != tt.wantProvider ||
			m.Uncatalogued != (tt.model == "claude-sonnet-9-9") {
			t.Errorf("Resolve(%q, %q) = %v %+v %v", tt.provider, tt.model, p, m, err)
		}
	}
}

func TestResolveWithoutKeys(t *testing.T) {
	r, err := providers.New(providers.Config{Getenv: env(map[string]string{"GEMINI_API_KEY": "g"})})
	if err != nil {
		t.Fatal(err)
	}
	var mk *providers.MissingKeyError
	if _, _, err := r.Resolve("", "claude-haiku-4-5"); !errors.As(err, &mk) || !strings.Contains(err.Error(), "RKAT_ANTHROPIC_API_KEY or ANTHROPIC_API_KEY") {
		t.Fatalf("missing key error = %v", err)
	}
	if p, m, err := r.Resolve("", ""); err != nil || p.Name() != "gemini" || m.ID != "gemini-3.5-flash" {
		t.Fatalf("first usable = %v %+v %v", p, m, err)
	}
	none, _ := providers.New(providers.Config{})
	if _, _, err := none.Resolve("", ""); !errors.Is(err, providers.ErrNoProvider) {
		t.Fatalf("no keys = %v", err)
	}
	forced, _ := providers.New(providers.Config{Getenv: env(map[string]string{"RKAT_TEST_CLIENT": "1"})})
	if p, _, err := forced.Resolve("", "claude-haiku-4-5"); err != nil || p.Name() != "scripted" {
		t.Fatalf("RKAT_TEST_CLIENT=1 resolved %v, %v", p, err)
	}
}

func TestIsKeyVar(t *testing.T) {
	for name, want := range map[string]bool{
		"ANTHROPIC_API_KEY": true, "RKAT_OPENAI_API_KEY": true, "GOOGLE_API_KEY": true, "RKAT_GEMINI_API_KEY": true,
		"OPENAI_BASE_URL": false, "MY_ANTHROPIC_KEY": false, "PATH": false, "": false,
	} {
		if got := providers.IsKeyVar(name); got != want {
			t.Errorf("IsKeyVar(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestLoadFiles(t *testing.T) {
	dir := t.TempDir()
	home, project := filepath.Join(dir, "home"), filepath.Join(dir, "project")
	write := func(root, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(root, ".rkat"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, ".rkat", "config.toml"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(home, `
[providers.anthropic]
base_url = "https://proxy.example/anthropic"
api_key_env = "HOME_KEY"
[self_hosted.servers.ollama]
base_url = "http://127.0.0.1:11434/v1"
models = ["qwen3:8b"]
[agent]
unrelated = true
`)
	write(project, `
[providers.anthropic]
api_key_env = "PROJECT_KEY"
[self_hosted.servers.vllm]
base_url = "http://127.0.0.1:8000/v1"
api_key_env = "VLLM_KEY"
models = ["llama-3.3-70b"]
[scripted]
script = "script.json"
`)
	f, err := providers.LoadFiles(append(providers.ConfigPaths(home, project), filepath.Join(dir, "missing.toml"))...)
	if err != nil {
		t.Fatal(err)
	}
	a := f.Providers["anthropic"]
	if a.BaseURL != "https://proxy.example/anthropic" || a.APIKeyEnv != "PROJECT_KEY" || len(f.SelfHosted.Servers) != 2 ||
		f.SelfHosted.Servers["vllm"].APIKeyEnv != "VLLM_KEY" || f.Scripted.Script != filepath.Join(project, ".rkat", "script.json") {
		t.Fatalf("merged config %+v", f)
	}
	write(project, "[providers\n")
	if _, err := providers.LoadFiles(providers.ConfigPaths(home, project)...); err == nil {
		t.Fatal("broken TOML accepted")
	}
}

// loopCase drives one API through the agent loop.
type loopCase struct {
	api      string
	model    string
	env      func(url string) map[string]string
	file     func(url string) providers.File
	turnsUse llm.Usage // usage of tool_call + text fixtures
}

func TestAgentLoop(t *testing.T) {
	cases := []loopCase{
		{api: "anthropic", model: "claude-sonnet-4-6",
			env: func(u string) map[string]string {
				return map[string]string{"RKAT_ANTHROPIC_API_KEY": "k", "ANTHROPIC_BASE_URL": u}
			},
			turnsUse: llm.Usage{InputTokens: 380 + 19, OutputTokens: 89 + 12}},
		{api: "openai", model: "gpt-5.5",
			env: func(u string) map[string]string {
				return map[string]string{"OPENAI_API_KEY": "k", "RKAT_OPENAI_BASE_URL": u + "/v1"}
			},
			turnsUse: llm.Usage{InputTokens: 380 + 19, OutputTokens: 20 + 12}},
		{api: "gemini", model: "gemini-3.1-pro-preview",
			env: func(u string) map[string]string {
				return map[string]string{"GOOGLE_API_KEY": "k", "GEMINI_BASE_URL": u}
			},
			turnsUse: llm.Usage{InputTokens: 380 + 19, OutputTokens: 20 + 12}},
		{api: "chat", model: "qwen3:8b",
			env: func(string) map[string]string { return nil },
			file: func(u string) providers.File {
				var f providers.File
				f.SelfHosted.Servers = map[string]providers.ServerConfig{"ollama": {BaseURL: u + "/v1", Models: []string{"qwen3:8b"}}}
				return f
			},
			turnsUse: llm.Usage{InputTokens: 380 + 19, OutputTokens: 20 + 12}},
	}
	for _, tc := range cases {
		t.Run(tc.api, func(t *testing.T) { runLoop(t, tc, "tool_call") })
	}
	// Reasoning comes back to the API as it was given: each block with its
	// own signature, encrypted blocks untouched, and a signature that came on
	// a function call on that call.
	keeps := map[string]string{
		"anthropic": `[{"type":"thinking","thinking":"The user wants the weather.","signature":"sig-first"},
			{"type":"redacted_thinking","data":"EmwKAhgBEgyRedactedPayload=="},
			{"type":"thinking","thinking":"Call get_weather for Paris.","signature":"sig-second"},
			{"type":"text","text":"I'll check the weather."},
			{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up7","name":"get_weather","input":{"location":"Paris, FR"}}]`,
		"openai": `[{"type":"reasoning","id":"rs_68af4031aaaa","summary":[{"type":"summary_text","text":"Weather question."}],"encrypted_content":"gAAAAABfirstBlob=="},
			{"type":"reasoning","id":"rs_68af4031bbbb","summary":[{"type":"summary_text","text":"Use get_weather."}],"encrypted_content":"gAAAAABsecondBlob=="},
			{"type":"function_call","call_id":"call_Qx3k9Jd2wY","name":"get_weather","arguments":"{\"location\":\"Paris, FR\"}"}]`,
		"gemini": `[{"text":"I'll check the weather."},
			{"functionCall":{"name":"get_weather","args":{"location":"Paris, FR"}},"thoughtSignature":"CiQB0e2KbCallSig=="}]`,
	}
	for _, tc := range cases {
		want, ok := keeps[tc.api]
		if !ok {
			continue
		}
		t.Run(tc.api+"/reasoning", func(t *testing.T) {
			second := runLoop(t, tc, "reasoning_tool")
			if got := modelTurn(t, tc.api, second); !llmtest.JSONEqual(got, []byte(want)) {
				t.Errorf("the model's turn went back as\n%s", got)
			}
		})
	}
}

// modelTurn extracts from a request body what the model said in the
// previous call: the assistant message's content (Anthropic), the items
// between the user's input and the tool output (OpenAI Responses), or the
// model content's parts (Gemini).
func modelTurn(t *testing.T, api string, body []byte) []byte {
	t.Helper()
	var req struct {
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
		Input    []json.RawMessage `json:"input"`
		Contents []struct {
			Role  string          `json:"role"`
			Parts json.RawMessage `json:"parts"`
		} `json:"contents"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		t.Fatalf("request body: %v", err)
	}
	switch api {
	case "anthropic":
		for _, m := range req.Messages {
			if m.Role == "assistant" {
				return m.Content
			}
		}
	case "openai":
		var turn []json.RawMessage
		for _, item := range req.Input {
			var head struct{ Type, Role string }
			_ = json.Unmarshal(item, &head)
			if head.Type == "reasoning" || head.Type == "function_call" {
				turn = append(turn, item)
			}
		}
		out, _ := json.Marshal(turn)
		return out
	case "gemini":
		for _, c := range req.Contents {
			if c.Role == "model" {
				return c.Parts
			}
		}
	}
	t.Fatalf("no model turn in %s", body)
	return nil
}

// runLoop drives one API through a tool round trip, first fixture then
// text, and returns the body of the second request.
func runLoop(t *testing.T, tc loopCase, first string) []byte {
	srv := llmtest.NewServer(t, tc.api+"/"+first, tc.api+"/text")
	var file providers.File
	if tc.file != nil {
		file = tc.file(srv.URL())
	}
	r, err := providers.New(providers.Config{Getenv: env(tc.env(srv.URL())), File: file})
	if err != nil {
		t.Fatal(err)
	}
	p, m, err := r.Resolve("", tc.model)
	if err != nil {
		t.Fatal(err)
	}
	weather := tool.Func{
		Definition: llm.ToolDef{Name: "get_weather", Description: "Weather at a place", InputSchema: json.RawMessage(`{"type":"object","properties":{"location":{"type":"string"}}}`)},
		Fn: func(_ context.Context, args json.RawMessage) (tool.Result, error) {
			if !llmtest.JSONEqual(args, []byte(`{"location":"Paris, FR"}`)) {
				return tool.ErrorResult("unexpected args " + string(args)), nil
			}
			return tool.TextResult("18°C and sunny"), nil
		},
	}
	var kinds []string
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := agent.Run(ctx, agent.Config{
		Provider: p, Model: m.ID, System: "You are terse.", Tools: tool.NewSet(weather),
		Emit: func(e event.Event) { kinds = append(kinds, e.Type()) },
	}, nil, []llm.Block{llm.Text("Weather in Paris?")})
	if err != nil {
		t.Fatalf("run: %v (events %v)", err, kinds)
	}
	if res.Text != "Hello! How can I help you today?" || res.ToolCalls != 1 || res.Turns != 2 ||
		res.StopReason != llm.StopEndTurn || res.Usage != tc.turnsUse {
		t.Fatalf("result %+v", res)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	second := string(reqs[1].Body)
	for _, want := range []string{"18°C and sunny", "You are terse.", "Weather in Paris?"} {
		if !strings.Contains(second, want) {
			t.Errorf("second request lacks %q:\n%s", want, second)
		}
	}
	if last := res.Messages[len(res.Messages)-1]; last.Role != llm.RoleAssistant || last.PlainText() != res.Text {
		t.Errorf("transcript ends with %+v", last)
	}
	return reqs[1].Body
}

// TestRealtimeModels: a realtime model of OpenAI is served by the Realtime
// adapter (turns over the Realtime WebSocket against the fake, never the
// Responses API), and the scripted provider stands in for it offline with
// the catalog's realtime profile.
func TestRealtimeModels(t *testing.T) {
	fake := llmtest.NewRealtime(t, llmtest.RealtimeConfig{APIKey: "sk-rt"})
	r, err := providers.New(providers.Config{Getenv: env(map[string]string{"OPENAI_API_KEY": "sk-rt", "OPENAI_BASE_URL": fake.URL()})})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ provider, model string }{{"openai", "gpt-realtime-2"}, {"scripted", "gpt-realtime-2"}}
	for _, tc := range tests {
		p, m, err := r.Resolve(tc.provider, tc.model)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := p.(llm.RealtimeProvider); !ok || !m.Profile.Realtime || p.Name() != tc.provider {
			t.Errorf("%s/%s: provider %s (realtime %v), profile %+v", tc.provider, tc.model, p.Name(), ok, m.Profile)
		}
	}
	p, m, err := r.Resolve("", "gpt-realtime-2")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := llmtest.Collect(ctx, p, &llm.Request{Model: m.ID, Messages: []llm.Message{llm.UserText("ping")}})
	if err != nil || res.Text != "Echo: ping" {
		t.Fatalf("turn over the Realtime socket: %q, %v", res.Text, err)
	}
	if fake.Dials() != 1 {
		t.Errorf("dials = %d", fake.Dials())
	}
}
