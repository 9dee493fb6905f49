package mcp

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/internal/mcptest"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// newSessions returns Sessions over servers, closed when the test ends.
func newSessions(t *testing.T, servers ...ServerConfig) *Sessions {
	t.Helper()
	s := NewSessions(Config{Servers: servers, ConnectTimeout: 30 * time.Second, CallTimeout: 30 * time.Second})
	t.Cleanup(func() { s.Close() })
	return s
}

func turnTools(t *testing.T, s *Sessions, id string, turn int) (*tool.Set, []event.ToolConfigChange) {
	t.Helper()
	set, events := s.TurnTools(context.Background(), id, turn)
	var changes []event.ToolConfigChange
	for _, e := range events {
		changes = append(changes, e.(event.ToolConfigChanged).Payload)
	}
	return set, changes
}

func call(t *testing.T, set *tool.Set, name, args string) tool.Result {
	t.Helper()
	tl, ok := set.Lookup(name)
	if !ok {
		t.Fatalf("tool %s not listed; have %v", name, names(set))
	}
	res, err := tl.Call(context.Background(), json.RawMessage(args))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

func names(set *tool.Set) []string {
	var out []string
	for _, d := range set.Defs() {
		out = append(out, d.Name)
	}
	return out
}

func TestEverythingServer(t *testing.T) {
	bin := mcptest.Bin(t, mcptest.Everything)
	url, sse := mcptest.StartHTTP(t), mcptest.StartSSE(t)
	for _, tc := range []struct {
		name string
		cfg  ServerConfig
	}{
		{"stdio", ServerConfig{Name: "everything", Command: bin, Args: []string{"stdio"}}},
		{"streamable-http", ServerConfig{Name: "everything", URL: url}},
		{"sse", ServerConfig{Name: "everything", URL: sse, Transport: TransportSSE}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSessions(t, tc.cfg)
			set, changes := turnTools(t, s, "s1", 1)
			if len(changes) != 0 {
				t.Fatalf("changes = %+v", changes)
			}
			for _, want := range []string{"everything__echo", "everything__get-tiny-image", "everything__get-sum"} {
				if _, ok := set.Lookup(want); !ok {
					t.Fatalf("%s missing from %v", want, names(set))
				}
			}
			echo, _ := set.Lookup("everything__echo")
			if d := echo.Def(); !strings.Contains(string(d.InputSchema), `"message"`) || !strings.HasPrefix(d.Description, "[MCP everything]") {
				t.Fatalf("echo def = %+v", d)
			}

			res := call(t, set, "everything__echo", `{"message":"hello mcp"}`)
			if res.IsError || len(res.Content) != 1 || res.Content[0].Text != "Echo: hello mcp" {
				t.Fatalf("echo = %+v", res)
			}
			res = call(t, set, "everything__get-tiny-image", `{}`)
			img := slices.IndexFunc(res.Content, func(b llm.Block) bool { return b.Type == llm.BlockImage })
			if img < 0 || res.Content[img].MediaType != "image/png" {
				t.Fatalf("image result = %+v", res.Content)
			}
			png, err := base64.StdEncoding.DecodeString(res.Content[img].Data)
			if err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
				t.Fatalf("image data is not a base64 PNG: %v", err)
			}
			res = call(t, set, "everything__get-resource-reference", `{"resourceType":"Text","resourceId":2}`)
			if !slices.ContainsFunc(res.Content, func(b llm.Block) bool { return strings.HasPrefix(b.Text, "[resource ") }) {
				t.Fatalf("resource result = %+v", res.Content)
			}
			res = call(t, set, "everything__get-sum", `{"a":2,"b":"x"}`)
			if !res.IsError {
				t.Fatalf("bad arguments gave %+v, want an error result", res)
			}
		})
	}
}

