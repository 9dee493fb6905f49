package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/procstat"
	"github.com/rkat-dev/rkat/llm/llmtest"
)

// toolScript drives the builtin-tool tests; each rule is one scenario.
const toolScript = `{"rules": [
  {"match": "shell checks", "responses": [
     {"tool_calls": [
       {"name": "shell", "args": {"command": "echo out; echo err >&2; exit 3"}},
       {"name": "shell", "args": {"command": "env"}},
       {"name": "shell", "args": {"command": "pwd", "working_dir": "../"}},
       {"name": "shell", "args": {"command": "sleep 300 & echo $! > grandchild.pid; wait", "timeout_secs": 1}},
       {"name": "shell", "args": {"command": 5}},
       {"name": "shell", "args": {"command": "echo BEGIN; seq 1 300000; echo END"}}]},
     {"text": "shell checked"}]},
  {"match": "background job", "responses": [
     {"tool_calls": [{"name": "shell", "args": {"command": "sleep 0.2; echo bg done", "background": true}}]},
     {"tool_calls": [{"name": "shell", "args": {"command": "sleep 1"}}]},
     {"tool_calls": [{"name": "shell_jobs", "args": {}}]},
     {"text": "job followed"}]},
  {"match": "patch files", "responses": [
     {"tool_calls": [{"name": "apply_patch", "args": {"patch": "*** Begin Patch\n*** Add File: docs/new.md\n+# New\n*** Update File: src/main.txt\n@@ alpha\n-beta\n+BETA\n*** Delete File: old.txt\n*** Update File: move-me.txt\n*** Move to: moved/here.txt\n@@\n-content\n+moved content\n*** End Patch"}}]},
     {"tool_calls": [{"name": "apply_patch", "args": {"patch": "*** Begin Patch\n*** Add File: never.txt\n+x\n*** Update File: src/main.txt\n@@ alpha\n-nothing like this\n+y\n*** End Patch"}}]},
     {"tool_calls": [
       {"name": "read_file", "args": {"path": "src/main.txt", "offset": 2, "limit": 1}},
       {"name": "write_file", "args": {"path": "out/w.txt", "content": "written"}},
       {"name": "list_dir", "args": {"path": "moved"}},
       {"name": "glob", "args": {"pattern": "**/*.md"}},
       {"name": "grep", "args": {"pattern": "^gam+a$"}},
       {"name": "read_file", "args": {"path": "/etc/passwd"}}]},
     {"text": "files done"}]},
  {"match": "make a task", "responses": [
     {"tool_calls": [{"name": "task_create", "args": {"subject": "survive restarts", "description": "a task kept with the session"}}]},
     {"text": "task made"}]},
  {"match": "list the tasks", "responses": [
     {"tool_calls": [{"name": "task_list", "args": {}}]},
     {"text": "tasks listed"}]}
]}`

// toolResult is a tool_result block of the history.
type toolResult struct {
	Name    string `json:"name"`
	Text    string `json:"text"`
	IsError bool   `json:"is_error"`
}

// project is a project directory with a .rkat/config.toml, where rkat runs.
func newProject(t *testing.T, c *cli, config string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		".rkat/config.toml": config, "src/main.txt": "alpha\nbeta\ngamma\n", "old.txt": "old\n", "move-me.txt": "content\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	script := filepath.Join(dir, "..", filepath.Base(dir)+"-script.json")
	if err := os.WriteFile(script, []byte(toolScript), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(script) })
	c.env = append(c.env, "RKAT_TEST_SCRIPT="+script)
	real, _ := filepath.EvalSymlinks(dir)
	return real
}

