package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/sqlite"
)

// rkatBin is the binary built once by TestMain for the CLI tests.
var rkatBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "rkat-cli-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rkatBin = filepath.Join(dir, "rkat")
	build := exec.Command("go", "build", "-o", rkatBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	code := 1
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building rkat:", err)
	} else {
		code = pg.Wrap(m).Run()
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// cliScript drives the scripted provider of the CLI tests.
const cliScript = `{"rules": [
  {"match": "slow turn", "responses": [{"text": "this answer arrives slowly", "chunks": 25, "delay_ms": 200}]},
  {"match": "use the clock", "responses": [
     {"tool_calls": [{"name": "current_time", "args": {}}]},
     {"text": "tool said hi"}]}
]}`

type cli struct {
	t    *testing.T
	root string
	env  []string
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	dir := t.TempDir()
	script := filepath.Join(dir, "script.json")
	if err := os.WriteFile(script, []byte(cliScript), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "RKAT_TEST_SCRIPT=" + script}
	return &cli{t: t, root: filepath.Join(dir, "state"), env: env}
}

// cmd prepares an rkat invocation against the test's state root.
func (c *cli) cmd(args ...string) *exec.Cmd {
	cmd := exec.Command(rkatBin, append(args, "--state-root", c.root)...)
	cmd.Env = c.env
	return cmd
}

// run runs rkat and returns stdout, stderr and the exit code.
func (c *cli) run(args ...string) (string, string, int) {
	c.t.Helper()
	cmd := c.cmd(args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return out.String(), errOut.String(), 0
	case errors.As(err, &ee):
		return out.String(), errOut.String(), ee.ExitCode()
	}
	c.t.Fatalf("rkat %v: %v", args, err)
	return "", "", -1
}

type runJSON struct {
	SessionID        string          `json:"session_id"`
	Text             string          `json:"text"`
	Turns            int             `json:"turns"`
	ToolCalls        int             `json:"tool_calls"`
	Usage            map[string]int  `json:"usage"`
	StructuredOutput json.RawMessage `json:"structured_output"`
}

func (c *cli) runJSON(args ...string) runJSON {
	c.t.Helper()
	out, errOut, code := c.run(append([]string{"run", "--provider", "scripted", "--json"}, args...)...)
	if code != 0 {
		c.t.Fatalf("rkat run %v: exit %d: %s", args, code, errOut)
	}
	var res runJSON
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		c.t.Fatalf("run output %q: %v", out, err)
	}
	return res
}

type historyJSON struct {
	MessageCount int  `json:"message_count"`
	HasMore      bool `json:"has_more"`
	Messages     []struct {
		Role    string `json:"role"`
		Content []struct {
			Text string `json:"text"`
		} `json:"content"`
	} `json:"messages"`
}

func (c *cli) history(id string) historyJSON {
	c.t.Helper()
	out, errOut, code := c.run("sessions", "history", id, "--json")
	if code != 0 {
		c.t.Fatalf("sessions history: exit %d: %s", code, errOut)
	}
	var h historyJSON
	if err := json.Unmarshal([]byte(out), &h); err != nil {
		c.t.Fatalf("history output %q: %v", out, err)
	}
	return h
}

