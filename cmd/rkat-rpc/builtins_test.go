package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// result is a tool result of a session's history with its tool's name.
type result struct {
	Name, Text string
	IsError    bool
}

// toolResults returns the tool results of a session's history, in order.
func toolResults(p *peer, sid string) []result {
	p.t.Helper()
	var h struct {
		Messages []struct {
			Blocks []struct {
				Data struct{ ID, Name string } `json:"data"`
			} `json:"blocks"`
			Results []struct {
				ToolUseID string `json:"tool_use_id"`
				Content   string `json:"content"`
				IsError   bool   `json:"is_error"`
			} `json:"results"`
		} `json:"messages"`
	}
	p.call("session/history", map[string]any{"session_id": sid, "offset": 0}, &h)
	names := map[string]string{}
	var out []result
	for _, m := range h.Messages {
		for _, b := range m.Blocks {
			names[b.Data.ID] = b.Data.Name
		}
		for _, r := range m.Results {
			out = append(out, result{names[r.ToolUseID], r.Content, r.IsError})
		}
	}
	return out
}

// TestBuiltinsNextToCallbackTools runs callback and builtin tools in one
// turn, then restarts rkat-rpc: the session keeps its enabled builtins and
// its task list.
func TestBuiltinsNextToCallbackTools(t *testing.T) {
	state, project := t.TempDir(), t.TempDir()
	project, _ = filepath.EvalSymlinks(project)
	args := []string{"--realm", "tools", "--state-root", state, "--context-root", project}
	p := start(t, args...)

	for _, id := range []string{"builtins", "shell"} {
		if st := capabilities(p)[id]; st != `"Available"` {
			t.Errorf("capability %s: %s", id, st)
		}
	}

	p.call("tools/register", map[string]any{"tools": []map[string]any{{"name": "echo", "description": "echo",
		"input_schema": map[string]any{"type": "object", "properties": map[string]any{"text": map[string]any{"type": "string"}}}}}}, nil)
	id := p.request("session/create", map[string]any{"prompt": "builtins and callback", "enable_builtins": true,
		"enable_shell": true, "shell_env": map[string]string{"FROM_ENV": "session-env"}})
	callbacks := 0
	_, resp := p.await(id, func(m msg) any {
		callbacks++
		var params struct{ Arguments struct{ Text string } }
		json.Unmarshal(m["params"], &params)
		return map[string]any{"content": "echo: " + params.Arguments.Text, "is_error": false}
	})
	var res struct {
		SessionID string `json:"session_id"`
		Text      string `json:"text"`
		ToolCalls int    `json:"tool_calls"`
	}
	if resp["error"] != nil || json.Unmarshal(resp["result"], &res) != nil || res.Text != "mixed tools done" || res.ToolCalls != 4 || callbacks != 1 {
		t.Fatalf("create: %s %s (callbacks %d)", resp["result"], resp["error"], callbacks)
	}
	got := toolResults(p, res.SessionID)
	if len(got) != 4 {
		t.Fatalf("results %+v", got)
	}
	checks := []struct {
		name, want string
		isErr      bool
	}{
		{"echo", "echo: from the client", false},
		{"task_create", `"subject":"kept across restarts"`, false},
		{"shell", `"stdout":"session-env\n` + project + `\n"`, false},
		{"read_file", "/path: got number, want string", true},
	}
	for i, c := range checks {
		if got[i].Name != c.name || got[i].IsError != c.isErr || !strings.Contains(got[i].Text, c.want) {
			t.Errorf("result %d = %+v, want %s containing %q (error %v)", i, got[i], c.name, c.want, c.isErr)
		}
	}

	// A new process: the session still has its builtins and its tasks.
	p.in.Close()
	for range p.lines {
	}
	p.cmd.Wait()
	p = start(t, args...)
	var turn struct {
		Text string `json:"text"`
	}
	p.call("turn/start", map[string]any{"session_id": res.SessionID, "prompt": "list my tasks"}, &turn)
	got = toolResults(p, res.SessionID)
	last := got[len(got)-1]
	if turn.Text != "listed" || last.Name != "task_list" || last.IsError || !strings.Contains(last.Text, `"subject":"kept across restarts"`) {
		t.Fatalf("after restart: %q %+v", turn.Text, last)
	}

	// turn_tool_overlay narrows the builtins for one turn.
	for _, tc := range []struct {
		overlay map[string]any
		isErr   bool
	}{
		{map[string]any{"blocked_tools": []string{"task_list"}}, true},
		{map[string]any{"allowed_tools": []string{"shell"}}, true},
		{map[string]any{"allowed_tools": []string{"task_list"}}, false},
	} {
		p.call("turn/start", map[string]any{"session_id": res.SessionID, "prompt": "list my tasks", "turn_tool_overlay": tc.overlay}, nil)
		got = toolResults(p, res.SessionID)
		last = got[len(got)-1]
		if last.IsError != tc.isErr || (tc.isErr && !strings.Contains(last.Text, `unknown tool "task_list"`)) {
			t.Errorf("overlay %v: %+v", tc.overlay, last)
		}
	}
}

func TestBuiltinsRefusedWhenShellMissing(t *testing.T) {
	project := t.TempDir()
	cfg := filepath.Join(project, ".rkat")
	writeFile(t, filepath.Join(cfg, "config.toml"), "[tools.shell]\nprogram = \"/nonexistent/sh\"\n")
	p := start(t, "--isolated", "--state-root", t.TempDir(), "--context-root", project)
	if st := capabilities(p)["shell"]; !strings.Contains(st, "DisabledByPolicy") {
		t.Errorf("shell without a shell program: status %s, want DisabledByPolicy", st)
	}
	if code, _ := p.callErr("session/create", map[string]any{"prompt": "hi", "enable_shell": true}); code == 0 {
		t.Fatal("enable_shell accepted without a shell")
	}
}

// capabilities returns the status of each capability id, as JSON text.
func capabilities(p *peer) map[string]string {
	p.t.Helper()
	var caps struct {
		Capabilities []struct {
			ID     string          `json:"id"`
			Status json.RawMessage `json:"status"`
		} `json:"capabilities"`
	}
	p.call("capabilities/get", map[string]any{}, &caps)
	out := map[string]string{}
	for _, c := range caps.Capabilities {
		out[c.ID] = string(c.Status)
	}
	return out
}
