package main

import (
	"strings"
	"testing"
)

// TestMalformedInputs sends bad frames and bad params, over stdio and over
// rkat serve's /rpc WebSocket; each gets its error and the connection keeps
// serving (an initialize after each one answers).
func TestMalformedInputs(t *testing.T) {
	t.Run("stdio", func(t *testing.T) { malformed(t, start(t, "--state-root", t.TempDir(), "--realm-backend", "memory")) })
	t.Run("websocket", func(t *testing.T) { malformed(t, startWS(t)) })
}

func malformed(t *testing.T, p *peer) {
	var created runResult
	p.call("session/create", map[string]any{"prompt": "hi"}, &created)
	sid := created.SessionID
	req := func(method string, params string) string {
		return `{"jsonrpc":"2.0","id":1,"method":"` + method + `","params":` + params + `}`
	}
	tests := []struct {
		name  string
		frame string
		code  int
		id    string
	}{
		{"garbage", `{garbage`, -32700, "null"},
		{"not json", `hello world`, -32700, "null"},
		{"truncated", `{"jsonrpc":"2.0","id":1,"method":"initialize"`, -32700, "null"},
		{"batch", `[{"jsonrpc":"2.0","id":1,"method":"initialize"}]`, -32600, "null"},
		{"bare number", `42`, -32600, "null"},
		{"wrong version", `{"jsonrpc":"1.0","id":1,"method":"initialize"}`, -32600, "1"},
		{"missing version", `{"id":1,"method":"initialize"}`, -32600, "1"},
		{"object id", `{"jsonrpc":"2.0","id":{"x":1},"method":"initialize"}`, -32600, "null"},
		{"bool id", `{"jsonrpc":"2.0","id":false,"method":"initialize"}`, -32600, "null"},
		{"huge id", `{"jsonrpc":"2.0","id":"` + strings.Repeat("9", 300) + `","method":"initialize"}`, -32600, "null"},
		{"numeric method", `{"jsonrpc":"2.0","id":1,"method":12}`, -32600, "1"},
		{"no method no result", `{"jsonrpc":"2.0","id":1}`, -32600, "null"},
		{"array params", req("initialize", `[1]`), -32602, "1"},
		{"string params", req("initialize", `"x"`), -32600, "1"},
		{"unknown method", req("nope/nope", `{}`), -32601, "1"},
		{"turn unknown key", req("turn/start", `{"session_id":"`+sid+`","prompt":"x","flow_tool_overlay":{}}`), -32602, "1"},
		{"turn missing prompt", req("turn/start", `{"session_id":"`+sid+`"}`), -32602, "1"},
		{"turn wrong type", req("turn/start", `{"session_id":7,"prompt":"x"}`), -32602, "1"},
		{"turn max_tokens", req("turn/start", `{"session_id":"`+sid+`","prompt":"x","max_tokens":5}`), -32602, "1"},
		{"turn output_schema", req("turn/start", `{"session_id":"`+sid+`","prompt":"x","output_schema":{}}`), -32602, "1"},
		{"turn unknown session", req("turn/start", `{"session_id":"nope","prompt":"x"}`), -32001, "1"},
		{"create missing prompt", req("session/create", `{}`), -32602, "1"},
		{"create prompt number", req("session/create", `{"prompt":5}`), -32602, "1"},
		{"create bad provider", req("session/create", `{"prompt":"x","provider":"bogus"}`), -32602, "1"},
		{"create legacy skill_references", req("session/create", `{"prompt":"x","skill_references":["a/b"]}`), -32602, "1"},
		{"create bad initial_turn", req("session/create", `{"prompt":"x","initial_turn":"later"}`), -32602, "1"},
		{"create bad schema", req("session/create", `{"prompt":"x","output_schema":{"type":12}}`), -32602, "1"},
		{"create transient deferred", req("session/create", `{"prompt":"x","initial_turn":"deferred","transient_turn_context":"t"}`), -32602, "1"},
		{"create unknown skill", req("session/create", `{"prompt":"x","preload_skills":[{"source_uuid":"u","skill_name":"s"}]}`), -32021, "1"},
		{"create skill ref of another kind", req("session/create", `{"prompt":"x","skill_refs":[{"kind":"legacy","source_uuid":"u","skill_name":"s"}]}`), -32602, "1"},
		{"list limit too big", req("session/list", `{"limit":5000}`), -32602, "1"},
		{"history negative offset", req("session/history", `{"session_id":"`+sid+`","offset":-1}`), -32602, "1"},
		{"read foreign realm", req("session/read", `{"session_id":"other-realm:`+sid+`"}`), -32602, "1"},
		{"read missing id", req("session/read", `{}`), -32602, "1"},
		{"patch bad generation type", req("config/patch", `{"patch":{"a":1},"expected_generation":"x"}`), -32602, "1"},
		{"set non-object config", req("config/set", `{"config":[1]}`), -32602, "1"},
		{"external bad kind", req("session/external_event", `{"session_id":"`+sid+`","kind":"xml","event_type":"e","payload":1}`), -32602, "1"},
		{"inject empty content", req("session/inject_context", `{"session_id":"`+sid+`","content":""}`), -32602, "1"},
		{"register nameless tool", req("tools/register", `{"tools":[{"description":"d"}]}`), -32602, "1"},
		{"interrupt unknown session", req("turn/interrupt", `{"session_id":"nope"}`), -32001, "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p.t = t
			p.send(tt.frame)
			m := p.read()
			if string(m["id"]) != tt.id {
				t.Fatalf("id %s, want %s (%v)", m["id"], tt.id, m)
			}
			if code, _ := errorOf(t, m); code != tt.code {
				t.Fatalf("code %d, want %d: %s", code, tt.code, m["error"])
			}
			var init struct {
				ContractVersion string `json:"contract_version"`
			}
			p.call("initialize", map[string]any{}, &init)
			if init.ContractVersion == "" {
				t.Fatal("connection no longer answers")
			}
		})
	}
}

// TestOversizedFrameEndsProcess sends a line over the 64 MiB inbound limit:
// the connection is closed and the process exits with an error code.
func TestOversizedFrameEndsProcess(t *testing.T) {
	p := start(t, "--realm-backend", "memory", "--state-root", t.TempDir())
	big := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"pad":"` + strings.Repeat("x", 64<<20) + `"}}`
	go func() { _, _ = p.in.Write([]byte(big + "\n")) }() // may fail once the server is gone
	if _, ok := <-p.lines; ok {
		t.Fatal("server answered an oversized frame")
	}
	err := p.cmd.Wait()
	if err == nil {
		t.Fatal("server exited 0 after an oversized frame")
	}
}

// TestBadFlagsRejected checks that bad start flags fail clearly at start.
func TestBadFlagsRejected(t *testing.T) {
	for _, args := range [][]string{{"--live-ws", "0.0.0.0:0"}, {"--live-ws", "127.0.0.1:0", "--live-ws-scheme", "http"},
		{"--realm", "a", "--isolated"}, {"--realm-backend", "jsonl"}} {
		p := start(t, args...)
		if _, ok := <-p.lines; ok {
			t.Fatalf("%v: server wrote to stdout", args)
		}
		if err := p.cmd.Wait(); err == nil || !strings.Contains(p.stderr.String(), "rkat-rpc:") {
			t.Fatalf("%v: exit %v, stderr %q", args, err, p.stderr.String())
		}
	}
}