// runIn runs `rkat run --json` in dir and returns the session id and the
// tool results of the run, from the session's history.
func (c *cli) runIn(t *testing.T, dir string, args ...string) (string, []toolResult, string) {
	t.Helper()
	cmd := c.cmd(append([]string{"run", "--realm", "tools", "--json"}, args...)...)
	cmd.Dir = dir
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("rkat run %v: %v\n%s", args, err, errOut.String())
	}
	var res runJSON
	if err := json.Unmarshal([]byte(out.String()), &res); err != nil {
		t.Fatalf("run output %q: %v", out.String(), err)
	}
	hist := c.cmd("sessions", "history", res.SessionID, "--json", "--realm", "tools")
	data, err := hist.Output()
	if err != nil {
		t.Fatalf("history: %v", err)
	}
	var h struct {
		Messages []struct {
			Role    string       `json:"role"`
			Content []toolResult `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(data, &h); err != nil {
		t.Fatal(err)
	}
	var results []toolResult
	for _, m := range h.Messages {
		if m.Role == "tool_results" {
			results = append(results, m.Content...)
		}
	}
	return res.SessionID, results, errOut.String()
}

func TestRunBuiltinShell(t *testing.T) {
	c := newCLI(t)
	c.env = append(c.env, "ANTHROPIC_API_KEY=sk-ant-never-shown", "VISIBLE=yes")
	dir := newProject(t, c, "[tools.shell]\ninherit_env = [\"PATH\", \"VISIBLE\", \"ANTHROPIC_API_KEY\"]\nmax_output_bytes = 2000\n")
	_, results, _ := c.runIn(t, dir, "--enable-shell", "--provider", "scripted", "shell checks")
	if len(results) != 6 {
		t.Fatalf("%d results: %+v", len(results), results)
	}
	decode := func(r toolResult) map[string]any {
		var v map[string]any
		if err := json.Unmarshal([]byte(r.Text), &v); err != nil {
			t.Fatalf("result %q: %v", r.Text, err)
		}
		return v
	}
	if v := decode(results[0]); v["stdout"] != "out\n" || v["stderr"] != "err\n" || v["exit_code"] != 3.0 || results[0].IsError {
		t.Errorf("output and exit code: %v", v)
	}
	env := decode(results[1])["stdout"].(string)
	if strings.Contains(env, "sk-ant") || !strings.Contains(env, "VISIBLE=yes") {
		t.Errorf("environment of the command:\n%s", env)
	}
	if !results[2].IsError || !strings.Contains(results[2].Text, "outside the project root") {
		t.Errorf("cwd escape: %+v", results[2])
	}
	if v := decode(results[3]); v["timed_out"] != true || !results[3].IsError {
		t.Errorf("timeout: %+v", results[3])
	}
	if !results[4].IsError || !strings.Contains(results[4].Text, "/command") {
		t.Errorf("schema mismatch: %+v", results[4])
	}
	if out := decode(results[5])["stdout"].(string); len(out) > 2100 || !strings.HasPrefix(out, "BEGIN\n") ||
		!strings.HasSuffix(out, "300000\nEND\n") || !strings.Contains(out, "bytes elided") {
		t.Errorf("huge output (%d bytes) not capped to head and tail", len(out))
	}
	// The timed-out command's grandchild is gone with its process group.
	data, _ := os.ReadFile(filepath.Join(dir, "grandchild.pid"))
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatalf("grandchild pid %q", data)
	}
	if procstat.Running(pid) {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Errorf("grandchild %d outlived the timeout", pid)
	}
}

func TestRunShowsToolActivity(t *testing.T) {
	c := newCLI(t)
	dir := newProject(t, c, "")
	cmd := c.cmd("run", "--realm", "tools", "--enable-builtins", "--provider", "scripted", "make a task")
	cmd.Dir = dir
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %s", err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], `[tool task_create {"subject":"survive restarts"`) ||
		!strings.HasPrefix(lines[1], "[tool task_create ok ") || !strings.Contains(lines[1], `"subject":"survive restarts"`) ||
		strings.Contains(errOut.String(), "\r") || out.String() != "task made\n" {
		t.Fatalf("stdout %q, stderr:\n%s", out.String(), errOut.String())
	}
}

func TestRunBackgroundJob(t *testing.T) {
	c := newCLI(t)
	dir := newProject(t, c, "")
	_, results, _ := c.runIn(t, dir, "--enable-shell", "--provider", "scripted", "background job")
	if len(results) != 3 || !strings.Contains(results[0].Text, `"job_id":"job_`) {
		t.Fatalf("results %+v", results)
	}
	var jobs []map[string]any
	if err := json.Unmarshal([]byte(results[2].Text), &jobs); err != nil || len(jobs) != 1 ||
		jobs[0]["status"] != "completed" || jobs[0]["exit_code"] != 0.0 {
		t.Fatalf("shell_jobs = %s", results[2].Text)
	}
}

func TestRunPatchAndFileTools(t *testing.T) {
	c := newCLI(t)
	dir := newProject(t, c, "[tools]\nenable_builtins = true\n") // on by config
	_, results, _ := c.runIn(t, dir, "--provider", "scripted", "patch files")
	if len(results) != 8 {
		t.Fatalf("%d results: %+v", len(results), results)
	}
	if results[0].IsError || !strings.Contains(results[0].Text, `"status":"applied"`) {
		t.Fatalf("patch: %+v", results[0])
	}
	if !results[1].IsError || !strings.Contains(results[1].Text, `src/main.txt, hunk 1: line not found in the file (after line 0): "nothing like this"; no file was changed`) {
		t.Fatalf("failing patch: %+v", results[1])
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return "<absent>"
		}
		return string(data)
	}
	for name, want := range map[string]string{
		"docs/new.md": "# New\n", "src/main.txt": "alpha\nBETA\ngamma\n", "old.txt": "<absent>", "move-me.txt": "<absent>",
		"moved/here.txt": "moved content\n", "never.txt": "<absent>", "out/w.txt": "written",
	} {
		if got := read(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	for i, want := range []string{`"content":"BETA\n"`, `"bytes_written":7`, `"name":"here.txt"`, `"docs/new.md"`,
		`{"path":"src/main.txt","line":3,"text":"gamma"}`, "outside the project root"} {
		if r := results[2+i]; !strings.Contains(r.Text, want) {
			t.Errorf("%s: %s lacks %s", r.Name, r.Text, want)
		}
	}
}

func TestRunTasksSurviveRestart(t *testing.T) {
	c := newCLI(t)
	dir := newProject(t, c, "")
	id, results, _ := c.runIn(t, dir, "--enable-builtins", "--provider", "scripted", "make a task")
	if len(results) != 1 || results[0].IsError {
		t.Fatalf("task_create: %+v", results)
	}
	// A new process continues the session: the task is there.
	_, results, _ = c.runIn(t, dir, "--session", id, "list the tasks")
	results = results[1:] // the history holds both runs
	var tasks []map[string]any
	if len(results) != 1 || json.Unmarshal([]byte(results[0].Text), &tasks) != nil || len(tasks) != 1 ||
		tasks[0]["subject"] != "survive restarts" || tasks[0]["status"] != "pending" {
		t.Fatalf("task_list after restart: %+v", results)
	}
}

func TestRunBuiltinsOffByDefault(t *testing.T) {
	c := newCLI(t)
	dir := newProject(t, c, "")
	id, results, _ := c.runIn(t, dir, "--provider", "scripted", "make a task")
	if len(results) != 1 || !results[0].IsError || !strings.Contains(results[0].Text, `unknown tool "task_create"`) {
		t.Fatalf("results %+v", results)
	}
	// A session keeps the families it was created with.
	cmd := c.cmd("run", "--realm", "tools", "--session", id, "--enable-shell", "again")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "apply to new sessions") {
		t.Fatalf("--enable-shell on an existing session: %v %s", err, out)
	}
}

// TestShellThroughAnthropic runs the shell tool on a call the Anthropic
// adapter decoded from the provider's own SSE format.
func TestShellThroughAnthropic(t *testing.T) {
	srv := llmtest.NewServer(t, "anthropic/shell_call", "anthropic/text")
	c := newCLI(t)
	c.env = append(c.env, "ANTHROPIC_API_KEY=sk-ant-fake-key-123", "RKAT_ANTHROPIC_BASE_URL="+srv.URL())
	dir := newProject(t, c, "[tools.shell]\ninherit_env = [\"PATH\", \"ANTHROPIC_API_KEY\"]\n")
	start := time.Now()
	_, results, _ := c.runIn(t, dir, "--enable-shell", "--model", "claude-sonnet-4-6", "run the command")
	if len(results) != 1 || results[0].IsError {
		t.Fatalf("results %+v (%s)", results, time.Since(start))
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(results[0].Text), &v); err != nil || v["stdout"] != "via-anthropic\n0\n" || v["exit_code"] != 2.0 {
		t.Fatalf("shell result %s", results[0].Text)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	body := string(reqs[1].Body)
	if !strings.Contains(body, `"tool_result"`) || !strings.Contains(body, `via-anthropic`) || strings.Contains(body, "sk-ant-fake-key") {
		t.Fatalf("second request body: %s", body)
	}
	if !strings.Contains(string(reqs[0].Body), `"name":"shell"`) {
		t.Fatalf("first request does not offer the shell tool: %s", reqs[0].Body)
	}
}
