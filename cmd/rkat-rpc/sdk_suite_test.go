package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/llm/llmtest"
)

// sdkDir is the published Python SDK carried as a fixture, at its place in
// the reference repository's layout (its tests find files through it).
const sdkDir = "../../interop/python/meerkat-sdk/sdks/python"

// sdkDeselected are the SDK's own tests that need a capability rkat does
// not have yet, each with that capability.
var sdkDeselected = []struct{ test, needs string }{
	{"tests/test_e2e_smoke.py::test_smoke_scenario_74_python_sdk_gemini_image_provider_params",
		"the generate_image builtin tool (not among the builtins yet) and Gemini image generation"},
	{"tests/test_e2e.py::test_python_sdk_live_mob_stream_explicit_close", "mob event streams (mob/stream_open)"},
	{"tests/test_e2e_smoke.py::test_smoke_scenario_40_mixed_provider_swarm_probe",
		"mob wiring (mob/wire), append_system_context and member event streams"},
}

// TestPythonSDKSuite runs the published Python SDK's own test suite
// (pytest, Debian's python3) against the built rkat-rpc, found first on
// PATH (not through MEERKAT_BIN_PATH, which would also replace the fake
// server some of the SDK's tests spawn by path). Its
// Anthropic-backed tests talk to a fake Anthropic API that echoes what it
// was sent; the OpenAI and Gemini keys only unlock tests that use
// Anthropic for their turns (their endpoints point at the same fake, which
// refuses anything but Anthropic's Messages API).
func TestPythonSDKSuite(t *testing.T) {
	const py = debianPython
	requirePython(t, "", "pytest", "pytest_asyncio", "websockets")
	fake := llmtest.NewAnthropicEcho(t)
	home := t.TempDir()
	args := []string{"-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "tests"}
	for _, d := range sdkDeselected {
		args = append(args, "--deselect", d.test)
	}
	cmd := exec.Command(py, args...)
	cmd.Dir = sdkDir
	cmd.Env = append(sdkEnv(os.Environ()),
		"HOME="+home,
		"RKAT_STATE_ROOT="+filepath.Join(home, "state"),
		"PATH="+filepath.Dir(binary)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"ANTHROPIC_API_KEY=sk-ant-llmtest",
		"ANTHROPIC_BASE_URL="+fake.URL(),
		"OPENAI_API_KEY=sk-llmtest",
		"OPENAI_BASE_URL="+fake.URL()+"/v1",
		"GEMINI_API_KEY=llmtest",
		"GEMINI_BASE_URL="+fake.URL(),
	)
	out, err := cmd.CombinedOutput()
	t.Logf("pytest output:\n%s", out)
	if code := cmd.ProcessState.ExitCode(); err != nil && code != 5 {
		t.Fatalf("the SDK's test suite failed: %v", err)
	} else if code == 5 {
		t.Fatal("pytest collected no tests")
	}
	if !strings.Contains(string(out), " passed") {
		t.Fatal("pytest reported no passed tests")
	}
	// Any skip (binary not found, no key, a capability not advertised)
	// means the suite did not really run against rkat-rpc.
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "SKIPPED") {
			t.Errorf("unexpected skip: %s", line)
		}
	}
	// The binary-driven tests reached the fake: the suite really drove
	// rkat-rpc's turns through Anthropic's wire format.
	if len(fake.Requests()) == 0 {
		t.Fatal("no request reached the fake Anthropic API")
	}
}

// sdkEnv drops the variables that would steer rkat-rpc away from the fake
// (the scripted provider, real keys and base URLs, smoke-model overrides).
func sdkEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "RKAT_"), strings.HasPrefix(name, "SMOKE_"),
			strings.HasSuffix(name, "_API_KEY"), strings.HasSuffix(name, "_BASE_URL"),
			name == "MEERKAT_BIN_PATH", name == "CARGO_TARGET_DIR":
			continue
		}
		out = append(out, kv)
	}
	return out
}
