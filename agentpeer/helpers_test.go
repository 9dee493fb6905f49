package agentpeer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/agentpeer"
	"github.com/rkat-dev/rkat/internal/realtimetest"
	"github.com/rkat-dev/rkat/llm/providers"
	"github.com/rkat-dev/rkat/llm/scripted"
	"github.com/rkat-dev/rkat/realtime/signalling"
	"github.com/rkat-dev/rkat/realtime/wire"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store/sqlite"
)

// testScript makes "slow turn" prompts take about a second and "long
// answer" prompts answer more than the server's 64 KiB message cap.
var testScript = `{"rules": [{"match": "slow turn", "responses": [{"text": "done slowly", "chunks": 5, "delay_ms": 200}]},
  {"match": "long answer", "responses": [{"text": "` + strings.Repeat("x", 70000) + `", "chunks": 4}]}]}`

const (
	channel = "room/agents"
	wait    = 10 * time.Second
)

// realm is a session service over a SQLite file with the scripted provider.
type realm struct {
	svc *session.Service
	st  *sqlite.Store
}

func newRealm(t testing.TB) *realm {
	t.Helper()
	dir := t.TempDir()
	script := filepath.Join(dir, "script.json")
	if err := os.WriteFile(script, []byte(testScript), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := providers.New(providers.Config{Getenv: func(k string) string {
		if k == scripted.EnvScript {
			return script
		}
		return ""
	}})
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(dir, "state.db")})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := session.New(context.Background(), session.Config{Store: st, Resolver: res, Realm: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close(); st.Close() })
	return &realm{svc: svc, st: st}
}

