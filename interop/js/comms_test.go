package js_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/interoptest"
)

const commsScript = `{"rules": [
  {"match": "please greet the human", "responses": [
     {"tool_calls": [{"name": "send_message", "args": {"peer_id": "human", "body": "hello human, bob here"}}]},
     {"text": "greeted"}]}
]}`

// rpcLine sends one JSON-RPC request to rkat rpc's stdin and waits for its
// response line.
func rpcLine(t *testing.T, p *proc, in io.Writer, id int, method string, params any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fmt.Fprintf(in, "%s\n", b); err != nil {
		t.Fatal(err)
	}
	l := p.waitLine(t, fmt.Sprintf(`"id":%d,`, id))
	if strings.Contains(l, `"error"`) {
		t.Fatalf("%s: %s", method, l)
	}
	return l
}

// TestCommsPeopleInTheLoop: a person on the published JS SDK joins the
// comms channel of two rkat-rpc sessions on `rkat realtime`, sees them in
// presence, and talks with one of them; the session's history holds the
// person's message as input. Then the same in the channel mob/crew of a
// mob's two members.
func TestCommsPeopleInTheLoop(t *testing.T) {
	node := interoptest.RequireNode(t, ".")
	addr := freeAddr(t)
	server := serveRealtime(t, addr)
	defer func() { server.stop(t) }()
	script := filepath.Join(t.TempDir(), "comms.json")
	if err := os.WriteFile(script, []byte(commsScript), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(rkat, "rpc", "--realtime-url", "ws://"+addr, "--isolated")
	cmd.Env = append(os.Environ(), "RKAT_TEST_CLIENT=1", "RKAT_TEST_SCRIPT="+script, "RKAT_REALTIME_SECRET_KEY="+secret)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	rpc := startCmd(t, cmd)
	defer func() {
		stdin.Close()
		rpc.stop(t)
	}()
	var bob struct {
		Result struct {
			SessionID string `json:"session_id"`
		} `json:"result"`
	}
	line := rpcLine(t, rpc, stdin, 1, "session/create", map[string]any{"prompt": "hi", "comms_name": "bob",
		"peer_meta": map[string]any{"description": "bob the builder", "labels": map[string]string{"team": "blue"}}})
	if err := json.Unmarshal([]byte(line), &bob); err != nil || bob.Result.SessionID == "" {
		t.Fatalf("create bob: %s", line)
	}
	rpcLine(t, rpc, stdin, 2, "session/create", map[string]any{"prompt": "hi", "comms_name": "alice"})

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	js := exec.CommandContext(ctx, node, "comms-peer.mjs")
	js.Env = append(os.Environ(), "RKAT_URL=ws://"+addr, "RKAT_HTTP=http://"+addr, "RKAT_SECRET="+secret, "COMMS_CHANNEL=comms")
	interoptest.RunCheckScript(t, js, []string{"presence-members", "member-message", "member-after-bad-envelope"}, nil)

	hist := rpcLine(t, rpc, stdin, 3, "session/history", map[string]any{"session_id": bob.Result.SessionID, "offset": 0})
	if !strings.Contains(hist, "[comms peer_message from human") || !strings.Contains(hist, "greeted") {
		t.Fatalf("bob's history lacks the person's message:\n%s", hist)
	}

	// The same with a mob: its members share the channel mob/<mob_id>.
	rpcLine(t, rpc, stdin, 4, "mob/create", map[string]any{"definition": map[string]any{"id": "crew",
		"profiles": map[string]any{"builder": map[string]any{"model": "scripted", "peer_description": "bob the builder"}}}})
	var member struct {
		Result struct {
			MemberRef string `json:"member_ref"`
		} `json:"result"`
	}
	line = rpcLine(t, rpc, stdin, 5, "mob/spawn", map[string]any{"mob_id": "crew", "profile": "builder", "agent_identity": "bob",
		"labels": map[string]string{"team": "blue"}})
	if err := json.Unmarshal([]byte(line), &member); err != nil || member.Result.MemberRef == "" {
		t.Fatalf("spawn bob: %s", line)
	}
	rpcLine(t, rpc, stdin, 6, "mob/spawn", map[string]any{"mob_id": "crew", "profile": "builder", "agent_identity": "alice"})
	js = exec.CommandContext(ctx, node, "comms-peer.mjs")
	js.Env = append(os.Environ(), "RKAT_URL=ws://"+addr, "RKAT_HTTP=http://"+addr, "RKAT_SECRET="+secret, "COMMS_CHANNEL=mob/crew")
	interoptest.RunCheckScript(t, js, []string{"presence-members", "member-message", "member-after-bad-envelope"}, nil)
	hist = rpcLine(t, rpc, stdin, 7, "session/history", map[string]any{"session_id": member.Result.MemberRef, "offset": 0})
	if !strings.Contains(hist, "[comms peer_message from human") {
		t.Fatalf("the mob member's history lacks the person's message:\n%s", hist)
	}
}
