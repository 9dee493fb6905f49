package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/llm/llmtest"
)

// errorMessage expects an error answer to a request and returns its code
// and message.
func (p *peer) errorMessage(method string, params any) (int, string) {
	p.t.Helper()
	_, resp := p.await(p.request(method, params), nil)
	var e struct {
		Code    int
		Message string
	}
	if resp["error"] == nil || json.Unmarshal(resp["error"], &e) != nil {
		p.t.Fatalf("%s: want an error, got %v", method, resp)
	}
	return e.Code, e.Message
}

// A model the catalog does not list goes to the named provider as named;
// without a provider it stays an error with suggestions.
func TestUncataloguedModelReachesItsProvider(t *testing.T) {
	fake := llmtest.NewAnthropicEcho(t)
	logFile := filepath.Join(t.TempDir(), "rpc.log")
	p := startEnv(t, append(sdkEnv(os.Environ()), "ANTHROPIC_API_KEY=sk-ant-test", "ANTHROPIC_BASE_URL="+fake.URL()),
		"--state-root", t.TempDir(), "--log-file", logFile)
	tests := []struct {
		model, provider string
		wantErr         string // in the error message; "" means success
	}{
		{"claude-sonnet-9-9", "anthropic", ""},
		{"claude-sonnet-4-5", "", ""}, // catalogued: the provider comes from the catalog
		{"claude-sonnet-9-9", "", "did you mean"},
	}
	var sent []string
	for _, tt := range tests {
		params := map[string]any{"prompt": "hello " + tt.model, "model": tt.model}
		if tt.provider != "" {
			params["provider"] = tt.provider
		}
		if tt.wantErr != "" {
			if code, msg := p.errorMessage("session/create", params); code != -32602 || !strings.Contains(msg, tt.wantErr) {
				t.Errorf("%s without provider: %d %q", tt.model, code, msg)
			}
			continue
		}
		var res runResult
		p.call("session/create", params, &res)
		if res.Text == nil || !strings.Contains(*res.Text, "hello "+tt.model) {
			t.Errorf("%s: answer %v does not echo the prompt", tt.model, res.Text)
		}
		sent = append(sent, tt.model)
	}
	var got []string
	for _, r := range fake.Requests() {
		var body struct{ Model string }
		if err := json.Unmarshal(r.Body, &body); err != nil || r.Path != "/v1/messages" {
			t.Fatalf("request %s %s: %v", r.Path, r.Body, err)
		}
		got = append(got, body.Model)
	}
	if fmt.Sprint(got) != fmt.Sprint(sent) {
		t.Fatalf("the fake was asked for models %v, want %v", got, sent)
	}
	if log, _ := os.ReadFile(logFile); !strings.Contains(string(log), "model not in the catalog") ||
		!strings.Contains(string(log), "model=claude-sonnet-9-9") {
		t.Fatalf("no warning logged for the uncatalogued model:\n%s", log)
	}
}

type activity struct {
	IsActive *bool `json:"is_active"`
	Sessions []struct {
		SessionID string `json:"session_id"`
		IsActive  bool   `json:"is_active"`
	}
}

// is_active says whether a turn is running, in session/read and session/list.
func TestIsActiveOnlyDuringATurn(t *testing.T) {
	p := start(t, "--state-root", t.TempDir())
	var created runResult
	p.call("session/create", map[string]any{"prompt": "hi"}, &created)
	check := func(when string, want bool) {
		t.Helper()
		var read, list activity
		p.call("session/read", map[string]any{"session_id": created.SessionID}, &read)
		p.call("session/list", map[string]any{}, &list)
		if read.IsActive == nil || *read.IsActive != want || len(list.Sessions) != 1 || list.Sessions[0].IsActive != want {
			t.Fatalf("%s: session/read is_active %v, session/list %+v; want %v", when, read.IsActive, list.Sessions, want)
		}
	}
	check("after the first turn", false)
	id := p.request("turn/start", map[string]any{"session_id": created.SessionID, "prompt": "slow turn"})
	waitForEvent(t, p, "text_delta")
	check("during a turn", true)
	if _, resp := p.await(id, nil); resp["error"] != nil {
		t.Fatalf("turn/start: %s", resp["error"])
	}
	check("after the turn", false)
}