// conversations lists the agent's sessions by conversation key.
func (r *realm) conversations(t *testing.T) map[string]string {
	t.Helper()
	res, err := r.svc.List(context.Background(), session.ListRequest{Labels: map[string]string{agentpeer.LabelChannel: channel}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, s := range res.Sessions {
		if prev, dup := out[s.Labels[agentpeer.LabelConversation]]; dup {
			t.Errorf("conversation %s has two sessions, %s and %s", s.Labels[agentpeer.LabelConversation], prev, s.ID)
		}
		out[s.Labels[agentpeer.LabelConversation]] = s.ID
	}
	return out
}

// historyLen is the number of committed rows of a session.
func (r *realm) historyLen(t *testing.T, id string) int {
	t.Helper()
	page, err := r.svc.History(context.Background(), id, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return page.MessageCount
}

// running is an agent whose Run serves in the background.
type running struct {
	agent  *agentpeer.Agent
	peerID string
	cancel context.CancelFunc
	done   chan error
}

// startAgent runs an agent with a secret key on srv until the test ends (or stop).
func startAgent(t testing.TB, srv *realtimetest.Server, r *realm, edit func(*agentpeer.Config)) *running {
	t.Helper()
	cfg := agentpeer.Config{
		Sessions: r.svc, URL: srv.URL() + "/v1", Channel: channel, SecretKey: realtimetest.Secret,
		Name: "helper", Provider: "scripted", Metadata: map[string]any{"team": "blue"},
	}
	if edit != nil {
		edit(&cfg)
	}
	joined := make(chan string, 4)
	cfg.Joined = func(id string) { joined <- id }
	a, err := agentpeer.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ra := &running{agent: a, cancel: cancel, done: make(chan error, 1)}
	go func() { ra.done <- a.Run(ctx) }()
	select {
	case ra.peerID = <-joined:
	case err := <-ra.done:
		cancel()
		t.Fatalf("agent Run: %v", err)
	case <-time.After(wait):
		cancel()
		<-ra.done
		t.Fatal("agent did not join")
	}
	t.Cleanup(func() { ra.stop(t) })
	return ra
}

// stop ends Run and checks it ended cleanly; stopping twice is harmless.
func (ra *running) stop(t testing.TB) {
	t.Helper()
	if ra.cancel == nil {
		return
	}
	ra.cancel()
	ra.cancel = nil
	if err := <-ra.done; err != nil {
		t.Errorf("agent Run returned %v after cancel", err)
	}
}

// msg is one protocol message a person received.
type msg struct {
	Direct    bool      `json:"-"`
	From      string    `json:"-"`
	At        time.Time `json:"-"` // arrival
	Type      string    `json:"type"`
	Turn      string    `json:"turn"`
	Delta     string    `json:"delta"`
	Text      string    `json:"text"`
	Error     string    `json:"error"`
	InReplyTo string    `json:"in_reply_to"`
	Name      string    `json:"name"`
	Status    string    `json:"status"`
}

// person is a Go signalling client in the channel, standing in for a browser.
type person struct {
	t     testing.TB
	c     *signalling.Client
	inbox chan msg
	pres  chan signalling.Presence
	// deltas and tools hold what arrived per turn until the turn's end.
	deltas, tools map[string][]msg
}

// join connects a person: a publishable-key client, or with meta a JWT
// client carrying that presence metadata.
func join(t testing.TB, srv *realtimetest.Server, sub string, meta map[string]any) *person {
	t.Helper()
	cfg := signalling.Config{URL: srv.URL(), Reconnect: &signalling.ReconnectOptions{InitialDelay: 50 * time.Millisecond, Multiplier: 2, MaxDelay: time.Second, MaxAttempts: 100}}
	if meta == nil {
		cfg.Key = realtimetest.Key
	} else {
		httpURL := srv.HTTPURL() // fixed across restarts; read once
		cfg.TokenProvider = func(ctx context.Context) (string, error) { return mint(ctx, httpURL, sub, meta) }
	}
	c, err := signalling.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := &person{t: t, c: c, inbox: make(chan msg, 1024), pres: make(chan signalling.Presence, 64),
		deltas: map[string][]msg{}, tools: map[string][]msg{}}
	deliver := func(direct bool, from string, data json.RawMessage) {
		m := msg{Direct: direct, From: from, At: time.Now()}
		if json.Unmarshal(data, &m) != nil {
			m.Type = "non-object: " + string(data)
		}
		if strings.HasPrefix(m.Type, "rtc-") || bytes.Contains(data, []byte("__meteredTrackMeta")) {
			return // the agent's WebRTC negotiation, which a signalling client ignores
		}
		select {
		case p.inbox <- m:
		default:
			t.Errorf("inbox full")
		}
	}
	signalling.On(c, func(ev signalling.Message) { deliver(false, ev.SenderPeerID, ev.Data) })
	signalling.On(c, func(ev signalling.Direct) { deliver(true, ev.SenderPeerID, ev.Data) })
	signalling.On(c, func(ev signalling.Presence) {
		select {
		case p.pres <- ev:
		default:
		}
	})
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Subscribe(ctx, channel, signalling.SubscribeOptions{}); err != nil {
		t.Fatal(err)
	}
	return p
}

// mint asks the server for a token carrying peerMetadata.
func mint(ctx context.Context, httpURL, sub string, meta map[string]any) (string, error) {
	pm, err := json.Marshal(meta)
	if err != nil {
		return "", err
	}
	return realtimetest.MintAt(ctx, httpURL, wire.MintRequest{Sub: sub, Channels: []string{"**"},
		Permissions: []string{"subscribe", "publish", "presence", "send"}, TTLSeconds: 600, PeerMetadata: pm})
}

func (p *person) id() string { return p.c.PeerID() }

func (p *person) publish(data any) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := p.c.Publish(ctx, channel, data); err != nil {
		p.t.Fatalf("publish: %v", err)
	}
}

func (p *person) send(to string, data any) {
	p.t.Helper()
	if err := p.trySend(to, data); err != nil {
		p.t.Fatalf("send: %v", err)
	}
}

// trySend is send for any goroutine.
func (p *person) trySend(to string, data any) error {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	return p.c.Send(ctx, to, data)
}

// ask sends text to the agent directly and returns its complete answer.
func (p *person) ask(agentID, text string) string {
	p.t.Helper()
	p.send(agentID, text)
	return p.next().text(p.t)
}

// answer is one turn as a person saw it.
type answer struct {
	deltas []msg
	tools  []msg
	end    msg // chat or chat.error
}

// next waits for the next turn's end addressed to this person (in_reply_to),
// collecting the deltas and tool messages of that turn on the way.
func (p *person) next() answer {
	p.t.Helper()
	a, err := p.await()
	if err != nil {
		p.t.Fatal(err)
	}
	return a
}

// await is next for any goroutine: it reports a timeout as an error.
func (p *person) await() (answer, error) {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case m := <-p.inbox:
			switch m.Type {
			case agentpeer.TypeChatDelta:
				p.deltas[m.Turn] = append(p.deltas[m.Turn], m)
			case agentpeer.TypeChatTool:
				p.tools[m.Turn] = append(p.tools[m.Turn], m)
			case agentpeer.TypeChat, agentpeer.TypeChatError:
				if m.InReplyTo != p.id() {
					continue
				}
				a := answer{deltas: p.deltas[m.Turn], tools: p.tools[m.Turn], end: m}
				delete(p.deltas, m.Turn)
				delete(p.tools, m.Turn)
				return a, nil
			}
		case <-timer.C:
			return answer{}, fmt.Errorf("%s: no answer within %s", p.id(), wait)
		}
	}
}

// quiet checks that nothing arrives for d.
func (p *person) quiet(d time.Duration) {
	p.t.Helper()
	select {
	case m := <-p.inbox:
		p.t.Errorf("%s: unexpected message %+v", p.id(), m)
	case <-time.After(d):
	}
}

// text checks a complete answer and returns its text.
func (a answer) text(t testing.TB) string {
	t.Helper()
	if a.end.Type != agentpeer.TypeChat {
		t.Fatalf("turn ended with %+v, want chat", a.end)
	}
	if len(a.deltas) == 0 {
		t.Errorf("turn %s: no chat.delta before the chat", a.end.Turn)
	}
	var sb strings.Builder
	for _, d := range a.deltas {
		if d.Direct != a.end.Direct {
			t.Errorf("delta direct=%v, answer direct=%v", d.Direct, a.end.Direct)
		}
		sb.WriteString(d.Delta)
	}
	if sb.String() != a.end.Text {
		t.Errorf("deltas %q do not add up to the text %q", sb.String(), a.end.Text)
	}
	return a.end.Text
}
