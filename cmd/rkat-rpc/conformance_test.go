package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/testbin"
)

// binary is the rkat-rpc built for this test run.
var binary string

// testScript drives the scripted provider (format: llm/scripted/doc.go).
const testScript = `{"rules": [
  {"match": "use echo", "responses": [{"tool_calls": [{"name": "echo", "args": {"text": "hi"}}]}, {"text": "tool said hi"}]},
  {"match": "slow turn", "responses": [{"text": "done slowly", "chunks": 40, "delay_ms": 100}]},
  {"match": "builtins and callback", "responses": [{"tool_calls": [
     {"name": "echo", "args": {"text": "from the client"}},
     {"name": "task_create", "args": {"subject": "kept across restarts", "description": "d"}},
     {"name": "shell", "args": {"command": "echo $FROM_ENV; pwd"}},
     {"name": "read_file", "args": {"path": 7}}]}, {"text": "mixed tools done"}]},
  {"match": "list my tasks", "responses": [{"tool_calls": [{"name": "task_list", "args": {}}]}, {"text": "listed"}]},
  {"match": "schedule my follow-up", "responses": [
     {"tool_calls": [{"name": "meerkat_schedule_create", "args": {"name": "follow-up",
        "trigger": {"type": "once", "due_at_utc": "2030-01-01T00:00:00Z"},
        "target": {"target_kind": "session", "type": "current_session", "action": {"type": "prompt", "prompt": "follow up"}}}}]},
     {"text": "scheduled"}]}
]}`

// rkatBin is rkat, whose serve command runs the conformance walk over the
// /rpc WebSocket.
var rkatBin string

func TestMain(m *testing.M) {
	testbin.MainBuilds(pg.Wrap(m), map[string]*string{"github.com/rkat-dev/rkat/cmd/rkat-rpc": &binary, "github.com/rkat-dev/rkat/cmd/rkat": &rkatBin},
		map[string]string{"script.json": testScript})
}

type msg = map[string]json.RawMessage

// peer is a running rkat-rpc spoken to line by line, or (cmd nil) the /rpc
// WebSocket of rkat serve, one message per line.
type peer struct {
	t      *testing.T
	cmd    *exec.Cmd
	in     io.WriteCloser
	lines  chan []byte
	stderr *strings.Builder
	nextID int
}

func start(t *testing.T, args ...string) *peer {
	t.Helper()
	return startWith(t, nil, args...)
}

// startWith starts rkat-rpc with extra environment variables, which win
// over the defaults (e.g. another RKAT_TEST_SCRIPT).
func startWith(t *testing.T, env []string, args ...string) *peer {
	t.Helper()
	return startEnv(t, append(append(os.Environ(), "RKAT_TEST_CLIENT=1", "RKAT_TEST_SCRIPT="+filepath.Join(filepath.Dir(binary), "script.json")), env...), args...)
}

// startEnv starts rkat-rpc with exactly the environment env.
func startEnv(t *testing.T, env []string, args ...string) *peer {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &peer{t: t, cmd: cmd, in: in, lines: make(chan []byte, 1024), stderr: &strings.Builder{}, nextID: 100}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(p.lines)
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		for sc.Scan() {
			p.lines <- append([]byte(nil), sc.Bytes()...)
		}
	}()
	t.Cleanup(func() {
		p.in.Close()
		for range p.lines { // drain until the process closes stdout
		}
		_ = p.cmd.Wait()
	})
	return p
}

func (p *peer) send(line string) {
	p.t.Helper()
	if _, err := io.WriteString(p.in, line+"\n"); err != nil {
		p.t.Fatalf("write: %v", err)
	}
}

func (p *peer) read() msg {
	p.t.Helper()
	select {
	case line, ok := <-p.lines:
		if !ok {
			p.t.Fatalf("server closed stdout (stderr: %q)", p.stderr.String())
		}
		var m msg
		if err := json.Unmarshal(line, &m); err != nil {
			p.t.Fatalf("stdout line is not JSON: %q", line)
		}
		if string(m["jsonrpc"]) != `"2.0"` {
			p.t.Fatalf("line without jsonrpc 2.0: %s", line)
		}
		return m
	case <-time.After(20 * time.Second):
		p.t.Fatal("no line from the server within 20s")
	}
	return nil
}

// request sends a request and returns its id.
func (p *peer) request(method string, params any) int {
	p.t.Helper()
	p.nextID++
	b, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": p.nextID, "method": method, "params": params})
	if err != nil {
		p.t.Fatal(err)
	}
	p.send(string(b))
	return p.nextID
}