// SIGTERM and SIGINT stop rkat-rpc with stdin still open: at once, status
// 0, no answer after the signal, and what was committed stays.
func TestStopSignalWithStdinOpen(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			args := []string{"--realm", "signals", "--state-root", t.TempDir()}
			p := start(t, args...)
			var created runResult
			p.call("session/create", map[string]any{"prompt": "hi"}, &created)
			var before struct {
				MessageCount int `json:"message_count"`
			}
			p.call("session/history", map[string]any{"session_id": created.SessionID}, &before)
			turn := p.request("turn/start", map[string]any{"session_id": created.SessionID, "prompt": "slow turn"})
			waitForEvent(t, p, "text_delta")

			began := time.Now()
			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			closed := time.After(2 * time.Second)
		drain:
			for {
				select {
				case line, ok := <-p.lines:
					if !ok {
						break drain
					}
					var m msg
					_ = json.Unmarshal(line, &m)
					if string(m["id"]) == fmt.Sprint(turn) {
						t.Errorf("answered turn/start after %s: %s", sig, line)
					}
				case <-closed:
					t.Fatalf("rkat-rpc still running 2 s after %s", sig)
				}
			}
			err := p.cmd.Wait()
			elapsed := time.Since(began)
			if err != nil || p.cmd.ProcessState.ExitCode() != 0 {
				t.Fatalf("exit after %s: %v (stderr %q)", sig, err, p.stderr.String())
			}
			t.Logf("%s: exited in %v", sig, elapsed)

			q := start(t, args...)
			var after struct {
				MessageCount int `json:"message_count"`
				Messages     []json.RawMessage
			}
			q.call("session/history", map[string]any{"session_id": created.SessionID}, &after)
			if before.MessageCount < 2 || after.MessageCount < before.MessageCount ||
				!strings.Contains(string(after.Messages[0]), "hi") {
				t.Fatalf("history before the signal %d rows, after %d: %s", before.MessageCount, after.MessageCount, after.Messages)
			}
		})
	}
}

// A stream opened before two turns delivers both turns' events as
// session/stream_event, then ends with the close.
func TestStreamOverStdio(t *testing.T) {
	p := start(t, "--state-root", t.TempDir())
	var created runResult
	p.call("session/create", map[string]any{"prompt": "hi"}, &created)
	var opened struct {
		StreamID  string `json:"stream_id"`
		SessionID string `json:"session_id"`
		Opened    bool
	}
	notes := p.call("session/stream_open", map[string]any{"session_id": created.SessionID}, &opened)
	if !opened.Opened || opened.StreamID == "" || opened.SessionID != created.SessionID || len(notes) != 0 {
		t.Fatalf("stream_open = %+v, notes %v", opened, notes)
	}
	for _, prompt := range []string{"second", "third"} {
		notes = append(notes, p.call("turn/start", map[string]any{"session_id": created.SessionID, "prompt": prompt}, nil)...)
	}
	var closed struct {
		Closed        bool
		AlreadyClosed bool `json:"already_closed"`
	}
	notes = append(notes, p.call("session/stream_close", map[string]any{"stream_id": opened.StreamID}, &closed)...)
	if !closed.Closed || closed.AlreadyClosed {
		t.Fatalf("stream_close = %+v", closed)
	}
	var prompts []string
	var sequence uint64
	var end string
	for _, n := range notes {
		var method string
		_ = json.Unmarshal(n["method"], &method)
		switch method {
		case "session/event":
		case "session/stream_event":
			var se struct {
				StreamID  string `json:"stream_id"`
				Sequence  uint64
				SessionID string `json:"session_id"`
				Event     struct{ Payload struct{ Type, Prompt string } }
			}
			if err := json.Unmarshal(n["params"], &se); err != nil || se.StreamID != opened.StreamID ||
				se.SessionID != created.SessionID || se.Sequence != sequence+1 || end != "" {
				t.Fatalf("stream event after #%d (end %q): %s", sequence, end, n["params"])
			}
			sequence = se.Sequence
			if se.Event.Payload.Type == "run_started" {
				prompts = append(prompts, se.Event.Payload.Prompt)
			}
		case "session/stream_end":
			end = string(n["params"])
		default:
			t.Fatalf("unexpected notification %v", n)
		}
	}
	if fmt.Sprint(prompts) != "[second third]" || !strings.Contains(end, `"outcome":"explicit_close"`) {
		t.Fatalf("stream carried runs %v, ended %s", prompts, end)
	}
	p.call("session/stream_close", map[string]any{"stream_id": opened.StreamID}, &closed)
	if !closed.AlreadyClosed {
		t.Fatalf("second stream_close = %+v", closed)
	}
}

// Request fields asking for capabilities this build lacks are refused, not
// ignored; asking for nothing (false, empty) is fine.
func TestUnsupportedFieldsRefused(t *testing.T) {
	p := start(t, "--state-root", t.TempDir())
	tests := []struct {
		field string
		value any
		ok    bool
	}{
		{"enable_memory", true, false},
		{"enable_workgraph", true, false},
		{"enable_shell", true, true}, // served since issue 12
		{"enable_builtins", true, true},
		{"hooks_override", map[string]any{"entries": []any{map[string]any{"point": "pre_tool_execution"}}}, false},
		{"enable_shell", false, true},
		{"hooks_override", map[string]any{}, true},
	}
	for _, tt := range tests {
		params := map[string]any{"prompt": "hi", tt.field: tt.value}
		if tt.ok {
			p.call("session/create", params, nil)
			continue
		}
		if code, msg := p.errorMessage("session/create", params); code != -32602 || !strings.Contains(msg, tt.field) {
			t.Errorf("%s=%v: %d %q", tt.field, tt.value, code, msg)
		}
	}
}