// serverPID returns the pid of the running stdio server name of session id.
func serverPID(t *testing.T, s *Sessions, id, name string) int {
	t.Helper()
	m, err := s.manager(id)
	if err != nil {
		t.Fatal(err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	srv := m.servers[m.indexLocked(name)]
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.conn == nil || srv.conn.proc == nil {
		t.Fatalf("server %s has no process", name)
	}
	return srv.conn.proc.Process.Pid
}

func TestServerKilledBetweenTurnsRestartsLazily(t *testing.T) {
	bin := mcptest.Bin(t, mcptest.Everything)
	s := newSessions(t, ServerConfig{Name: "everything", Command: bin, Args: []string{"stdio"}})
	set, _ := turnTools(t, s, "s1", 1)
	if res := call(t, set, "everything__echo", `{"message":"one"}`); res.Content[0].Text != "Echo: one" {
		t.Fatalf("first call = %+v", res)
	}
	pid := serverPID(t, s, "s1", "everything")
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// The watcher notices the death; the tools stay listed at the next
	// boundary and the next call starts a new process.
	set2, changes := turnTools(t, s, "s1", 2)
	if len(changes) != 0 || set2.Len() != set.Len() {
		t.Fatalf("after the kill: %d tools (was %d), changes %+v", set2.Len(), set.Len(), changes)
	}
	if res := call(t, set2, "everything__echo", `{"message":"two"}`); res.IsError || res.Content[0].Text != "Echo: two" {
		t.Fatalf("call after the kill = %+v", res)
	}
	if pid2 := serverPID(t, s, "s1", "everything"); pid2 == pid {
		t.Fatalf("server was not restarted (pid %d)", pid)
	}
}

func TestBrokenServersAreReportedAndDropped(t *testing.T) {
	bin := mcptest.Bin(t, mcptest.Everything)
	garbage, _ := filepath.Abs("testdata/garbage.sh")
	s := NewSessions(Config{ConnectTimeout: 3 * time.Second, Servers: []ServerConfig{
		{Name: "everything", Command: bin, Args: []string{"stdio"}},
		{Name: "garbage", Command: garbage},
		{Name: "missing", Command: filepath.Join(t.TempDir(), "no-such-server")},
		{Name: "silent", Command: "/bin/sleep", Args: []string{"30"}, ConnectTimeoutSecs: 1},
	}})
	defer s.Close()
	set, changes := turnTools(t, s, "s1", 1)
	got := map[string]string{}
	for _, c := range changes {
		if c.Operation != "add" || c.StatusInfo.Kind != "warning_failed_closed" || c.StatusInfo.Error == "" {
			t.Errorf("change = %+v", c)
		}
		got[c.Target] = c.StatusInfo.Error
	}
	if len(got) != 3 || got["garbage"] == "" || got["missing"] == "" || !strings.Contains(got["silent"], "no answer within 1s") {
		t.Fatalf("reported failures = %v", got)
	}
	for _, n := range names(set) {
		if !strings.HasPrefix(n, "everything__") {
			t.Fatalf("tool %s of a failed server is listed", n)
		}
	}
	if res := call(t, set, "everything__echo", `{"message":"still here"}`); res.Content[0].Text != "Echo: still here" {
		t.Fatalf("healthy server after the failures = %+v", res)
	}
	// A failure is reported once; the next boundary stays quiet and, with
	// no tool list changed, hands out the same set (its compiled schemas
	// are reused).
	set2, changes := turnTools(t, s, "s1", 2)
	if len(changes) != 0 {
		t.Fatalf("second boundary changes = %+v", changes)
	}
	if set2 != set {
		t.Fatal("an unchanged boundary built a new tool set")
	}
}

func TestStagedChangesApplyAtTheBoundary(t *testing.T) {
	everything := mcptest.Bin(t, mcptest.Everything)
	filesystem := mcptest.Bin(t, mcptest.Filesystem)
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "note.txt"), []byte("rkat was here"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := newSessions(t, ServerConfig{Name: "everything", Command: everything, Args: []string{"stdio"}})
	set, _ := turnTools(t, s, "s1", 1)

	if err := s.Add("s1", ServerConfig{Name: "fs", Command: filesystem, Args: []string{root}}, true); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct {
		err  error
		call func() error
	}{
		{ErrServerExists, func() error { return s.Add("s1", ServerConfig{Name: "fs", Command: "x"}, false) }},
		{ErrUnknownServer, func() error { return s.Remove("s1", "nope", false) }},
		{ErrUnknownServer, func() error { return s.Reload("s1", "nope") }},
		{ErrConfig, func() error { return s.Add("s1", ServerConfig{Name: "x"}, false) }},
	} {
		if err := bad.call(); !errors.Is(err, bad.err) {
			t.Errorf("got %v, want %v", err, bad.err)
		}
	}
	if _, ok := set.Lookup("fs__read_text_file"); ok {
		t.Fatal("a staged server is visible before the boundary")
	}
	before := set
	set, changes := turnTools(t, s, "s1", 2)
	if set == before {
		t.Fatal("a boundary that added a server kept the old tool set")
	}
	if len(changes) != 1 || changes[0].Operation != "add" || changes[0].Target != "fs" ||
		changes[0].StatusInfo.Phase != "applied" || *changes[0].AppliedAtTurn != 2 || !changes[0].Persisted {
		t.Fatalf("changes = %+v", changes)
	}
	res := call(t, set, "fs__read_text_file", `{"path":`+strconv.Quote(filepath.Join(root, "note.txt"))+`}`)
	if res.IsError || !strings.Contains(res.Content[0].Text, "rkat was here") {
		t.Fatalf("read_text_file = %+v", res)
	}
	res = call(t, set, "fs__read_text_file", `{"path":"/etc/passwd"}`)
	if !res.IsError {
		t.Fatalf("read outside the allowed root = %+v", res)
	}

	pid := serverPID(t, s, "s1", "everything")
	if err := s.Reload("s1", "everything"); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove("s1", "fs", false); err != nil {
		t.Fatal(err)
	}
	set, changes = turnTools(t, s, "s1", 3)
	if len(changes) != 2 || changes[0].Operation != "reload" || changes[1].Operation != "remove" {
		t.Fatalf("changes = %+v", changes)
	}
	if _, ok := set.Lookup("fs__read_text_file"); ok {
		t.Fatal("removed server still listed")
	}
	if pid2 := serverPID(t, s, "s1", "everything"); pid2 == pid {
		t.Fatal("reload kept the old process")
	}
	// Other sessions are untouched.
	if set, _ := turnTools(t, s, "s2", 1); set.Len() == 0 {
		t.Fatal("session s2 has no tools")
	}
}

func TestGarbageAfterTheHandshakeIsReportedAndDropped(t *testing.T) {
	bin := mcptest.Bin(t, mcptest.Everything)
	script, _ := filepath.Abs("testdata/garbage-later.sh")
	s := newSessions(t,
		ServerConfig{Name: "later", Command: script, Args: []string{bin, "stdio"}},
		ServerConfig{Name: "good", Command: bin, Args: []string{"stdio"}})
	set, changes := turnTools(t, s, "s1", 1)
	if len(changes) != 0 {
		t.Fatalf("changes = %+v", changes)
	}
	// Wait for the garbage to end the connection.
	m, _ := s.manager("s1")
	m.mu.Lock()
	srv := m.servers[m.indexLocked("later")]
	m.mu.Unlock()
	srv.mu.Lock()
	done := srv.conn.done
	srv.mu.Unlock()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the garbage did not end the connection")
	}
	res := call(t, set, "later__echo", `{"message":"x"}`)
	if !res.IsError || !strings.Contains(res.Content[0].Text, "other than JSON-RPC") {
		t.Fatalf("call to the broken server = %+v", res)
	}
	set, changes = turnTools(t, s, "s1", 2)
	if len(changes) != 1 || changes[0].Target != "later" || changes[0].StatusInfo.Kind != "warning_failed_closed" {
		t.Fatalf("changes = %+v", changes)
	}
	for _, n := range names(set) {
		if strings.HasPrefix(n, "later__") {
			t.Fatalf("tool %s of the dropped server is listed", n)
		}
	}
	if res := call(t, set, "good__echo", `{"message":"ok"}`); res.IsError {
		t.Fatalf("the other server = %+v", res)
	}
}

func TestLiveSessionsAreBounded(t *testing.T) {
	bin := mcptest.Bin(t, mcptest.Everything)
	s := NewSessions(Config{MaxLiveSessions: 1, Servers: []ServerConfig{{Name: "e", Command: bin, Args: []string{"stdio"}}}})
	defer s.Close()
	running := func(id string) bool {
		m, _ := s.manager(id)
		m.mu.Lock()
		srv := m.servers[0]
		m.mu.Unlock()
		srv.mu.Lock()
		defer srv.mu.Unlock()
		return srv.conn != nil
	}
	turnTools(t, s, "s1", 1)
	turnTools(t, s, "s2", 1)
	if running("s1") || !running("s2") {
		t.Fatalf("running: s1 %v, s2 %v; want only s2", running("s1"), running("s2"))
	}
	set, changes := turnTools(t, s, "s1", 2)
	if len(changes) != 0 || !running("s1") || running("s2") {
		t.Fatalf("after s1's next turn: s1 %v, s2 %v, changes %+v", running("s1"), running("s2"), changes)
	}
	if res := call(t, set, "e__echo", `{"message":"back"}`); res.IsError {
		t.Fatalf("echo after the restart = %+v", res)
	}
}

// Closing a server kills the processes it started, not just the server.
func TestCloseKillsTheServersChildren(t *testing.T) {
	bin := mcptest.Bin(t, mcptest.Everything)
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	s := NewSessions(Config{Servers: []ServerConfig{{Name: "e", Command: "/bin/sh",
		Args: []string{"-c", "sleep 300 & echo $! > " + pidFile + "; exec " + bin + " stdio"}}}})
	if set, changes := turnTools(t, s, "s1", 1); set.Len() == 0 || len(changes) != 0 {
		t.Fatalf("start: %d tools, %+v", set.Len(), changes)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	child, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || !running(child) {
		t.Fatalf("child %q not running: %v", data, err)
	}
	s.Close()
	for deadline := time.Now().Add(10 * time.Second); running(child); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("child %d still running after Close", child)
		}
	}
}

