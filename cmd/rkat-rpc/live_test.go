package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/llm/llmtest"
)

// pythonSDK is the published Python SDK carried as a fixture
// (interop/python/meerkat-sdk); RKAT_PYTHON_SDK may point at another copy
// of its sdks/python directory.
func pythonSDK(t *testing.T) string {
	dir := os.Getenv("RKAT_PYTHON_SDK")
	if dir == "" {
		dir = "../../interop/python/meerkat-sdk/sdks/python"
	}
	requirePython(t, dir, "websockets", "meerkat")
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// liveScript drives the scripted realtime provider for the live test.
const liveScript = `{"rules": [
  {"match": "weather", "responses": [{"tool_calls": [{"name": "weather", "args": {"city": "Oslo"}}]}, {"text": "it is cold: -3C in Oslo"}]},
  {"match": "slow", "responses": [{"text": "one two three four five six seven eight", "chunks": 8, "delay_ms": 150}]}
]}`

// TestPythonSDKLive runs testdata/live_sdk.py, a live conversation through
// the published Python SDK and the /live/ws socket, against rkat-rpc
// --live-ws with the scripted realtime provider and with OpenAI's Realtime
// API faked at the wire.
func TestPythonSDKLive(t *testing.T) {
	sdk := pythonSDK(t)
	fake := llmtest.NewRealtime(t, llmtest.RealtimeConfig{APIKey: "sk-live", DeltaDelay: 40 * time.Millisecond,
		Reply: func(items []llmtest.RealtimeItem) llmtest.RealtimeReply {
			last := items[len(items)-1]
			if last.Role == "user" && strings.Contains(last.Text, "weather") {
				return llmtest.RealtimeReply{ToolCall: &llmtest.RealtimeToolCall{Name: "weather", Arguments: `{"city":"Oslo"}`}}
			}
			if strings.Contains(last.Text, "slow") {
				return llmtest.RealtimeReply{Text: "one two three four five six seven eight nine ten"}
			}
			return llmtest.DefaultRealtimeReply(items)
		}})
	script := filepath.Join(t.TempDir(), "live.json")
	if err := os.WriteFile(script, []byte(liveScript), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, prefix string
		env          []string
	}{
		{"scripted", "Scripted reply: ", []string{"RKAT_TEST_CLIENT=1", "RKAT_TEST_SCRIPT=" + script}},
		{"openai fake", "Echo: ", []string{"OPENAI_API_KEY=sk-live", "OPENAI_BASE_URL=" + fake.URL()}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			cmd := exec.Command("/usr/bin/python3", filepath.Join("testdata", "live_sdk.py"), tc.prefix)
			cmd.Env = append(sdkFreeEnv(os.Environ()), append(tc.env, "PYTHONPATH="+sdk, "MEERKAT_BIN_PATH="+binary,
				"HOME="+home, "RKAT_STATE_ROOT="+filepath.Join(home, "state"))...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("live_sdk.py: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), "live ok") {
				t.Fatalf("live_sdk.py did not finish:\n%s", out)
			}
		})
	}
	if fake.AudioBytes() != 3*4800 {
		t.Errorf("the OpenAI fake received %d audio bytes, want %d", fake.AudioBytes(), 3*4800)
	}
}

// sdkFreeEnv drops variables that would steer rkat-rpc elsewhere (keys,
// base URLs, the scripted provider, another binary).
func sdkFreeEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "RKAT_") || strings.HasSuffix(name, "_API_KEY") || strings.HasSuffix(name, "_BASE_URL") ||
			name == "MEERKAT_BIN_PATH" || name == "PYTHONPATH" {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// TestLiveMethodsNeedATransport: without --live-ws or --live-webrtc the
// live/* methods are unknown (-32601) and not advertised; with --live-ws
// they are, and a non-realtime model's live/open is -32602.
func TestLiveMethodsNeedATransport(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{{nil, -32601}, {[]string{"--live-ws", "127.0.0.1:0"}, -32602}} {
		p := start(t, tc.args...)
		var init struct {
			Methods []string `json:"methods"`
		}
		p.call("initialize", map[string]any{}, &init)
		advertised := slices.Contains(init.Methods, "live/open")
		var created struct {
			SessionID string `json:"session_id"`
		}
		p.call("session/create", map[string]any{"prompt": "hi"}, &created)
		code, _ := p.callErr("live/open", map[string]any{"session_id": created.SessionID})
		if code != tc.code || advertised != (tc.args != nil) {
			t.Errorf("%v: live/open code %d (want %d), advertised %v", tc.args, code, tc.code, advertised)
		}
	}
}