// An image a client sends is kept in the realm's blob store: history names
// it by blob_id and blob/get returns it, also to a later process.
func TestImagesAreKeptAsBlobs(t *testing.T) {
	args := []string{"--realm", "blobs", "--state-root", t.TempDir()}
	p := start(t, args...)
	const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
	var created runResult
	p.call("session/create", map[string]any{"prompt": []any{
		map[string]any{"type": "text", "text": "what is this?"},
		map[string]any{"type": "image", "media_type": "image/png", "source": "inline", "data": png},
	}}, &created)
	var history struct {
		Messages []struct {
			Role    string
			Content json.RawMessage
		}
	}
	p.call("session/history", map[string]any{"session_id": created.SessionID}, &history)
	var blocks []struct {
		Type   string
		BlobID string `json:"blob_id"`
		Data   string
	}
	if len(history.Messages) == 0 || json.Unmarshal(history.Messages[0].Content, &blocks) != nil || len(blocks) != 2 ||
		blocks[1].Type != "image" || blocks[1].BlobID == "" || blocks[1].Data != png {
		t.Fatalf("first history row: %+v", history.Messages)
	}
	id := blocks[1].BlobID
	q := start(t, args...)
	var got struct {
		BlobID    string `json:"blob_id"`
		MediaType string `json:"media_type"`
		Data      string
	}
	q.call("blob/get", map[string]any{"blob_id": id}, &got)
	if got.BlobID != id || got.MediaType != "image/png" || got.Data != png {
		t.Fatalf("blob/get = %+v", got)
	}
	for _, bad := range []string{"sha256:" + strings.Repeat("0", 64), "not-a-blob-id"} {
		if code, msg := q.errorMessage("blob/get", map[string]any{"blob_id": bad}); code != -32602 || !strings.Contains(msg, "blob") {
			t.Errorf("blob/get %q: %d %q", bad, code, msg)
		}
	}
}

// help/ask runs a session whose system prompt lists what this server
// serves; the echoing fake shows that it reached the model with the
// question.
func TestHelpAsk(t *testing.T) {
	fake := llmtest.NewAnthropicEcho(t)
	p := startEnv(t, append(sdkEnv(os.Environ()), "ANTHROPIC_API_KEY=sk-ant-test", "ANTHROPIC_BASE_URL="+fake.URL()),
		"--state-root", t.TempDir())
	var res runResult
	p.call("help/ask", map[string]any{"question": "How do I follow a session's events?", "execution_mode": "plan_execution"}, &res)
	if res.Text == nil || !strings.Contains(*res.Text, "How do I follow a session's events?") ||
		!strings.Contains(*res.Text, "session/stream_open") || !strings.Contains(*res.Text, "plan_execution") {
		t.Fatalf("help answer %v", res.Text)
	}
	for _, bad := range []map[string]any{{"question": "  "}, {"question": "q", "execution_mode": "run_it"}} {
		if code, _ := p.errorMessage("help/ask", bad); code != -32602 {
			t.Errorf("help/ask %v: code %d", bad, code)
		}
	}
}

// session/input_status finds an external event by the input_id it was
// accepted with and injected context by its idempotency key.
func TestInputStatus(t *testing.T) {
	p := start(t, "--state-root", t.TempDir())
	var created runResult
	p.call("session/create", map[string]any{"prompt": "hi"}, &created)
	var accepted struct {
		InputID string `json:"input_id"`
	}
	p.call("session/external_event", map[string]any{"session_id": created.SessionID, "kind": "generic_json",
		"event_type": "ping", "payload": map[string]any{"n": 1}}, &accepted)
	p.call("session/inject_context", map[string]any{"session_id": created.SessionID,
		"content": map[string]any{"type": "text", "text": "note"}, "idempotency_key": "note-1"}, nil)
	type state struct {
		State *struct {
			InputID        string `json:"input_id"`
			CurrentState   string `json:"current_state"`
			IdempotencyKey string `json:"idempotency_key"`
			CreatedAt      string `json:"created_at"`
		}
	}
	tests := []struct {
		by, value, want string // want "" expects state null
	}{
		{"input_id", accepted.InputID, "applied"},
		{"idempotency_key", "note-1", "applied"},
		{"idempotency_key", "never-sent", ""},
	}
	for _, tt := range tests {
		var got state
		p.call("session/input_status", map[string]any{"session_id": created.SessionID,
			"selector": map[string]any{"by": tt.by, "value": tt.value}}, &got)
		switch {
		case tt.want == "" && got.State != nil:
			t.Errorf("%s %s: state %+v, want null", tt.by, tt.value, got.State)
		case tt.want != "" && (got.State == nil || got.State.CurrentState != tt.want || got.State.InputID != tt.value || got.State.CreatedAt == ""):
			t.Errorf("%s %s: state %+v", tt.by, tt.value, got.State)
		}
	}
	if code, _ := p.errorMessage("session/input_status", map[string]any{"session_id": created.SessionID,
		"selector": map[string]any{"by": "name", "value": "x"}}); code != -32602 {
		t.Errorf("bad selector: code %d", code)
	}
}