// running reports whether pid is a live (not zombie) process.
func running(pid int) bool {
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	_, after, _ := strings.Cut(string(stat), ") ")
	return !strings.HasPrefix(after, "Z")
}

// A stdio server gets the environment without the provider API keys, plus
// its own env table (server-everything's get-env prints what it got).
func TestServerEnvironmentHasNoProviderKeys(t *testing.T) {
	bin := mcptest.Bin(t, mcptest.Everything)
	t.Setenv("ANTHROPIC_API_KEY", "sk-ant-must-not-leak")
	t.Setenv("RKAT_OPENAI_API_KEY", "sk-must-not-leak")
	s := newSessions(t, ServerConfig{Name: "e", Command: bin, Args: []string{"stdio"},
		Env: map[string]string{"FROM_CONFIG": "yes", "GEMINI_API_KEY": "given-on-purpose"}})
	set, _ := turnTools(t, s, "s1", 1)
	res := call(t, set, "e__get-env", `{}`)
	var env map[string]string
	if err := json.Unmarshal([]byte(res.Content[0].Text), &env); err != nil {
		t.Fatalf("get-env = %+v: %v", res, err)
	}
	if env["FROM_CONFIG"] != "yes" || env["GEMINI_API_KEY"] != "given-on-purpose" || env["PATH"] == "" {
		t.Fatalf("configured or inherited variables missing: %v", env)
	}
	for _, k := range []string{"ANTHROPIC_API_KEY", "RKAT_OPENAI_API_KEY"} {
		if _, ok := env[k]; ok {
			t.Fatalf("%s reached the server", k)
		}
	}
}

// A call past the per-call timeout is an error result; the server keeps
// serving the next call.
func TestCallTimeout(t *testing.T) {
	bin := mcptest.Bin(t, mcptest.Everything)
	s := NewSessions(Config{CallTimeout: 300 * time.Millisecond, Servers: []ServerConfig{{Name: "e", Command: bin, Args: []string{"stdio"}}}})
	defer s.Close()
	set, _ := turnTools(t, s, "s1", 1)
	res := call(t, set, "e__trigger-long-running-operation", `{"duration":5,"steps":5}`)
	if !res.IsError || !strings.Contains(res.Content[0].Text, "timed out after 300ms") {
		t.Fatalf("long call = %+v", res)
	}
	if res := call(t, set, "e__echo", `{"message":"after"}`); res.IsError {
		t.Fatalf("next call = %+v", res)
	}
}