func TestRunJSONContinueAndHistory(t *testing.T) {
	c := newCLI(t)
	first := c.runJSON("hello")
	if first.SessionID == "" || first.Text == "" || first.Turns != 1 || first.Usage["output_tokens"] == 0 {
		t.Fatalf("first run = %+v", first)
	}
	again := c.runJSON("--session", first.SessionID, "again")
	if again.SessionID != first.SessionID || !strings.Contains(again.Text, "again") {
		t.Fatalf("continued run = %+v", again)
	}
	// Every command is a fresh process: the history survived restarts.
	h := c.history(first.SessionID)
	var got []string
	for _, m := range h.Messages {
		got = append(got, m.Role+":"+m.Content[0].Text)
	}
	want := []string{"user:hello", "assistant:" + first.Text, "user:again", "assistant:" + again.Text}
	if strings.Join(got, "|") != strings.Join(want, "|") || h.MessageCount != 4 || h.HasMore {
		t.Errorf("history = %v (count %d), want %v", got, h.MessageCount, want)
	}
	dbs, _ := filepath.Glob(filepath.Join(c.root, "realms", "*", "state.db"))
	if len(dbs) != 1 {
		t.Errorf("state files = %v, want one SQLite file under the state root", dbs)
	}

	out, _, code := c.run("sessions", "list")
	if code != 0 || !strings.Contains(out, first.SessionID) {
		t.Errorf("sessions list (exit %d):\n%s", code, out)
	}
	out, _, code = c.run("sessions", "show", first.SessionID)
	if code != 0 || !strings.Contains(out, "runs") || !strings.Contains(out, "scripted") {
		t.Errorf("sessions show (exit %d):\n%s", code, out)
	}
	if _, _, code := c.run("sessions", "archive", first.SessionID); code != 0 {
		t.Fatalf("archive exit %d", code)
	}
	out, _, _ = c.run("sessions", "list")
	if strings.Contains(out, first.SessionID) {
		t.Errorf("archived session still listed:\n%s", out)
	}
	if _, errOut, code := c.run("run", "--provider", "scripted", "--session", first.SessionID, "more"); code != 1 || !strings.Contains(errOut, "archived") {
		t.Errorf("turn on archived session: exit %d, %s", code, errOut)
	}
}

func TestRunStreamsTextAndUsage(t *testing.T) {
	c := newCLI(t)
	out, errOut, code := c.run("run", "--provider", "scripted", "use the clock")
	if code != 0 || out != "tool said hi\n" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	for _, want := range []string{"[tool current_time", "tool calls 1", "tokens in"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr %q lacks %q", errOut, want)
		}
	}
}

func TestRunOutputSchema(t *testing.T) {
	c := newCLI(t)
	schema := filepath.Join(t.TempDir(), "schema.json")
	os.WriteFile(schema, []byte(`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`), 0o600)
	res := c.runJSON("--output-schema", schema, "capital of France")
	var v map[string]any
	if err := json.Unmarshal(res.StructuredOutput, &v); err != nil || v["city"] == nil {
		t.Errorf("structured_output = %s (%v)", res.StructuredOutput, err)
	}
}

func TestRunExitCodes(t *testing.T) {
	c := newCLI(t)
	badScript := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(badScript, []byte(`{"rules":[{"match":"x"}]}`), 0o600)
	badSchema := filepath.Join(t.TempDir(), "schema.json")
	os.WriteFile(badSchema, []byte(`{"type":"no-such-type"}`), 0o600)
	notJSON := filepath.Join(t.TempDir(), "schema.json")
	os.WriteFile(notJSON, []byte(`{"type":`), 0o600)
	tests := []struct {
		name   string
		env    []string
		args   []string
		code   int
		stderr string
	}{
		{"no credentials", nil, []string{"run", "hi"}, 1, "ANTHROPIC_API_KEY"},
		{"no credentials hint", nil, []string{"run", "hi"}, 1, "--provider scripted"},
		{"test client env", []string{"RKAT_TEST_CLIENT=1"}, []string{"run", "hi"}, 0, "tokens in"},
		{"budget", nil, []string{"run", "--provider", "scripted", "--budget-turns", "1", "use the clock"}, 2, "budget"},
		{"unknown session", nil, []string{"run", "--provider", "scripted", "--session", "nope", "hi"}, 1, "not found"},
		{"invalid script", []string{"RKAT_TEST_SCRIPT=" + badScript}, []string{"run", "--provider", "scripted", "hi"}, 1, "responses"},
		{"missing schema file", nil, []string{"run", "--provider", "scripted", "--output-schema", "/nonexistent", "hi"}, 1, "output-schema"},
		{"invalid schema", nil, []string{"run", "--provider", "scripted", "--output-schema", badSchema, "hi"}, 1, "not a valid JSON Schema"},
		{"schema not JSON", nil, []string{"run", "--provider", "scripted", "--output-schema", notJSON, "hi"}, 1, "schema.json: schema is not valid JSON"},
		{"bad realm", nil, []string{"run", "--provider", "scripted", "--realm", "../x", "hi"}, 1, "realm name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := *c
			sub.t, sub.env = t, append(slices.Clone(c.env), tt.env...)
			_, errOut, code := sub.run(tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut, tt.code, tt.stderr)
			}
		})
	}
}

