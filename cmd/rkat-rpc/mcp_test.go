package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/rkat-dev/rkat/internal/mcptest"
)

// toolEvent is the payload of tool_result_received and
// tool_config_changed events.
type toolEvent struct {
	Type    string
	Name    string
	IsError bool `json:"is_error"`
	Content []contentBlock
	Payload struct {
		Operation, Target string
		Persisted         bool
		AppliedAtTurn     *int                                `json:"applied_at_turn"`
		StatusInfo        struct{ Kind, Phase, Error string } `json:"status_info"`
	}
}

// toolEvents decodes the tool events of a run's notifications.
func toolEvents(t *testing.T, notes []msg) (done map[string]toolEvent, changes []toolEvent) {
	t.Helper()
	done = map[string]toolEvent{}
	for _, n := range notes {
		var e envelope
		if err := json.Unmarshal(n["params"], &e); err != nil {
			t.Fatal(err)
		}
		var head struct{ Type string }
		_ = json.Unmarshal(e.Event.Payload, &head)
		if head.Type != "tool_result_received" && head.Type != "tool_config_changed" {
			continue
		}
		var te toolEvent
		if err := json.Unmarshal(e.Event.Payload, &te); err != nil {
			t.Fatalf("payload %s: %v", e.Event.Payload, err)
		}
		if te.Type == "tool_config_changed" {
			changes = append(changes, te)
		} else {
			done[te.Name] = te
		}
	}
	return done, changes
}

// contentBlock is an llm.Block as events carry it.
type contentBlock struct {
	Type, Text, Data string
	MediaType        string `json:"media_type"`
}

func (te toolEvent) text() string {
	var parts []string
	for _, c := range te.Content {
		parts = append(parts, c.Text)
	}
	return strings.Join(parts, "\n")
}

type capability struct {
	ID     string
	Status json.RawMessage
}

type mcpResult struct {
	SessionID     string  `json:"session_id"`
	Operation     string  `json:"operation"`
	ServerName    *string `json:"server_name"`
	Status        string  `json:"status"`
	Persisted     *bool   `json:"persisted"`
	AppliedAtTurn *int    `json:"applied_at_turn"`
}

