package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/llm/llmtest"
)

// TestRunAgainstFakeProviders runs `rkat run --model <default>` for each
// provider against its fake server, reached through the base-URL variables
// (or, for a self-hosted server, the config file).
func TestRunAgainstFakeProviders(t *testing.T) {
	tests := []struct {
		api, model string
		env        func(url string) []string
		config     func(url string) string
		path       string
	}{
		{api: "anthropic", model: "claude-sonnet-4-6", path: "/v1/messages",
			env: func(u string) []string { return []string{"ANTHROPIC_API_KEY=k", "RKAT_ANTHROPIC_BASE_URL=" + u} }},
		{api: "openai", model: "gpt-5.5", path: "/v1/responses",
			env: func(u string) []string { return []string{"RKAT_OPENAI_API_KEY=k", "OPENAI_BASE_URL=" + u + "/v1"} }},
		{api: "gemini", model: "gemini-3.1-pro-preview", path: "/v1beta/models/gemini-3.1-pro-preview:streamGenerateContent?alt=sse",
			env: func(u string) []string { return []string{"GEMINI_API_KEY=k", "GEMINI_BASE_URL=" + u} }},
		{api: "chat", model: "qwen3:8b", path: "/v1/chat/completions",
			config: func(u string) string {
				return "[self_hosted.servers.local]\nbase_url = \"" + u + "/v1\"\nmodels = [\"qwen3:8b\"]\n"
			}},
	}
	for _, tt := range tests {
		t.Run(tt.api, func(t *testing.T) {
			srv := llmtest.NewServer(t, tt.api+"/tool_call", tt.api+"/text")
			c := newCLI(t)
			if tt.env != nil {
				c.env = append(c.env, tt.env(srv.URL())...)
			}
			if tt.config != nil {
				writeUserConfig(t, c, tt.config(srv.URL()))
			}
			out, errOut, code := c.run("run", "--model", tt.model, "--json", "What's the weather in Paris?")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var res runJSON
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("output %q: %v", out, err)
			}
			if res.Text != "Hello! How can I help you today?" || res.Turns != 2 || res.ToolCalls != 1 || res.Usage["output_tokens"] == 0 {
				t.Fatalf("result %+v", res)
			}
			reqs := srv.Requests()
			if len(reqs) != 2 || reqs[0].Path != tt.path || !strings.Contains(string(reqs[1].Body), "get_weather") {
				t.Fatalf("requests %+v", reqs)
			}
		})
	}
}

func TestModelsCommand(t *testing.T) {
	c := newCLI(t)
	writeUserConfig(t, c, "[self_hosted.servers.box]\nbase_url = \"http://127.0.0.1:9/v1\"\nmodels = [\"qwen3:8b\"]\n")
	out, errOut, code := runModels(t, c, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var cat struct {
		ContractVersion struct{ Major, Minor int } `json:"contract_version"`
		Providers       []struct {
			Provider     string `json:"provider"`
			DefaultModel string `json:"default_model_id"`
			Models       []struct {
				ID       string `json:"id"`
				ServerID string `json:"server_id"`
				Profile  struct {
					Realtime bool `json:"realtime"`
				} `json:"profile"`
			} `json:"models"`
		} `json:"providers"`
	}
	if err := json.Unmarshal([]byte(out), &cat); err != nil {
		t.Fatalf("models --json %q: %v", out, err)
	}
	var names []string
	realtime := false
	for _, p := range cat.Providers {
		names = append(names, p.Provider)
		for _, m := range p.Models {
			realtime = realtime || m.Profile.Realtime
			if p.Provider == "self_hosted" && m.ServerID != "box" {
				t.Errorf("self-hosted model %+v", m)
			}
		}
	}
	if strings.Join(names, ",") != "anthropic,gemini,openai,self_hosted" || !realtime || cat.ContractVersion.Minor != 8 {
		t.Fatalf("catalog %+v", cat)
	}
	table, _, code := runModels(t, c)
	if code != 0 || !strings.Contains(table, "claude-opus-5 *") || !strings.Contains(table, "self_hosted/box") {
		t.Fatalf("table:\n%s", table)
	}
	_, errOut, code = c.run("run", "--model", "claude-sonet-4-6", "hi")
	if code != 1 || !strings.Contains(errOut, "did you mean claude-sonnet-4-6") {
		t.Fatalf("unknown model: exit %d: %s", code, errOut)
	}
}

// writeUserConfig writes ~/.rkat/config.toml of the CLI's home.
func writeUserConfig(t *testing.T, c *cli, text string) {
	t.Helper()
	var home string
	for _, kv := range c.env {
		if v, ok := strings.CutPrefix(kv, "HOME="); ok {
			home = v
		}
	}
	dir := filepath.Join(home, ".rkat")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// runModels runs `rkat models` (which takes no --state-root) with the CLI's
// environment.
func runModels(t *testing.T, c *cli, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(rkatBin, append([]string{"models"}, args...)...)
	cmd.Env = c.env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("rkat models: %v", err)
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}