// startSlow starts a slow streaming `rkat run` and returns once the answer
// has begun to arrive.
func (c *cli) startSlow(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := c.cmd(append([]string{"run", "--provider", "scripted"}, append(args, "slow turn")...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	first := make(chan error, 1)
	go func() {
		buf := make([]byte, 64)
		_, err := stdout.Read(buf)
		first <- err
		io.Copy(io.Discard, stdout)
	}()
	select {
	case err := <-first:
		if err != nil {
			t.Fatalf("slow run produced no output: %v (%s)", err, errOut.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("slow run produced no output in 30s")
	}
	return cmd, &errOut
}

func TestRunCtrlCInterrupts(t *testing.T) {
	c := newCLI(t)
	first := c.runJSON("hello")
	cmd, errOut := c.startSlow(t, "--session", first.SessionID)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
		t.Fatalf("interrupted run: %v (%s)", err, errOut.String())
	}
	h := c.history(first.SessionID)
	if h.MessageCount != 3 || h.Messages[2].Role != "user" || h.Messages[2].Content[0].Text != "slow turn" {
		t.Errorf("history after Ctrl-C = %+v", h)
	}
}

// TestCrashSafety kills `rkat run` mid-turn and checks that the store opens
// cleanly with every committed row intact.
func TestCrashSafety(t *testing.T) {
	c := newCLI(t)
	first := c.runJSON("hello")
	second := c.runJSON("--session", first.SessionID, "use the clock")
	other := c.runJSON("another session")
	before := c.history(first.SessionID)

	const leaseTTL = time.Second
	cmd, _ := c.startSlow(t, "--session", first.SessionID, "--lease-ttl", leaseTTL.String())
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatal("killed process exited cleanly")
	}

	dbs, _ := filepath.Glob(filepath.Join(c.root, "realms", "*", "state.db"))
	if len(dbs) != 1 {
		t.Fatalf("state files = %v", dbs)
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Config{Path: dbs[0]})
	if err != nil {
		t.Fatalf("store does not open after the crash: %v", err)
	}
	rows, total, err := st.Rows(ctx, first.SessionID, 0, 0)
	if err != nil || total != before.MessageCount || len(rows) != total {
		t.Fatalf("rows after crash: %d (total %d), %v; want %d", len(rows), total, err, before.MessageCount)
	}
	for i, r := range rows {
		want := before.Messages[i]
		if string(r.Role) != want.Role || len(r.Content) != len(want.Content) || (len(r.Content) > 0 && r.Content[0].Text != want.Content[0].Text) {
			t.Errorf("row %d after crash = %+v, want %+v", i, r, want)
		}
	}
	if rows[3].Role != store.RoleAssistant || second.ToolCalls != 1 {
		t.Errorf("tool turn rows: %+v", rows[2:])
	}
	if s, err := st.Session(ctx, other.SessionID); err != nil || s.MessageCount != 2 {
		t.Errorf("other session after crash: %+v, %v", s, err)
	}
	st.Close()
	// The realm keeps working: the session takes another turn once the
	// killed process's lease lapsed (busy until then).
	killed := time.Now()
	for {
		_, errOut, code := c.run("run", "--provider", "scripted", "--json", "--session", first.SessionID, "probe")
		if code == 0 {
			break
		}
		if !strings.Contains(errOut, "busy") || time.Since(killed) > leaseTTL+5*time.Second {
			t.Fatalf("turn after the crash (%v later): exit %d: %s", time.Since(killed), code, errOut)
		}
		time.Sleep(100 * time.Millisecond)
	}
	again := c.runJSON("--session", first.SessionID, "after the crash")
	if again.Text == "" || c.history(first.SessionID).MessageCount != before.MessageCount+4 {
		t.Errorf("turn after crash = %+v", again)
	}
}