// TestMCPOverRPC drives third-party MCP servers through rkat-rpc: a server
// from .rkat/mcp.toml called from scripted turns (text and image results,
// next to a callback tool and a builtin tool), killed between two turns, then servers added and removed with mcp/add and
// mcp/remove (stdio and streamable HTTP), and a server that writes garbage.
func TestMCPOverRPC(t *testing.T) {
	everything := mcptest.Bin(t, mcptest.Everything)
	filesystem := mcptest.Bin(t, mcptest.Filesystem)
	httpURL := mcptest.StartHTTP(t)
	garbage, err := filepath.Abs("../../tool/mcp/testdata/garbage.sh")
	if err != nil {
		t.Fatal(err)
	}
	project, home, files := t.TempDir(), t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(files, "hello.txt"), []byte("hi"), 0o600); err != nil {
		t.Fatal(err)
	}
	pidFile := filepath.Join(project, "everything.pid")
	writeFile(t, filepath.Join(project, ".rkat", "mcp.toml"), `
[[servers]]
name = "everything"
command = "/bin/sh"
args = ["-c", "echo $$ > `+pidFile+`; exec `+everything+` stdio"]
`)
	script := filepath.Join(project, "script.json")
	writeFile(t, script, `{"rules": [
  {"match": "echo and image", "responses": [
    {"tool_calls": [{"name": "everything__echo", "args": {"message": "hi rpc"}}, {"name": "everything__get-tiny-image", "args": {}}]},
    {"text": "got both"}]},
  {"match": "echo again", "responses": [{"tool_calls": [{"name": "everything__echo", "args": {"message": "again"}}]}, {"text": "again"}]},
  {"match": "mixed", "responses": [
    {"tool_calls": [{"name": "everything__echo", "args": {"message": "next to a callback"}}, {"name": "cb", "args": {"x": 1}}, {"name": "datetime", "args": {}}]},
    {"text": "mixed done"}]},
  {"match": "use added", "responses": [
    {"tool_calls": [{"name": "fs__list_directory", "args": {"path": `+strconv.Quote(files)+`}}, {"name": "remote__echo", "args": {"message": "over http"}}]},
    {"text": "used both"}]}
]}`)
	p := startWith(t, []string{"RKAT_TEST_SCRIPT=" + script}, "--isolated", "--state-root", t.TempDir(),
		"--context-root", project, "--user-config-root", home)

	var init struct{ Methods []string }
	p.call("initialize", map[string]any{}, &init)
	for _, m := range []string{"mcp/add", "mcp/remove", "mcp/reload"} {
		if !slices.Contains(init.Methods, m) {
			t.Fatalf("initialize.methods lacks %s: %v", m, init.Methods)
		}
	}
	var caps struct{ Capabilities []capability }
	p.call("capabilities/get", map[string]any{}, &caps)
	if i := slices.IndexFunc(caps.Capabilities, func(c capability) bool { return c.ID == "mcp_live" }); i < 0 || string(caps.Capabilities[i].Status) != `"Available"` {
		t.Fatalf("mcp_live not Available: %+v", caps)
	}

	// Turn 1: a text and an image result from the configured server.
	var res runResult
	notes := p.call("session/create", map[string]any{"prompt": "echo and image", "enable_builtins": true}, &res)
	sid := res.SessionID
	done, _ := toolEvents(t, notes)
	if e := done["everything__echo"]; e.IsError || e.text() != "Echo: hi rpc" {
		t.Fatalf("echo = %+v", e)
	}
	img := done["everything__get-tiny-image"]
	if img.IsError || !slices.ContainsFunc(img.Content, func(c contentBlock) bool {
		return c.Type == "image" && c.MediaType == "image/png" && strings.HasPrefix(c.Data, "iVBORw0KGgo")
	}) {
		t.Fatalf("image result = %+v", img)
	}
	if *res.Text != "got both" {
		t.Fatalf("text = %q", *res.Text)
	}
	// The image is kept with the committed tool result.
	var hist struct {
		Messages []struct {
			Role    string
			Results []struct {
				ToolUseID string          `json:"tool_use_id"`
				Content   json.RawMessage `json:"content"`
			}
		}
	}
	p.call("session/history", map[string]any{"session_id": sid}, &hist)
	images := 0
	for _, m := range hist.Messages {
		for _, r := range m.Results {
			var blocks []struct{ Type, Source, Data string }
			if json.Unmarshal(r.Content, &blocks) == nil {
				for _, b := range blocks {
					if b.Type == "image" && b.Source == "inline" && strings.HasPrefix(b.Data, "iVBORw0KGgo") {
						images++
					}
				}
			}
		}
	}
	if images != 1 {
		t.Fatalf("history holds %d tool-result images, want 1: %+v", images, hist)
	}

	// A callback tool, an MCP tool and a builtin tool in one turn.
	p.call("tools/register", map[string]any{"tools": []map[string]any{{"name": "cb", "description": "callback", "input_schema": map[string]any{"type": "object"}}}}, nil)
	notes, resp := p.await(p.request("turn/start", map[string]any{"session_id": sid, "prompt": "mixed"}), func(m msg) any {
		return map[string]any{"content": "callback ran", "is_error": false}
	})
	if resp["error"] != nil {
		t.Fatalf("mixed turn: %s", resp["error"])
	}
	done, _ = toolEvents(t, notes)
	if done["cb"].text() != "callback ran" || done["everything__echo"].text() != "Echo: next to a callback" ||
		done["datetime"].IsError || !strings.Contains(done["datetime"].text(), `"iso8601"`) {
		t.Fatalf("mixed results = %+v", done)
	}

	// turn_tool_overlay narrows MCP tools like any other.
	notes, resp = p.await(p.request("turn/start", map[string]any{"session_id": sid, "prompt": "mixed",
		"turn_tool_overlay": map[string]any{"blocked_tools": []string{"everything__echo"}}}), func(m msg) any {
		return map[string]any{"content": "callback ran", "is_error": false}
	})
	if resp["error"] != nil {
		t.Fatalf("overlay turn: %s", resp["error"])
	}
	done, _ = toolEvents(t, notes)
	if e := done["everything__echo"]; !e.IsError || !strings.Contains(e.text(), "unknown tool") || done["cb"].IsError {
		t.Fatalf("blocked MCP tool = %+v, callback = %+v", e, done["cb"])
	}

	// The server dies between turns; the next call restarts it.
	pidData, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(pidData)))
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	notes = p.call("turn/start", map[string]any{"session_id": sid, "prompt": "echo again"}, &res)
	if done, _ := toolEvents(t, notes); done["everything__echo"].IsError || done["everything__echo"].text() != "Echo: again" {
		t.Fatalf("echo after the kill = %+v", done["everything__echo"])
	}

	// mcp/add: a stdio server, an HTTP server and one that writes garbage;
	// staged now, applied at the next turn.
	for _, cfg := range []map[string]any{
		{"name": "fs", "command": filesystem, "args": []string{files}},
		{"name": "remote", "url": httpURL},
		{"name": "garbage", "command": garbage},
	} {
		var r mcpResult
		p.call("mcp/add", map[string]any{"session_id": sid, "server_config": cfg, "persisted": false}, &r)
		if r.SessionID != sid || r.Operation != "add" || r.ServerName == nil || *r.ServerName != cfg["name"] ||
			r.Status != "staged" || r.Persisted == nil || *r.Persisted || r.AppliedAtTurn != nil {
			t.Fatalf("mcp/add %v = %+v", cfg["name"], r)
		}
	}
	notes = p.call("turn/start", map[string]any{"session_id": sid, "prompt": "use added"}, &res)
	done, changes := toolEvents(t, notes)
	applied := map[string]bool{}
	var failed []string
	for _, c := range changes {
		switch {
		case c.Payload.StatusInfo.Kind == "external_tool_delta" && c.Payload.Operation == "add" && *c.Payload.AppliedAtTurn == 5:
			applied[c.Payload.Target] = true
		case c.Payload.StatusInfo.Kind == "warning_failed_closed" && c.Payload.StatusInfo.Error != "":
			failed = append(failed, c.Payload.Target)
		default:
			t.Errorf("unexpected change %+v", c.Payload)
		}
	}
	if len(applied) != 3 || !slices.Equal(failed, []string{"garbage"}) {
		t.Fatalf("applied %v, failed %v", applied, failed)
	}
	if e := done["fs__list_directory"]; e.IsError || !strings.Contains(e.text(), "hello.txt") {
		t.Fatalf("fs list = %+v", e)
	}
	if e := done["remote__echo"]; e.IsError || e.text() != "Echo: over http" {
		t.Fatalf("remote echo = %+v", e)
	}
	if *res.Text != "used both" {
		t.Fatalf("the session did not keep working past the garbage server: %q", *res.Text)
	}

	// mcp/remove: the tools are gone from the next turn.
	var r mcpResult
	p.call("mcp/remove", map[string]any{"session_id": sid, "server_name": "fs"}, &r)
	if r.Operation != "remove" || r.Status != "staged" {
		t.Fatalf("mcp/remove = %+v", r)
	}
	notes = p.call("turn/start", map[string]any{"session_id": sid, "prompt": "use added"}, &res)
	done, changes = toolEvents(t, notes)
	if len(changes) != 1 || changes[0].Payload.Operation != "remove" || changes[0].Payload.Target != "fs" {
		t.Fatalf("changes = %+v", changes)
	}
	if e := done["fs__list_directory"]; !e.IsError {
		t.Fatalf("removed tool still ran: %+v", e)
	}
	if e := done["remote__echo"]; e.IsError {
		t.Fatalf("remote echo after removing fs = %+v", e)
	}

	// persisted: the project's mcp.toml follows, the rest of it kept.
	configPath := filepath.Join(project, ".rkat", "mcp.toml")
	before, _ := os.ReadFile(configPath)
	var saved mcpResult
	p.call("mcp/add", map[string]any{"session_id": sid, "persisted": true,
		"server_config": map[string]any{"name": "saved", "url": httpURL}}, &saved)
	after, _ := os.ReadFile(configPath)
	if saved.Persisted == nil || !*saved.Persisted || !strings.HasPrefix(string(after), string(before)) ||
		!strings.Contains(string(after), `name = 'saved'`) {
		t.Fatalf("persisted add = %+v, file:\n%s", saved, after)
	}
	p.call("mcp/remove", map[string]any{"session_id": sid, "server_name": "saved", "persisted": true}, &saved)
	if after, _ := os.ReadFile(configPath); !*saved.Persisted || string(after) != string(before) {
		t.Fatalf("persisted remove = %+v, file:\n%s", saved, after)
	}
	// A refused change leaves the file alone.
	if code, _ := p.callErr("mcp/add", map[string]any{"session_id": sid, "persisted": true,
		"server_config": map[string]any{"name": "remote", "url": httpURL}}); code != -32602 {
		t.Fatalf("persisted duplicate add: code %d", code)
	}
	if after, _ := os.ReadFile(configPath); string(after) != string(before) {
		t.Fatalf("a refused add changed the file:\n%s", after)
	}

	// Refusals are errors that say why.
	var reload mcpResult
	p.call("mcp/reload", map[string]any{"session_id": sid}, &reload)
	if reload.Operation != "reload" || reload.Status != "staged" || reload.ServerName != nil {
		t.Fatalf("mcp/reload = %+v", reload)
	}
	for _, bad := range []struct {
		method string
		params map[string]any
		code   int
	}{
		{"mcp/add", map[string]any{"session_id": sid, "server_config": map[string]any{"name": "x"}}, -32602},
		{"mcp/add", map[string]any{"session_id": sid, "server_config": map[string]any{"name": "x", "command": "c", "url": "http://h/"}}, -32602},
		{"mcp/add", map[string]any{"session_id": sid, "server_config": map[string]any{"name": "x", "command": "c", "bogus": 1}}, -32602},
		{"mcp/remove", map[string]any{"session_id": sid}, -32602},
		{"mcp/remove", map[string]any{"session_id": sid, "server_name": "fs"}, -32602},
		{"mcp/add", map[string]any{"session_id": sid, "server_config": map[string]any{"name": "remote", "url": "http://h/"}}, -32602},
		{"mcp/reload", map[string]any{"session_id": sid, "server_name": "nope"}, -32602},
		{"mcp/add", map[string]any{"session_id": "0196f3a2-5c1e-7d00-8a10-2b9c4e6f0a11", "server_config": map[string]any{"name": "x", "command": "c"}}, -32001},
	} {
		if code, _ := p.callErr(bad.method, bad.params); code != bad.code {
			t.Errorf("%s %v: code %d, want %d", bad.method, bad.params, code, bad.code)
		}
	}

	// The servers' own stderr never reaches rkat-rpc's.
	p.in.Close()
	for range p.lines {
	}
	if err := p.cmd.Wait(); err != nil || p.stderr.String() != "" {
		t.Fatalf("exit %v, stderr %q", err, p.stderr.String())
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// A broken mcp.toml does not stop rkat-rpc: each session reports it in its
// first turn and runs without the configured servers.
func TestBrokenMCPConfigIsReported(t *testing.T) {
	project, home := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(project, ".rkat", "mcp.toml"), "[[servers]]\nname = \"x\"\ncommand = \"y\"\nbogus = 1\n")
	p := start(t, "--isolated", "--state-root", t.TempDir(), "--context-root", project, "--user-config-root", home)
	var res runResult
	notes := p.call("session/create", map[string]any{"prompt": "hello"}, &res)
	_, changes := toolEvents(t, notes)
	if len(changes) != 1 || changes[0].Payload.StatusInfo.Kind != "warning_failed_closed" ||
		!strings.Contains(changes[0].Payload.StatusInfo.Error, "bogus") {
		t.Fatalf("changes = %+v", changes)
	}
	res.check(t)
}
