// Package js_test runs the Node interop scripts of this directory against
// the built rkat binary: `rkat realtime` and `rkat agent join`.
package js_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/interoptest"
	"github.com/rkat-dev/rkat/internal/testbin"
)

var rkat string

const (
	key     = "pk_interop"
	secret  = "sk_interop"
	channel = "room/agent"
	agentID = "agent:helper@" + channel
)

var files = map[string]string{
	"realtime.toml": `
[[keys]]
key = "` + key + `"
channels = ["room/**"]
permissions = ["subscribe", "publish", "presence", "send"]

[[signing_keys]]
kid = "k1"
secret = "interop-signing-secret"

[[secret_keys]]
key = "` + secret + `"

[limits]
connects_per_ip = 100000
`,
	"script.json": `{"rules": [
  {"match": "slow turn", "responses": [{"text": "done slowly", "chunks": 5, "delay_ms": 150}]},
  {"match": "what time", "responses": [{"tool_calls": [{"name": "current_time", "args": {}}]}, {"text": "it is now"}]}
]}`,
}

func TestMain(m *testing.M) { testbin.Main(m, "github.com/rkat-dev/rkat/cmd/rkat", files, &rkat) }

// proc is a running rkat process.
type proc struct {
	cmd   *exec.Cmd
	lines chan string // stdout lines; closed at EOF
}

// start runs rkat with args and collects its stdout lines.
func start(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(rkat, args...)
	cmd.Env = append(os.Environ(), env...)
	return startCmd(t, cmd)
}

// startCmd starts cmd (an rkat command) and collects its stdout lines.
func startCmd(t *testing.T, cmd *exec.Cmd) *proc {
	t.Helper()
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, lines: make(chan string, 64)}
	go func() {
		defer close(p.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			select {
			case p.lines <- sc.Text():
			default: // nobody reads any more
			}
		}
	}()
	return p
}

// waitLine waits for a stdout line containing s.
func (p *proc) waitLine(t *testing.T, s string) string {
	t.Helper()
	timer := time.NewTimer(20 * time.Second)
	defer timer.Stop()
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				t.Fatalf("%s exited before printing %q", p.cmd.Args[1], s)
			}
			if strings.Contains(l, s) {
				return l
			}
		case <-timer.C:
			t.Fatalf("%s printed no %q", p.cmd.Args[1], s)
		}
	}
}

// stop interrupts the process and checks it exits 0.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	if p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() {
		for range p.lines { // drain to EOF, then Wait
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
		t.Errorf("%s did not stop on interrupt", p.cmd.Args[1])
	}
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("%s exited with %v", p.cmd.Args[1], err)
	}
}

// serveRealtime starts `rkat realtime` on addr and waits until it accepts.
func serveRealtime(t *testing.T, addr string) *proc {
	t.Helper()
	p := start(t, nil, "realtime", "--addr", addr, "--config", filepath.Join(filepath.Dir(rkat), "realtime.toml"), "--log-level", "error")
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return p
		}
		if time.Now().After(deadline) {
			p.stop(t)
			t.Fatalf("rkat realtime does not listen on %s: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestAgentPeerJSSDK drives people on the published JS SDK against `rkat
// realtime` and `rkat agent join --provider scripted` (issue 13, acceptance
// 1 and 3), then checks in the realm that the restarted agent continued the
// same conversations.
func TestAgentPeerJSSDK(t *testing.T) {
	node := interoptest.RequireNode(t, ".")
	addr := freeAddr(t)
	state := t.TempDir()
	server := serveRealtime(t, addr)
	defer func() { server.stop(t) }()
	agentEnv := []string{"RKAT_TEST_SCRIPT=" + filepath.Join(filepath.Dir(rkat), "script.json")}
	agentArgs := []string{"agent", "join", "--url", "ws://" + addr + "/v1", "--key", secret, "--channel", channel,
		"--provider", "scripted", "--name", "helper", "--metadata", "team=blue", "--state-root", state, "--realm", "agents"}
	joinAgent := func() *proc {
		a := start(t, agentEnv, agentArgs...)
		if l := a.waitLine(t, "joined"); l != "agent "+agentID+" joined "+channel {
			t.Errorf("agent printed %q", l)
		}
		return a
	}
	agent := joinAgent()
	defer func() { agent.stop(t) }()

	var beforeRestart sessionJSON
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "agent-peer.mjs")
	cmd.Env = append(os.Environ(), "RKAT_URL=ws://"+addr, "RKAT_HTTP=http://"+addr, "RKAT_KEY="+key, "RKAT_SECRET="+secret,
		"AGENT_ID="+agentID, "AGENT_CHANNEL="+channel)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	interoptest.RunCheckScript(t, cmd, []string{
		"presence-agent", "channel-answer", "channel-answer-seen-by-others", "direct-answer", "direct-private",
		"two-at-once-alice", "two-at-once-carol", "two-at-once-overlap", "queued-first", "queued-second", "queued-order",
		"tool-activity", "bad-direct-number", "bad-direct-object", "bad-direct-text-type", "bad-direct-huge",
		"bad-channel-text-type", "channel-noise-ignored", "agent-restart-presence", "agent-restart-channel",
		"agent-restart-direct", "server-restart-presence", "server-restart-answer",
	}, func(event string) {
		switch event {
		case "restart-agent":
			agent.stop(t)
			beforeRestart = conversation(t, state, "channel")
			agent = joinAgent()
		case "restart-server":
			server.stop(t)
			server = serveRealtime(t, addr)
		default:
			t.Errorf("unknown script event %q", event)
			return
		}
		if _, err := fmt.Fprintln(stdin, event+" done"); err != nil {
			t.Errorf("tell script: %v", err)
		}
	})
	agent.stop(t)

	// The channel conversation is one session across both agent processes:
	// "hello" before the restart, "again" and "after the server restart" after.
	ch := conversation(t, state, "channel")
	if ch.ID != beforeRestart.ID || beforeRestart.Runs != 1 || ch.Runs != 3 || ch.MessageCount <= beforeRestart.MessageCount {
		t.Errorf("channel conversation before the restart %+v, at the end %+v", beforeRestart, ch)
	}
	hist := rkatJSON(t, "sessions", "history", ch.ID, "--json", "--state-root", state, "--realm", "agents")
	for _, want := range []string{"Alice: hello", "Alice: again", "Alice: after the server restart"} {
		if !bytes.Contains(hist, []byte(want)) {
			t.Errorf("channel history lacks %q", want)
		}
	}
	// Alice's direct conversation (her JWT id is stable) spans the restart
	// too: "slow turn from alice" before, "direct again" after.
	if d := conversation(t, state, "direct:alice"); d.Runs != 2 {
		t.Errorf("alice's direct conversation %+v, want 2 runs", d)
	}
}

type sessionJSON struct {
	ID           string `json:"session_id"`
	Runs         int    `json:"runs"`
	MessageCount int    `json:"message_count"`
}

// conversation returns the one session of the agent's conversation key.
func conversation(t *testing.T, state, key string) sessionJSON {
	t.Helper()
	out := rkatJSON(t, "sessions", "list", "--json", "--state-root", state, "--realm", "agents",
		"--label", "agentpeer.agent=helper", "--label", "agentpeer.conversation="+key)
	var list struct {
		Sessions []sessionJSON `json:"sessions"`
	}
	if err := json.Unmarshal(out, &list); err != nil || len(list.Sessions) != 1 {
		t.Fatalf("sessions of conversation %s: %s (%v)", key, out, err)
	}
	return list.Sessions[0]
}

func rkatJSON(t *testing.T, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(rkat, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("rkat %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}
