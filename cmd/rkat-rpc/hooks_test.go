package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestHooksPythonSDK drives hooks.toml, hooks_override, command and HTTP
// hooks, tool guardrails and a run denial through the published Python SDK
// against rkat-rpc with the scripted provider.
func TestHooksPythonSDK(t *testing.T) {
	const py = debianPython
	requirePython(t, "", "websockets", "meerkat")
	var gateCalls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var inv struct{ HookID, Point string }
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || json.Unmarshal(body, &inv) != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		gateCalls.Add(1)
		w.Write([]byte(`{"decision":"deny","reason_code":"policy_violation","message":"closed for maintenance"}`))
	}))
	defer srv.Close()

	project := t.TempDir()
	log := filepath.Join(t.TempDir(), "points.log")
	var toml strings.Builder
	for _, p := range []string{"run_started", "pre_llm_request", "post_llm_response", "pre_tool_execution",
		"post_tool_execution", "turn_boundary", "run_completed", "run_failed"} {
		toml.WriteString("[[hooks]]\nid = \"log-" + p + "\"\npoint = \"" + p + "\"\n" +
			"runtime = { type = \"command\", command = \"/bin/sh\", args = [\"-c\", \"cat >/dev/null; echo " + p + " >> " + log + "\"] }\n\n")
	}
	toml.WriteString(`[[hooks]]
id = "no-rm"
point = "pre_tool_execution"
capability = "guardrail"
timeout_ms = 5000
runtime = { type = "command", command = "/bin/sh", args = ["-c", "grep -q 'rm -rf' && echo '{\"decision\":\"deny\",\"reason_code\":\"safety_violation\",\"message\":\"destructive\"}'; exit 0"] }
`)
	if err := os.MkdirAll(filepath.Join(project, ".rkat"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(project, ".rkat", "hooks.toml"), []byte(toml.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(t.TempDir(), "marker")
	script := `{"rules":[
	{"match":"real danger","responses":[{"tool_calls":[{"name":"shell","args":{"command":"touch ` + marker + ` && rm -rf ` + marker + `.d"}}]},{"text":"after denial"}]},
	{"match":"real rewrite","responses":[{"tool_calls":[{"name":"shell","args":{"command":"touch ` + marker + `"}}]},{"text":"rewritten"}]},
	{"match":"danger","responses":[{"tool_calls":[{"name":"shell","args":{"command":"rm -rf /"}}]},{"text":"after denial"}]},
	{"match":"rewrite","responses":[{"tool_calls":[{"name":"shell","args":{"command":"cat secrets"}}]},{"text":"rewritten"}]}]}`
	scriptPath := filepath.Join(t.TempDir(), "script.json")
	if err := os.WriteFile(scriptPath, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	sdk, err := filepath.Abs(sdkDir)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, filepath.Join("testdata", "python_hooks_check.py"), binary, project, srv.URL, marker)
	cmd.Env = append(sdkEnv(os.Environ()), "PYTHONPATH="+sdk, "HOME="+t.TempDir(),
		"RKAT_TEST_CLIENT=1", "RKAT_TEST_SCRIPT="+scriptPath)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "hooks ok") {
		t.Fatalf("python hooks check: %v\n%s", err, out)
	}
	if gateCalls.Load() != 1 {
		t.Fatalf("the HTTP hook was called %d times", gateCalls.Load())
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	// Session 1: the denied call has no post_tool_execution. Session 2: all
	// tool points. Session 3: denied at run_started, after the log hook.
	// Sessions 4 and 5 repeat 1 and 2 with rkat's own shell tool.
	want := []string{
		"run_started pre_llm_request post_llm_response pre_tool_execution turn_boundary pre_llm_request post_llm_response run_completed",
		"run_started pre_llm_request post_llm_response pre_tool_execution post_tool_execution turn_boundary pre_llm_request post_llm_response run_completed",
		"run_started run_failed",
		"run_started pre_llm_request post_llm_response pre_tool_execution turn_boundary pre_llm_request post_llm_response run_completed",
		"run_started pre_llm_request post_llm_response pre_tool_execution post_tool_execution turn_boundary pre_llm_request post_llm_response run_completed",
	}
	if got := strings.Join(strings.Fields(string(data)), " "); got != strings.Join(want, " ") {
		t.Fatalf("hook points\n got %s\nwant %s", got, strings.Join(want, " "))
	}
}
