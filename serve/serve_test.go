package serve_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/llm/providers"
	"github.com/rkat-dev/rkat/realtime"
	"github.com/rkat-dev/rkat/realtime/rest"
	"github.com/rkat-dev/rkat/realtime/wire"
	"github.com/rkat-dev/rkat/serve"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	secret = "sk_serve_test"
	pkRPC  = "pk_with_rpc"
	pkNone = "pk_without_rpc"
)

// testFile has a secret key, a signing key and two publishable keys, one
// with the rpc permission.
func testFile() serve.File {
	return serve.File{Config: realtime.Config{
		SecretKeys:  []realtime.SecretKeyConfig{{Key: secret}},
		SigningKeys: []realtime.SigningKeyConfig{{Kid: "k1", Secret: "signing-secret"}},
		Keys: []realtime.KeyConfig{
			{Key: pkRPC, Channels: []string{"**"}, Permissions: []string{"subscribe", "rpc"}},
			{Key: pkNone, Channels: []string{"**"}, Permissions: []string{"subscribe", "publish"}},
		},
	}}
}

// scriptedResolver sends every model to the scripted provider.
func scriptedResolver(tb testing.TB) *providers.Resolver {
	res, err := providers.New(providers.Config{Getenv: func(k string) string {
		if k == providers.EnvTestClient {
			return "1"
		}
		return ""
	}})
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// start serves f on a loopback port until the test ends.
func start(t *testing.T, f serve.File) string {
	t.Helper()
	srv, err := serve.New(context.Background(), serve.Config{File: f, StateRoot: t.TempDir(), Resolver: scriptedResolver(t)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	addr := ln.Addr().String()
	waitReady(t, "http://"+addr)
	return addr
}

func waitReady(t testing.TB, base string) {
	t.Helper()
	for range 200 {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("never ready")
}

func get(t *testing.T, url, bearer string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestAuth: every endpoint but the health checks and the console's static
// files refuses a missing or wrong key; /rpc also refuses a key without the
// rpc permission; the right keys get in.
func TestAuth(t *testing.T) {
	addr := start(t, testFile())
	base := "http://" + addr
	t.Run("http", func(t *testing.T) {
		for _, tc := range []struct {
			path, key string
			want      int
		}{
			{"/metrics", "", 401},
			{"/metrics", "sk_wrong", 401},
			{"/metrics", pkRPC, 401}, // publishable keys never read metrics
			{"/metrics", secret, 200},
			{"/agents", "", 401},
			{"/agents", secret, 200},
			{"/v1/channels", "", 401},
			{"/v1/channels", "sk_wrong", 401},
			{"/v1/channels", secret, 200},
			{"/healthz", "", 200},
			{"/readyz", "", 200},
			{"/", "", 200},
			{"/console.js", "", 200},
		} {
			if got, body := get(t, base+tc.path, tc.key); got != tc.want {
				t.Errorf("GET %s with %q = %d %s, want %d", tc.path, tc.key, got, body, tc.want)
			}
		}
	})
	mint := func(perms ...string) string {
		out, err := rest.MintToken(context.Background(), nil, base, secret, wire.MintRequest{Sub: "tester", Channels: []string{}, Permissions: perms, TTLSeconds: 600})
		if err != nil {
			t.Fatalf("mint %v: %v", perms, err)
		}
		return out.Token
	}
	t.Run("rpc", func(t *testing.T) {
		for _, tc := range []struct {
			name, query, bearer string
			want                int // HTTP status of a refused upgrade, 0 for success
		}{
			{"missing", "", "", 401},
			{"wrong key", "?key=sk_wrong", "", 401},
			{"wrong token", "?token=not.a.jwt", "", 401},
			{"publishable key without rpc", "?key=" + pkNone, "", 403},
			{"publishable key with rpc", "?key=" + pkRPC, "", 0},
			{"JWT without rpc", "?token=" + mint("subscribe"), "", 403},
			{"JWT with rpc", "?token=" + mint("rpc"), "", 0},
			{"JWT with rpc as bearer", "", mint("subscribe", "rpc"), 0},
			{"secret key in the query", "?key=" + secret, "", 0},
			{"secret key as bearer", "", secret, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				opts := &websocket.DialOptions{HTTPHeader: http.Header{}}
				if tc.bearer != "" {
					opts.HTTPHeader.Set("Authorization", "Bearer "+tc.bearer)
				}
				c, resp, err := websocket.Dial(ctx, "ws://"+addr+"/rpc"+tc.query, opts)
				if tc.want != 0 {
					if err == nil || resp == nil || resp.StatusCode != tc.want {
						t.Fatalf("dial = %v, %v; want HTTP %d", resp, err, tc.want)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				defer c.CloseNow()
				if err := c.Write(ctx, websocket.MessageText, []byte(`{"jsonrpc":"2.0","id":1,"method":"session/list"}`)); err != nil {
					t.Fatal(err)
				}
				_, msg, err := c.Read(ctx)
				if err != nil || !strings.Contains(string(msg), `"sessions"`) {
					t.Fatalf("session/list = %s, %v", msg, err)
				}
				c.Close(websocket.StatusNormalClosure, "")
			})
		}
	})
	t.Run("realtime", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, _, err := websocket.Dial(ctx, "ws://"+addr+"/v1?key=pk_wrong", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseNow()
		if _, _, err := c.Read(ctx); websocket.CloseStatus(err) != 4001 {
			t.Fatalf("unknown key closed with %v, want 4001", err)
		}
	})
}

// waitAgent polls /agents until the only agent is running with restarts
// restarts.
func waitAgent(t *testing.T, base string, restarts int) serve.AgentStatus {
	t.Helper()
	var status struct{ Agents []serve.AgentStatus }
	for i := 0; ; i++ {
		_, body := get(t, base+"/agents", secret)
		if err := json.Unmarshal([]byte(body), &status); err != nil {
			t.Fatal(err)
		}
		if len(status.Agents) == 1 && status.Agents[0].State == "running" && status.Agents[0].Restarts == restarts {
			return status.Agents[0]
		}
		if i == 500 {
			t.Fatalf("agent not running after %d restarts: %s", restarts, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestAgentsAndChannels: a configured agent joins its channel with agent
// metadata; /agents reports it running; disconnected by an admin (a close
// it does not reconnect from), it is restarted and joins again.
func TestAgentsAndChannels(t *testing.T) {
	f := testFile()
	f.Agents = []serve.AgentConfig{{Name: "helper", Channel: "room", Provider: "scripted"}}
	base := "http://" + start(t, f)
	st := waitAgent(t, base, 0)
	_, body := get(t, base+"/v1/channels", secret)
	var list struct {
		Channels []realtime.ChannelInfo
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Channels) != 1 || list.Channels[0].Channel != "room" ||
		len(list.Channels[0].Peers) != 1 || !bytes.Contains(list.Channels[0].Peers[0].Metadata, []byte(`"kind":"agent"`)) {
		t.Fatalf("channels = %s, %v", body, err)
	}

	req, _ := http.NewRequest(http.MethodDelete, base+"/v1/peers/"+st.PeerID, nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("kick %s: %v %v", st.PeerID, resp, err)
	}
	resp.Body.Close()
	if again := waitAgent(t, base, 1); again.LastError == "" || again.PeerID != st.PeerID {
		t.Fatalf("after the kick: %+v", again)
	}
}

// TestRPCConnectionLimit: beyond [serve] max_rpc_connections /rpc answers
// 503; a closed connection frees its place. /metrics reports the same count
// of open connections.
func TestRPCConnectionLimit(t *testing.T) {
	f := testFile()
	f.Serve.MaxRPCConnections = 1
	addr := start(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	url := "ws://" + addr + "/rpc?key=" + secret
	first, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, resp, err := websocket.Dial(ctx, url, nil); err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("second connection: %v, %v; want 503", resp, err)
	}
	if _, body := get(t, "http://"+addr+"/metrics", secret); !strings.Contains(body, "\nrkat_serve_rpc_connections 1\n") {
		t.Fatalf("metrics with one connection open:\n%s", body)
	}
	first.Close(websocket.StatusNormalClosure, "")
	for i := 0; ; i++ {
		c, _, err := websocket.Dial(ctx, url, nil)
		if err == nil {
			c.Close(websocket.StatusNormalClosure, "")
			return
		}
		if i == 100 {
			t.Fatalf("the place never came free: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.toml", `
[[secret_keys]]
key = "sk_x"

[limits]
max_connections = 10

[serve]
realm = "team"
shutdown_grace = "3s"

[[agents]]
name = "a"
channel = "lobby"
provider = "scripted"
`)
	f, err := serve.LoadFile(good)
	if err != nil || f.ConsoleKey() != "sk_x" || f.Serve.Realm != "team" || len(f.Agents) != 1 || f.Limits.MaxConnections != 10 {
		t.Fatalf("LoadFile = %+v, %v", f, err)
	}
	if err := f.CheckAddr("0.0.0.0:8787"); err != nil {
		t.Fatalf("configured keys on a public address: %v", err)
	}
	for _, tc := range []struct{ name, content string }{
		{"typo", "[serve]\nrelm = \"x\"\n"},
		{"bad realm", "[serve]\nrealm = \"../x\"\n"},
		{"agent without channel", "[[agents]]\nname = \"a\"\n"},
		{"two agents named alike", "[[agents]]\nname = \"a\"\nchannel = \"x\"\n[[agents]]\nname = \"a\"\nchannel = \"y\"\n"},
	} {
		if _, err := serve.LoadFile(write(tc.name+".toml", tc.content)); !errors.Is(err, serve.ErrConfig) {
			t.Errorf("%s: LoadFile = %v, want ErrConfig", tc.name, err)
		}
	}
	def := serve.Default()
	if !strings.HasPrefix(def.ConsoleKey(), "sk_dev_") || len(def.Agents) != 1 || def.Agents[0].Channel != "lobby" {
		t.Fatalf("Default = %+v", def)
	}
	for addr, ok := range map[string]bool{"127.0.0.1:8787": true, "[::1]:0": true, "localhost:1": true, "0.0.0.0:8787": false, ":8787": false, "10.1.2.3:80": false} {
		if err := def.CheckAddr(addr); (err == nil) != ok {
			t.Errorf("default config CheckAddr(%s) = %v", addr, err)
		}
	}
}

// rpcClient is a raw JSON-RPC client of /rpc.
type rpcClient struct {
	t   *testing.T
	ctx context.Context
	c   *websocket.Conn
	id  int
}

func dialRPC(t *testing.T, ctx context.Context, addr string) *rpcClient {
	c, _, err := websocket.Dial(ctx, "ws://"+addr+"/rpc?key="+secret, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(websocket.StatusNormalClosure, "") })
	return &rpcClient{t: t, ctx: ctx, c: c}
}

// call sends one request and returns its response, skipping notifications.
func (r *rpcClient) call(method, params string) (result, rpcErr json.RawMessage) {
	r.id++
	req := `{"jsonrpc":"2.0","id":` + strconv.Itoa(r.id) + `,"method":"` + method + `","params":` + params + `}`
	if err := r.c.Write(r.ctx, websocket.MessageText, []byte(req)); err != nil {
		r.t.Fatal(err)
	}
	for {
		_, data, err := r.c.Read(r.ctx)
		if err != nil {
			r.t.Fatal(err)
		}
		var msg map[string]json.RawMessage
		if err := json.Unmarshal(data, &msg); err != nil {
			r.t.Fatal(err)
		}
		if string(msg["id"]) == strconv.Itoa(r.id) {
			return msg["result"], msg["error"]
		}
	}
}

// TestAgentJoinStaysOnThisHub: agent/join over /rpc may not make the server
// dial a URL the client chooses (and send it a key); naming this server's
// own hub, or none, is accepted.
func TestAgentJoinStaysOnThisHub(t *testing.T) {
	addr := start(t, testFile())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rpc := dialRPC(t, ctx, addr)
	for _, url := range []string{"ws://127.0.0.2:9/v1", "ws://attacker.invalid/v1"} {
		_, rpcErr := rpc.call("agent/join", `{"url":"`+url+`","channel":"room","key":"`+secret+`","provider":"scripted"}`)
		var e struct{ Code int }
		if err := json.Unmarshal(rpcErr, &e); err != nil || e.Code != -32602 {
			t.Fatalf("join via %s: %s", url, rpcErr)
		}
	}
	if _, rpcErr := rpc.call("agent/join", `{"channel":"room","key":"`+secret+`","provider":"scripted"}`); rpcErr != nil {
		t.Fatalf("join of this hub refused: %s", rpcErr)
	}
}

// TestSchedulesRun: rkat serve hosts the schedule executor, so a schedule
// created over /rpc runs its turns in the serving process.
func TestSchedulesRun(t *testing.T) {
	addr := start(t, testFile())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rpc := dialRPC(t, ctx, addr)
	res, rpcErr := rpc.call("session/create", `{"prompt":"hello","provider":"scripted"}`)
	var created struct {
		SessionID string `json:"session_id"`
	}
	if err := json.Unmarshal(res, &created); rpcErr != nil || err != nil {
		t.Fatalf("session/create: %s %s", res, rpcErr)
	}
	due := time.Now().UTC().Format(time.RFC3339)
	res, rpcErr = rpc.call("schedule/create", `{"trigger":{"type":"once","due_at_utc":"`+due+`"},
		"target":{"target_kind":"session","type":"exact_session","session_id":"`+created.SessionID+`","action":{"type":"prompt","prompt":"scheduled hello"}}}`)
	var rec struct {
		ScheduleID string `json:"schedule_id"`
	}
	if err := json.Unmarshal(res, &rec); rpcErr != nil || err != nil {
		t.Fatalf("schedule/create: %s %s", res, rpcErr)
	}
	for {
		res, rpcErr = rpc.call("schedule/occurrences", `{"schedule_id":"`+rec.ScheduleID+`"}`)
		if rpcErr != nil {
			t.Fatalf("schedule/occurrences: %s", rpcErr)
		}
		if strings.Contains(string(res), `"completed"`) {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("the occurrence never completed: %s", res)
		}
		time.Sleep(50 * time.Millisecond)
	}
	res, _ = rpc.call("session/history", `{"session_id":"`+created.SessionID+`"}`)
	if !strings.Contains(string(res), "scheduled hello") {
		t.Fatalf("history lacks the scheduled prompt: %s", res)
	}
}
