package sdk_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/internal/testbin"
	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/sdk"
)

const script = `{"rules": [
  {"match": "use echo", "responses": [{"tool_calls": [{"name": "echo", "args": {"text": "hi"}}]}, {"text": "tool said hi"}]},
  {"match": "use broken", "responses": [{"tool_calls": [{"name": "broken", "args": {}}]}, {"text": "recovered"}]},
  {"match": "explode", "responses": [{"error": {"kind": "fatal", "message": "boom"}}]},
  {"match": "slow turn", "responses": [{"text": "done slowly", "chunks": 40, "delay_ms": 100}]}
]}`

// binary is the rkat-rpc built for this test run, rkatBin the rkat (for
// rkat serve); script.json sits next to them.
var binary, rkatBin string

func TestMain(m *testing.M) {
	testbin.MainBuilds(m, map[string]*string{"github.com/rkat-dev/rkat/cmd/rkat-rpc": &binary, "github.com/rkat-dev/rkat/cmd/rkat": &rkatBin},
		map[string]string{"script.json": script})
}

func connect(t *testing.T, opts sdk.Options) *sdk.Client {
	t.Helper()
	opts.BinaryPath = binary
	opts.Env = append(opts.Env, "RKAT_TEST_CLIENT=1", "RKAT_TEST_SCRIPT="+filepath.Join(filepath.Dir(binary), "script.json"))
	if opts.StateRoot == "" {
		opts.StateRoot = t.TempDir()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := sdk.Connect(ctx, opts)
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return c
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestQuickStart(t *testing.T) { eachTransport(t, testQuickStart) }

func testQuickStart(t *testing.T, connect connectFunc) {
	c := connect(t, sdk.Options{Isolated: true})
	ctx := ctxT(t)
	s, err := c.CreateSession(ctx, "What is the capital of France?", nil)
	if err != nil || s.ID == "" || s.Last == nil || s.Last.Text == "" {
		t.Fatalf("CreateSession = %+v, %v", s, err)
	}
	res, err := s.Turn(ctx, "And Germany?", nil)
	if err != nil || res.Text == "" || res.SessionID != s.ID {
		t.Fatalf("Turn = %+v, %v", res, err)
	}
	stream := s.Stream(ctx, "Give one extra fact.", nil)
	if _, err := stream.Result(); !errors.Is(err, sdk.ErrStreamNotConsumed) {
		t.Fatalf("Result before the end = %v", err)
	}
	var types []string
	var text strings.Builder
	for ev := range stream.Events() {
		types = append(types, ev.Type())
		if d, ok := ev.(event.TextDelta); ok {
			text.WriteString(d.Delta)
		}
	}
	res, err = stream.Result()
	if err != nil || res.Text != text.String() || text.Len() == 0 {
		t.Fatalf("stream result %+v, %v; deltas %q", res, err, text.String())
	}
	if types[0] != event.TypeRunStarted || types[len(types)-1] != event.TypeRunCompleted {
		t.Fatalf("event order %v", types)
	}
	if err := s.Archive(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReadSession(ctx, s.ID); !errors.Is(err, sdk.ErrSessionNotFound) {
		t.Fatalf("read archived = %v", err)
	}
	if _, err := s.Turn(ctx, "more", nil); !errors.Is(err, sdk.ErrSessionNotFound) {
		t.Fatalf("turn on archived = %v", err)
	}
}

func TestSessionMethods(t *testing.T) { eachTransport(t, testSessionMethods) }

func testSessionMethods(t *testing.T, connect connectFunc) {
	c := connect(t, sdk.Options{RealmBackend: "memory"})
	ctx := ctxT(t)
	s, err := c.CreateSession(ctx, "hello", &sdk.CreateOptions{Labels: map[string]string{"team": "docs"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateSession(ctx, "other", nil); err != nil {
		t.Fatal(err)
	}
	list, err := c.ListSessions(ctx, map[string]string{"team": "docs"}, 0, 0)
	if err != nil || len(list) != 1 || list[0].SessionID != s.ID || list[0].TotalTokens == 0 {
		t.Fatalf("ListSessions = %+v, %v", list, err)
	}
	if all, _ := c.ListSessions(ctx, nil, 0, 1); len(all) != 1 {
		t.Fatalf("limit 1 gave %d sessions", len(all))
	}
	info, err := c.ReadSession(ctx, s.Ref)
	if err != nil || info.SessionID != s.ID || info.Model == "" || info.Provider == "" || info.MessageCount != 2 {
		t.Fatalf("ReadSession(ref) = %+v, %v", info, err)
	}
	if st, err := s.InjectContext(ctx, "the user likes Go", "test", "k1"); err != nil || st != wire.InjectApplied {
		t.Fatalf("inject = %q, %v", st, err)
	}
	if st, err := s.InjectContext(ctx, "the user likes Go", "test", "k1"); err != nil || st != wire.InjectDuplicate {
		t.Fatalf("inject again = %q, %v", st, err)
	}
	acc, err := s.SendExternalEvent(ctx, "ping", map[string]int{"n": 1})
	if err != nil || acc.OutcomeType != "accepted" {
		t.Fatalf("external event = %+v, %v", acc, err)
	}
	h, err := s.History(ctx, 0, 0)
	if err != nil || h.MessageCount < 3 || len(h.Messages) != h.MessageCount || h.HasMore {
		t.Fatalf("History = %+v, %v", h, err)
	}
	page, err := s.History(ctx, 1, 1)
	if err != nil || len(page.Messages) != 1 || !page.HasMore || page.Messages[0].Role != wire.RowBlockAssistant {
		t.Fatalf("History(1,1) = %+v, %v", page, err)
	}

	d, err := c.CreateDeferredSession(ctx, "remember X", nil)
	if err != nil || d.ID == "" {
		t.Fatalf("CreateDeferredSession = %+v, %v", d, err)
	}
	if r, err := d.StartTurn(ctx, "now go", nil); err != nil || r.SessionID != d.ID {
		t.Fatalf("StartTurn = %+v, %v", r, err)
	}
	if h, _ := d.History(ctx, 0, 0); !strings.Contains(string(h.Messages[0].Content), "remember X") {
		t.Fatalf("deferred history %+v", h.Messages)
	}

	stream, err := c.CreateSessionStreaming(ctx, "stream me", nil)
	if err != nil {
		t.Fatal(err)
	}
	text, res, err := stream.Text()
	if err != nil || text == "" || res.Text != text || stream.SessionID() != res.SessionID {
		t.Fatalf("streaming create %q %+v %v (stream session %q)", text, res, err, stream.SessionID())
	}

	ka, err := c.CreateSession(ctx, "background", &sdk.CreateOptions{KeepAlive: true})
	if err != nil || ka.Last.Turns != 0 || ka.Last.Text != "" {
		t.Fatalf("keep_alive create = %+v, %v", ka.Last, err)
	}
}

func TestConfigAndCatalog(t *testing.T) { eachTransport(t, testConfigAndCatalog) }

func testConfigAndCatalog(t *testing.T, connect connectFunc) {
	c := connect(t, sdk.Options{RealmBackend: "memory", InstanceID: "i-1"})
	ctx := ctxT(t)
	env, err := c.GetConfig(ctx)
	overStdio := !strings.HasSuffix(t.Name(), "/websocket") // rkat serve names no instance
	if err != nil || overStdio && (env.InstanceID == nil || *env.InstanceID != "i-1") || env.RealmID == nil {
		t.Fatalf("GetConfig = %+v, %v", env, err)
	}
	g := env.Generation
	env, err = c.SetConfig(ctx, map[string]any{"a": 1, "b": map[string]int{"c": 2}}, &g)
	if err != nil || env.Generation != g+1 {
		t.Fatalf("SetConfig = %+v, %v", env, err)
	}
	if _, err := c.SetConfig(ctx, map[string]any{}, &g); !errors.Is(err, sdk.ErrInvalidParams) {
		t.Fatalf("stale SetConfig = %v", err)
	}
	env, err = c.PatchConfig(ctx, map[string]any{"a": nil, "b": map[string]int{"d": 3}}, nil)
	if err != nil || env.Generation != g+2 || string(env.Config) != `{"b":{"c":2,"d":3}}` {
		t.Fatalf("PatchConfig = %s gen %d, %v", env.Config, env.Generation, err)
	}
	cat, err := c.ModelsCatalog(ctx)
	if err != nil || len(cat.Providers) == 0 || cat.ContractVersion.Minor != 8 {
		t.Fatalf("ModelsCatalog = %+v, %v", cat, err)
	}
	caps := c.Capabilities()
	if !caps.Has("sessions") || !caps.Has("skills") || caps.Has("adaptive_flow") || len(caps.Available()) == 0 {
		t.Fatalf("capabilities %v", caps.Available())
	}
	if err := caps.Require("adaptive_flow"); !errors.Is(err, sdk.ErrCapabilityUnavailable) {
		t.Fatalf("Require(adaptive_flow) = %v", err)
	}
	if !strings.HasPrefix(c.ServerInfo().ContractVersion, "0.8.") {
		t.Fatalf("server info %+v", c.ServerInfo())
	}
}

func TestCallbackTools(t *testing.T) { eachTransport(t, testCallbackTools) }

func testCallbackTools(t *testing.T, connect connectFunc) {
	echo := sdk.FuncTool("echo", "echoes text", json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}}}`),
		func(ctx context.Context, a struct{ Text string }) (string, error) { return "echo: " + a.Text, nil })
	c := connect(t, sdk.Options{RealmBackend: "memory", Tools: []sdk.Tool{echo}})
	ctx := ctxT(t)
	s, err := c.CreateSession(ctx, "start", nil)
	if err != nil {
		t.Fatal(err)
	}
	stream := s.Stream(ctx, "use echo", nil)
	var got *event.ToolResultReceived
	for ev := range stream.Events() {
		if r, ok := ev.(event.ToolResultReceived); ok {
			got = &r
		}
	}
	res, err := stream.Result()
	if err != nil || res.ToolCalls != 1 || got == nil || got.IsError || len(got.Content) != 1 || got.Content[0].Text != "echo: hi" {
		t.Fatalf("tool round trip: result %+v %v, tool result %+v", res, err, got)
	}

	broken := sdk.Tool{Name: "broken", Description: "fails", Handler: func(context.Context, json.RawMessage) (string, error) {
		return "", errors.New("disk on fire")
	}}
	s2, err := c.CreateSession(ctx, "use broken", &sdk.CreateOptions{ExternalTools: []sdk.Tool{broken}})
	if err != nil || s2.Last.ToolCalls != 1 {
		t.Fatalf("external tool session = %+v, %v", s2, err)
	}
	h, _ := s2.History(ctx, 0, 0)
	found := false
	for _, m := range h.Messages {
		for _, r := range m.Results {
			found = found || (r.IsError && strings.Contains(string(r.Content), "disk on fire"))
		}
	}
	if !found {
		t.Fatalf("history lacks the failed tool result: %+v", h.Messages)
	}
}

func TestTypedErrors(t *testing.T) {
	eachTransport(t, testTypedErrors)
	ctx := ctxT(t)
	if _, err := sdk.Connect(ctx, sdk.Options{BinaryPath: "/nonexistent/rkat-rpc"}); !errors.Is(err, sdk.ErrBinaryNotFound) {
		t.Fatalf("missing binary: %v", err)
	}
	if _, err := sdk.Connect(ctx, sdk.Options{RealmID: "a", Isolated: true, BinaryPath: binary}); !errors.Is(err, sdk.ErrInvalidParams) {
		t.Fatalf("realm+isolated: %v", err)
	}
	if _, err := sdk.Connect(ctx, sdk.Options{BinaryPath: binary, RealmBackend: "memory",
		StateRoot: t.TempDir(), Require: []string{"adaptive_flow"}}); !errors.Is(err, sdk.ErrCapabilityUnavailable) {
		t.Fatalf("Require(adaptive_flow): %v", err)
	}
}

func testTypedErrors(t *testing.T, connect connectFunc) {
	c := connect(t, sdk.Options{RealmBackend: "memory"})
	ctx := ctxT(t)
	if _, err := c.Session("0196f3a2-5c1e-7d00-8a10-2b9c4e6f0a11").Turn(ctx, "x", nil); !errors.Is(err, sdk.ErrSessionNotFound) {
		t.Fatalf("unknown session: %v", err)
	}
	if _, err := c.CreateSession(ctx, "x", &sdk.CreateOptions{Provider: "bogus"}); !errors.Is(err, sdk.ErrInvalidParams) {
		t.Fatalf("bad provider: %v", err)
	}
	var se *sdk.Error
	if _, err := c.CreateSession(ctx, "explode", nil); !errors.Is(err, sdk.ErrProviderError) || !errors.As(err, &se) || se.RPCCode != -32010 {
		t.Fatalf("provider failure: %v", err)
	}
	max1 := int64(1)
	if _, err := c.CreateSession(ctx, "use echo", &sdk.CreateOptions{Budget: &wire.BudgetLimits{MaxTokens: &max1}}); !errors.Is(err, sdk.ErrBudgetExhausted) {
		t.Fatalf("budget: %v", err)
	}

	s, err := c.CreateSession(ctx, "hi", nil)
	if err != nil {
		t.Fatal(err)
	}
	slow := s.Stream(ctx, "slow turn", nil)
	for ev := range slow.Events() {
		if _, ok := ev.(event.TextDelta); ok {
			break // the turn is running
		}
	}
	if _, err := s.Turn(ctx, "competing", nil); !errors.Is(err, sdk.ErrSessionBusy) {
		t.Fatalf("competing turn: %v", err)
	}
	if r, err := s.Interrupt(ctx); err != nil || !r.Interrupted {
		t.Fatalf("Interrupt = %+v, %v", r, err)
	}
	if _, err := slow.Result(); !errors.Is(err, sdk.ErrStreamNotConsumed) {
		t.Fatalf("abandoned stream Result = %v", err)
	}
}

func TestInterruptCancelsStream(t *testing.T) { eachTransport(t, testInterruptCancelsStream) }

func testInterruptCancelsStream(t *testing.T, connect connectFunc) {
	c := connect(t, sdk.Options{RealmBackend: "memory"})
	ctx := ctxT(t)
	s, err := c.CreateSession(ctx, "hi", nil)
	if err != nil {
		t.Fatal(err)
	}
	slow := s.Stream(ctx, "slow turn", nil)
	n := 0
	for ev := range slow.Events() {
		if _, ok := ev.(event.TextDelta); ok {
			if n++; n == 1 {
				if _, err := s.Interrupt(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if _, err := slow.Result(); !errors.Is(err, sdk.ErrRequestCancelled) {
		t.Fatalf("interrupted stream: %v", err)
	}
}

func TestVersionMismatchAndClosedConnection(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "old-rpc")
	body := "#!/bin/sh\nread line\n" +
		`echo '{"jsonrpc":"2.0","id":1,"result":{"server_info":{"name":"old","version":"0.6.6"},"contract_version":"0.6.6","methods":[]}}'` +
		"\ncat >/dev/null\n"
	if err := os.WriteFile(fake, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	ctx := ctxT(t)
	if _, err := sdk.Connect(ctx, sdk.Options{BinaryPath: fake}); !errors.Is(err, sdk.ErrVersionMismatch) {
		t.Fatalf("old server: %v", err)
	}
	t.Setenv(sdk.EnvBinPath, "")
	t.Setenv(sdk.EnvMeerkatBinPath, fake)
	if got, err := sdk.ResolveBinary("", os.Getenv); err != nil || got != fake {
		t.Fatalf("ResolveBinary via MEERKAT_BIN_PATH = %q, %v", got, err)
	}
	t.Setenv(sdk.EnvBinPath, "no-such-binary-on-path")
	if _, err := sdk.ResolveBinary("", os.Getenv); !errors.Is(err, sdk.ErrBinaryNotFound) {
		t.Fatalf("ResolveBinary bare name = %v", err)
	}

	c := connect(t, sdk.Options{RealmBackend: "memory"})
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListSessions(ctx, nil, 0, 0); !errors.Is(err, sdk.ErrConnectionClosed) {
		t.Fatalf("call after Close: %v", err)
	}
}

// A subscription opened before two turns receives both turns' events, then
// ends when closed; an ended subscription closes again without error.
func TestSubscribeEvents(t *testing.T) {
	c := connect(t, sdk.Options{})
	ctx := ctxT(t)
	s, err := c.CreateSession(ctx, "hi", nil)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := s.SubscribeEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, prompt := range []string{"second", "third"} {
		if _, err := s.Turn(ctx, prompt, nil); err != nil {
			t.Fatal(err)
		}
	}
	var prompts []string
	for env := range sub.Events() {
		if env.SessionID != s.ID {
			t.Fatalf("event of session %s", env.SessionID)
		}
		if rs, ok := env.Event.(event.RunStarted); ok {
			prompts = append(prompts, rs.Prompt)
		}
		if _, ok := env.Event.(event.RunCompleted); ok && len(prompts) == 2 {
			break
		}
	}
	if strings.Join(prompts, ",") != "second,third" {
		t.Fatalf("subscription saw runs %v", prompts)
	}
	info, err := c.HostInfo(ctx)
	if err != nil || !info.Capabilities.Features.SessionStreams || info.Health.Status != wire.HealthOK {
		t.Fatalf("HostInfo = %+v, %v", info, err)
	}
	if h, err := c.HostHealth(ctx); err != nil || h.Status != wire.HealthOK {
		t.Fatalf("HostHealth = %+v, %v", h, err)
	}
	if err := sub.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := sub.Close(ctx); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	accepted, err := s.SendExternalEvent(ctx, "ping", map[string]int{"n": 1})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := s.InputState(ctx, wire.InputSelector{By: wire.SelectByInputID, Value: accepted.InputID}); err != nil || st == nil || st.CurrentState != "applied" {
		t.Fatalf("InputState = %+v, %v", st, err)
	}
	if st, err := s.InputState(ctx, wire.InputSelector{By: wire.SelectByIdempotencyKey, Value: "unknown"}); err != nil || st != nil {
		t.Fatalf("InputState of an unknown key = %+v, %v", st, err)
	}

	// Archiving the session ends a subscription from the server's side.
	ended, err := s.SubscribeEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Archive(ctx); err != nil {
		t.Fatal(err)
	}
	for range ended.Events() {
	}
	if end := ended.End(); end == nil || end.Outcome != wire.StreamRemoteEnd || end.StreamID != ended.StreamID() {
		t.Fatalf("End after archive = %+v", end)
	}
}

// gate is a hooks_override whose guardrail denies every run at run_started.
const gate = `{"entries":[{"id":"gate","point":"run_started","capability":"guardrail","runtime":{"type":"command",` +
	`"command":"/bin/sh","args":["-c","cat >/dev/null; echo '{\"decision\":\"deny\",\"reason_code\":\"policy_violation\",\"message\":\"closed\"}'"]}}]}`

// TestHookDenied: over stdio a guardrail hook that denies the run surfaces
// as HookDenied with the denial's typed details; rkat serve's /rpc refuses
// hooks_override (its hooks would run commands on the server).
func TestHookDenied(t *testing.T) {
	t.Run("stdio", func(t *testing.T) {
		c := connect(t, sdk.Options{RealmBackend: "memory"})
		ctx := ctxT(t)
		_, err := c.CreateSession(ctx, "hi", &sdk.CreateOptions{HooksOverride: json.RawMessage(gate)})
		var se *sdk.Error
		var details struct {
			HookID     string `json:"hook_id"`
			Point      string `json:"point"`
			ReasonCode string `json:"reason_code"`
			Message    string `json:"message"`
		}
		if !errors.Is(err, sdk.ErrHookDenied) || !errors.As(err, &se) || se.RPCCode != -32012 {
			t.Fatalf("hook denial: %v", err)
		}
		if json.Unmarshal(se.Details, &details) != nil || details.HookID != "gate" || details.Point != "run_started" ||
			details.ReasonCode != "policy_violation" || details.Message != "closed" {
			t.Fatalf("hook denial details %s", se.Details)
		}
		if _, err := c.CreateSession(ctx, "hi", &sdk.CreateOptions{HooksOverride: json.RawMessage(`{"entries":[{"id":"x"}]}`)}); !errors.Is(err, sdk.ErrInvalidParams) {
			t.Fatalf("invalid hooks_override: %v", err)
		}
	})
	t.Run("websocket", func(t *testing.T) {
		c := connectWS(t, sdk.Options{})
		if _, err := c.CreateSession(ctxT(t), "hi", &sdk.CreateOptions{HooksOverride: json.RawMessage(gate)}); !errors.Is(err, sdk.ErrInvalidParams) {
			t.Fatalf("hooks_override over rkat serve: %v", err)
		}
	})
}