// await reads until the response to id and returns the notifications seen
// before it. onCall answers server requests.
func (p *peer) await(id int, onCall func(msg) any) ([]msg, msg) {
	p.t.Helper()
	var notes []msg
	for {
		m := p.read()
		switch {
		case m["method"] != nil && m["id"] != nil:
			if onCall == nil {
				p.t.Fatalf("unexpected server request %v", m)
			}
			b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": m["id"], "result": onCall(m)})
			p.send(string(b))
		case m["method"] != nil:
			notes = append(notes, m)
		case string(m["id"]) == fmt.Sprint(id):
			return notes, m
		default:
			p.t.Fatalf("response to another request while awaiting %d: %v", id, m)
		}
	}
}

// awaitMany reads until every id is answered, skipping notifications.
func (p *peer) awaitMany(ids ...int) map[int]msg {
	p.t.Helper()
	out := map[int]msg{}
	for len(out) < len(ids) {
		m := p.read()
		if m["method"] != nil {
			continue
		}
		var id int
		if err := json.Unmarshal(m["id"], &id); err != nil || !slices.Contains(ids, id) {
			p.t.Fatalf("unexpected response %v", m)
		}
		out[id] = m
	}
	return out
}

// call is request + await, failing on an error answer.
func (p *peer) call(method string, params any, out any) []msg {
	p.t.Helper()
	notes, resp := p.await(p.request(method, params), nil)
	if resp["error"] != nil {
		p.t.Fatalf("%s: error %s", method, resp["error"])
	}
	if out != nil {
		if err := json.Unmarshal(resp["result"], out); err != nil {
			p.t.Fatalf("%s: result %s: %v", method, resp["result"], err)
		}
	}
	return notes
}

// callErr expects an error answer and returns its code and semantic code.
func (p *peer) callErr(method string, params any) (int, string) {
	p.t.Helper()
	_, resp := p.await(p.request(method, params), nil)
	return errorOf(p.t, resp)
}

func errorOf(t *testing.T, resp msg) (int, string) {
	t.Helper()
	var e struct {
		Code    int
		Message string
		Data    struct{ Code string }
	}
	if resp["error"] == nil || json.Unmarshal(resp["error"], &e) != nil || e.Message == "" {
		t.Fatalf("want an error, got %v", resp)
	}
	return e.Code, e.Data.Code
}

var uuidV7 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

type envelope struct {
	SessionID string `json:"session_id"`
	Event     struct {
		EventID string `json:"event_id"`
		Source  struct {
			Type      string `json:"type"`
			SessionID string `json:"session_id"`
		} `json:"source"`
		Seq         *uint64         `json:"seq"`
		TimestampMS *uint64         `json:"timestamp_ms"`
		Payload     json.RawMessage `json:"payload"`
	} `json:"event"`
}

// checkEvents validates session/event notifications of one run and returns
// their payload types.
func checkEvents(t *testing.T, notes []msg, sid string, lastSeq *uint64) []string {
	t.Helper()
	var types []string
	for _, n := range notes {
		if string(n["method"]) != `"session/event"` || n["id"] != nil {
			t.Fatalf("unexpected notification %v", n)
		}
		var e envelope
		if err := json.Unmarshal(n["params"], &e); err != nil {
			t.Fatalf("event params: %v", err)
		}
		ev := e.Event
		if e.SessionID != sid || ev.Source.Type != "session" || ev.Source.SessionID != sid {
			t.Fatalf("event of session %q/%q, want %q", e.SessionID, ev.Source.SessionID, sid)
		}
		if !uuidV7.MatchString(ev.EventID) || ev.Seq == nil || ev.TimestampMS == nil || *ev.TimestampMS == 0 {
			t.Fatalf("bad envelope %s", n["params"])
		}
		if *ev.Seq <= *lastSeq {
			t.Fatalf("seq %d after %d", *ev.Seq, *lastSeq)
		}
		*lastSeq = *ev.Seq
		var pl struct{ Type string }
		if err := json.Unmarshal(ev.Payload, &pl); err != nil || pl.Type == "" {
			t.Fatalf("payload without type: %s", ev.Payload)
		}
		types = append(types, pl.Type)
	}
	return types
}

type runResult struct {
	SessionID  string `json:"session_id"`
	SessionRef string `json:"session_ref"`
	Text       *string
	Turns      *int
	ToolCalls  *int `json:"tool_calls"`
	Usage      *struct {
		InputTokens  *int64 `json:"input_tokens"`
		OutputTokens *int64 `json:"output_tokens"`
	}
}

func (r runResult) check(t *testing.T) {
	t.Helper()
	if r.SessionID == "" || r.Text == nil || r.Turns == nil || r.ToolCalls == nil || r.Usage == nil ||
		r.Usage.InputTokens == nil || r.Usage.OutputTokens == nil {
		t.Fatalf("invalid WireRunResult %+v", r)
	}
}
