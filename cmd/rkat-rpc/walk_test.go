package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestConformanceScript walks the 15 steps of the contract's minimal
// conformance script (spec/agent-rpc.md section 8) against the real binary,
// over stdio and over rkat serve's /rpc WebSocket.
func TestConformanceScript(t *testing.T) {
	t.Run("stdio", func(t *testing.T) { walk(t, start(t, "--isolated", "--state-root", t.TempDir())) })
	t.Run("websocket", func(t *testing.T) { walk(t, startWS(t)) })
}

func walk(t *testing.T, p *peer) {
	// 1. initialize
	var init struct {
		ContractVersion string                         `json:"contract_version"`
		Methods         []string                       `json:"methods"`
		ServerInfo      struct{ Name, Version string } `json:"server_info"`
	}
	p.call("initialize", map[string]any{}, &init)
	if !strings.HasPrefix(init.ContractVersion, "0.8.") || init.ServerInfo.Name == "" {
		t.Fatalf("initialize = %+v", init)
	}
	for _, m := range []string{"session/create", "session/list", "session/read", "session/history", "session/archive",
		"session/inject_context", "session/external_event", "turn/start", "turn/interrupt", "config/get", "config/set",
		"config/patch", "capabilities/get", "models/catalog", "tools/register"} {
		if !slices.Contains(init.Methods, m) {
			t.Errorf("methods lack %s", m)
		}
	}

	// 2. capabilities/get
	var caps struct {
		ContractVersion struct{ Major, Minor, Patch *int } `json:"contract_version"`
		Capabilities    []struct {
			ID, Description string
			Status          json.RawMessage
		}
	}
	p.call("capabilities/get", map[string]any{}, &caps)
	if caps.ContractVersion.Major == nil || *caps.ContractVersion.Minor != 8 {
		t.Fatalf("capabilities contract_version %+v", caps.ContractVersion)
	}
	sessionsAvailable := false
	for _, c := range caps.Capabilities {
		var s string
		var tagged map[string]json.RawMessage
		okString := json.Unmarshal(c.Status, &s) == nil
		okTagged := json.Unmarshal(c.Status, &tagged) == nil && len(tagged) == 1
		if c.ID == "" || c.Description == "" || !(okString || okTagged) {
			t.Fatalf("bad capability %+v", c)
		}
		sessionsAvailable = sessionsAvailable || (c.ID == "sessions" && s == "Available")
	}
	if !sessionsAvailable {
		t.Fatal(`"sessions" is not Available`)
	}

	// 3. models/catalog
	var cat struct {
		ContractVersion json.RawMessage `json:"contract_version"`
		Providers       []json.RawMessage
	}
	p.call("models/catalog", map[string]any{}, &cat)
	if cat.ContractVersion == nil || cat.Providers == nil {
		t.Fatalf("models/catalog = %+v", cat)
	}

	// 4. config CAS
	var cfg struct{ Generation uint64 }
	p.call("config/get", map[string]any{}, &cfg)
	g := cfg.Generation
	p.call("config/patch", map[string]any{"patch": map[string]any{"agent": map[string]any{"x": 1}}, "expected_generation": g}, &cfg)
	if cfg.Generation != g+1 {
		t.Fatalf("generation after patch %d, want %d", cfg.Generation, g+1)
	}
	if code, sem := p.callErr("config/patch", map[string]any{"patch": map[string]any{"y": 2}, "expected_generation": g}); code != -32602 || sem != "INVALID_PARAMS" {
		t.Fatalf("stale generation: %d %s", code, sem)
	}

	// 5. session/create: events strictly before the result
	var res runResult
	notes := p.call("session/create", map[string]any{"prompt": "hi"}, &res)
	res.check(t)
	sid := res.SessionID
	var seq uint64
	types := checkEvents(t, notes, sid, &seq)
	if len(types) < 2 || types[0] != "run_started" || types[len(types)-1] != "run_completed" {
		t.Fatalf("create events %v", types)
	}

	// 6. session/read
	var info struct {
		CreatedAt       json.Number `json:"created_at"`
		UpdatedAt       json.Number `json:"updated_at"`
		Model, Provider string
	}
	p.call("session/read", map[string]any{"session_id": sid}, &info)
	if _, err := info.UpdatedAt.Int64(); err != nil || info.Model == "" || info.Provider == "" {
		t.Fatalf("session/read = %+v", info)
	}

	// 7. session/list
	var list struct {
		Sessions []struct {
			SessionID   string `json:"session_id"`
			TotalTokens *int64 `json:"total_tokens"`
			IsActive    *bool  `json:"is_active"`
		}
	}
	p.call("session/list", map[string]any{}, &list)
	if len(list.Sessions) != 1 || list.Sessions[0].SessionID != sid || list.Sessions[0].TotalTokens == nil || list.Sessions[0].IsActive == nil || *list.Sessions[0].IsActive {
		t.Fatalf("session/list = %+v", list)
	}

	// 8. session/history
	var hist struct {
		HasMore  bool `json:"has_more"`
		Messages []struct {
			Role       string
			StopReason string `json:"stop_reason"`
			Content    json.RawMessage
			CreatedAt  string `json:"created_at"`
		}
	}
	p.call("session/history", map[string]any{"session_id": sid, "offset": 0}, &hist)
	if hist.HasMore || len(hist.Messages) != 2 || hist.Messages[0].Role != "user" || hist.Messages[1].Role != "block_assistant" ||
		hist.Messages[1].StopReason != "end_turn" {
		t.Fatalf("history = %+v", hist)
	}
	if _, err := time.Parse(time.RFC3339, hist.Messages[0].CreatedAt); err != nil {
		t.Fatalf("created_at %q: %v", hist.Messages[0].CreatedAt, err)
	}

	// 9. turn/start: same session, rising seq, nothing after the result
	notes = p.call("turn/start", map[string]any{"session_id": sid, "prompt": "again", "turn_tool_overlay": map[string]any{"blocked_tools": []string{}}}, &res)
	res.check(t)
	if types := checkEvents(t, notes, sid, &seq); types[len(types)-1] != "run_completed" {
		t.Fatalf("turn events %v", types)
	}
	var again runResult
	if n := p.call("session/read", map[string]any{"session_id": sid}, &again); len(n) != 0 {
		t.Fatalf("events after the turn's result: %v", n)
	}

	// 10. busy, interrupt, cancelled
	slow := p.request("turn/start", map[string]any{"session_id": sid, "prompt": "slow turn"})
	waitForEvent(t, p, "text_delta")
	_, resp := p.await(p.request("turn/start", map[string]any{"session_id": sid, "prompt": "competing"}), nil)
	if code, sem := errorOf(t, resp); code != -32002 || sem != "SESSION_BUSY" {
		t.Fatalf("competing turn: %d %s", code, sem)
	}
	var intr struct {
		SessionID   string `json:"session_id"`
		Interrupted bool
		Result      string
	}
	intrID := p.request("turn/interrupt", map[string]any{"session_id": sid})
	answers := p.awaitMany(intrID, slow)
	if err := json.Unmarshal(answers[intrID]["result"], &intr); err != nil || intr.SessionID != sid || !intr.Interrupted || intr.Result != "interrupted" {
		t.Fatalf("interrupt = %v", answers[intrID])
	}
	if code, _ := errorOf(t, answers[slow]); code != -32005 {
		t.Fatalf("interrupted turn answered %d, want -32005", code)
	}

	// 11. inject_context idempotency
	var st struct{ Status string }
	inject := map[string]any{"session_id": sid, "content": map[string]any{"type": "text", "text": "ctx"}, "idempotency_key": "k1"}
	p.call("session/inject_context", inject, &st)
	if st.Status != "applied" {
		t.Fatalf("first inject %q", st.Status)
	}
	p.call("session/inject_context", inject, &st)
	if st.Status != "duplicate" {
		t.Fatalf("second inject %q", st.Status)
	}

	// 12. deferred session
	var deferred map[string]json.RawMessage
	if n := p.call("session/create", map[string]any{"prompt": "remember X", "initial_turn": "deferred"}, &deferred); len(n) != 0 {
		t.Fatalf("deferred create emitted %d events", len(n))
	}
	var did string
	if err := json.Unmarshal(deferred["session_id"], &did); err != nil || did == "" {
		t.Fatalf("deferred = %v", deferred)
	}
	for k := range deferred {
		if k != "session_id" && k != "session_ref" {
			t.Fatalf("deferred result has %q", k)
		}
	}
	p.call("turn/start", map[string]any{"session_id": did, "prompt": "now go"}, &res)
	res.check(t)
	p.call("session/history", map[string]any{"session_id": did, "offset": 0}, &hist)
	var first string
	for _, m := range hist.Messages {
		if m.Role == "user" {
			first = string(m.Content)
			break
		}
	}
	if !strings.Contains(first, "remember X") || !strings.Contains(first, "now go") {
		t.Fatalf("first user row %s lacks both prompts", first)
	}

	// 13. external event
	var acc struct {
		OutcomeType string `json:"outcome_type"`
	}
	p.call("session/external_event", map[string]any{"session_id": sid, "kind": "generic_json", "event_type": "ping", "payload": map[string]any{"n": 1}}, &acc)
	if !slices.Contains([]string{"accepted", "deduplicated", "rejected"}, acc.OutcomeType) {
		t.Fatalf("outcome_type %q", acc.OutcomeType)
	}

	// 14. errors
	if code, sem := p.callErr("turn/start", map[string]any{"session_id": "0196f3a2-5c1e-7d00-8a10-2b9c4e6f0a11", "prompt": "x"}); code != -32001 || sem != "SESSION_NOT_FOUND" {
		t.Fatalf("unknown session: %d %s", code, sem)
	}
	if code, _ := p.callErr("nope/nope", map[string]any{}); code != -32601 {
		t.Fatalf("nope/nope: %d", code)
	}
	p.send(`{garbage`)
	if m := p.read(); string(m["id"]) != "null" {
		t.Fatalf("parse error answer %v", m)
	} else if code, _ := errorOf(t, m); code != -32700 {
		t.Fatalf("parse error code %d", code)
	}
	if code, _ := p.callErr("turn/start", map[string]any{"session_id": sid, "prompt": "x", "bogus": 1}); code != -32602 {
		t.Fatalf("unknown turn/start key: %d", code)
	}
	p.send(`{"jsonrpc":"1.0","id":7,"method":"initialize","params":{}}`)
	if m := p.read(); string(m["id"]) != "7" {
		t.Fatalf("jsonrpc 1.0 answer %v", m)
	} else if code, _ := errorOf(t, m); code != -32600 {
		t.Fatalf("jsonrpc 1.0 code %d", code)
	}

	// 15. callback tool, archive, exit on EOF
	var reg struct{ Registered int }
	p.call("tools/register", map[string]any{"tools": []any{map[string]any{"name": "echo", "description": "e", "input_schema": map[string]any{"type": "object"}}}}, &reg)
	if reg.Registered != 1 {
		t.Fatalf("registered %d", reg.Registered)
	}
	var callID json.RawMessage
	notes, resp = p.await(p.request("turn/start", map[string]any{"session_id": sid, "prompt": "use echo"}), func(m msg) any {
		callID = m["id"]
		if string(m["method"]) != `"tool/execute"` {
			t.Errorf("server request %s", m["method"])
		}
		return map[string]any{"content": "ok", "is_error": false}
	})
	if resp["error"] != nil || len(callID) == 0 || callID[0] != '"' {
		t.Fatalf("callback turn: id %s, answer %v", callID, resp)
	}
	if types := checkEvents(t, notes, sid, &seq); !slices.Contains(types, "tool_result_received") {
		t.Fatalf("no tool_result_received in %v", types)
	}
	var arch struct{ Archived bool }
	p.call("session/archive", map[string]any{"session_id": sid}, &arch)
	if !arch.Archived {
		t.Fatal("archive did not say archived")
	}
	if code, _ := p.callErr("session/read", map[string]any{"session_id": sid}); code != -32001 {
		t.Fatalf("read after archive: %d", code)
	}
	p.in.Close()
	if p.cmd == nil {
		return
	}
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("exit after EOF: %v (stderr %q)", err, p.stderr.String())
	}
	if p.stderr.Len() != 0 {
		t.Fatalf("stderr not quiet: %q", p.stderr.String())
	}
}

// waitForEvent reads notifications until one of the given payload type.
func waitForEvent(t *testing.T, p *peer, typ string) {
	t.Helper()
	for {
		m := p.read()
		if strings.Contains(string(m["params"]), `"type":"`+typ+`"`) {
			return
		}
		if m["id"] != nil {
			t.Fatalf("response while waiting for %s: %v", typ, m)
		}
	}
}
