package agentpeer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/agentpeer"
	"github.com/rkat-dev/rkat/internal/realtimetest"
	"github.com/rkat-dev/rkat/realtime/signalling"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestNewValidatesConfig(t *testing.T) {
	r := newRealm(t)
	base := agentpeer.Config{Sessions: r.svc, URL: "ws://127.0.0.1:1", Channel: channel, Key: "pk"}
	tests := []struct {
		name string
		edit func(*agentpeer.Config)
		ok   bool
	}{
		{"key", func(*agentpeer.Config) {}, true},
		{"url with /v1", func(c *agentpeer.Config) { c.URL = "ws://127.0.0.1:1/v1" }, true},
		{"no sessions", func(c *agentpeer.Config) { c.Sessions = nil }, false},
		{"no channel", func(c *agentpeer.Config) { c.Channel = "" }, false},
		{"no credential", func(c *agentpeer.Config) { c.Key = "" }, false},
		{"two credentials", func(c *agentpeer.Config) { c.Token = "jwt" }, false},
		{"http url", func(c *agentpeer.Config) { c.URL = "http://127.0.0.1:1" }, false},
		{"other path", func(c *agentpeer.Config) { c.URL = "ws://127.0.0.1:1/v2" }, false},
		{"huge metadata", func(c *agentpeer.Config) { c.Metadata = map[string]any{"x": strings.Repeat("a", 5000)} }, false},
		{"ttl over a day", func(c *agentpeer.Config) { c.TokenTTL = 25 * time.Hour }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := base
			tt.edit(&cfg)
			_, err := agentpeer.New(context.Background(), cfg)
			if (err == nil) != tt.ok {
				t.Fatalf("New: %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, agentpeer.ErrConfig) {
				t.Fatalf("error %v is not ErrConfig", err)
			}
		})
	}
}

// TestPresenceAndPrompts: presence shows the agent with its metadata; a
// published prompt is answered on the channel with deltas and the full text;
// a direct prompt is answered directly; a tool-less turn sends no chat.tool.
func TestSetKey(t *testing.T) {
	for _, tc := range []struct{ key, wantKey, wantSecret string }{
		{"sk_abc", "", "sk_abc"},
		{"pk_abc", "pk_abc", ""},
		{"", "", ""},
	} {
		var cfg agentpeer.Config
		cfg.SetKey(tc.key)
		if cfg.Key != tc.wantKey || cfg.SecretKey != tc.wantSecret {
			t.Errorf("SetKey(%q): Key %q SecretKey %q, want %q %q", tc.key, cfg.Key, cfg.SecretKey, tc.wantKey, tc.wantSecret)
		}
	}
}

func TestPresenceAndPrompts(t *testing.T) {
	srv := realtimetest.Start(t, realtimetest.Config())
	r := newRealm(t)
	alice := join(t, srv, "alice", map[string]any{"name": "Alice"})
	bob := join(t, srv, "", nil)
	ag := startAgent(t, srv, r, nil)

	meta := awaitPresence(t, alice, ag.peerID)
	var got map[string]any
	if err := json.Unmarshal(meta, &got); err != nil {
		t.Fatalf("agent metadata %s: %v", meta, err)
	}
	want := map[string]any{"kind": "agent", "name": "helper", "model": "scripted", "team": "blue"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("presence metadata %s = %v, want %v (all: %s)", k, got[k], v, meta)
		}
	}
	if ag.peerID != "agent:helper@"+channel {
		t.Errorf("agent peer id %q", ag.peerID)
	}

	alice.publish("hello there")
	a := alice.next()
	if text := a.text(t); text != "Scripted reply: Alice: hello there" {
		t.Errorf("channel answer %q", text)
	}
	if a.end.Direct || a.end.From != ag.peerID {
		t.Errorf("channel answer direct=%v from %s", a.end.Direct, a.end.From)
	}
	// Bob, also in the channel, sees the same answer.
	if b := bob.nextFor(alice.id()); b.end.Turn != a.end.Turn {
		t.Errorf("bob saw turn %s, alice %s", b.end.Turn, a.end.Turn)
	}

	bob.send(ag.peerID, map[string]any{"type": "chat", "text": "just for me"})
	d := bob.next()
	if text := d.text(t); text != "Scripted reply: just for me" {
		t.Errorf("direct answer %q", text)
	}
	if !d.end.Direct {
		t.Error("direct prompt answered on the channel")
	}
	if len(d.tools) != 0 {
		t.Errorf("chat.tool without tools: %+v", d.tools)
	}
	alice.quiet(300 * time.Millisecond) // the direct answer went to Bob alone
	convs := r.conversations(t)
	if len(convs) != 2 || convs["channel"] == "" || convs["direct:"+bob.id()] == "" {
		t.Errorf("conversations %v, want channel and direct:%s", convs, bob.id())
	}
}

// awaitDelta waits for a chat.delta and keeps it for next.
func (p *person) awaitDelta() {
	p.t.Helper()
	select {
	case m := <-p.inbox:
		if m.Type != agentpeer.TypeChatDelta {
			p.t.Fatalf("got %+v, want a chat.delta", m)
		}
		p.deltas[m.Turn] = append(p.deltas[m.Turn], m)
	case <-time.After(wait):
		p.t.Fatal("no chat.delta")
	}
}

// nextFor is next for a turn answering someone else.
func (p *person) nextFor(sender string) answer {
	p.t.Helper()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case m := <-p.inbox:
			if m.Type == agentpeer.TypeChat && m.InReplyTo == sender {
				return answer{end: m}
			}
		case <-timer.C:
			p.t.Fatalf("no answer to %s within %s", sender, wait)
		}
	}
}

// awaitPresence waits until p sees id in presence and returns its metadata.
func awaitPresence(t *testing.T, p *person, id string) json.RawMessage {
	t.Helper()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case ev := <-p.pres:
			for _, j := range ev.Joined {
				if j.PeerID == id {
					return j.Metadata
				}
			}
		case <-timer.C:
			t.Fatalf("%s never saw %s in presence", p.id(), id)
		}
	}
}

// TestConversationsAreSeparate: people writing at once each get their own
// conversation and answer.
func TestConversationsAreSeparate(t *testing.T) {
	srv := realtimetest.Start(t, realtimetest.Config())
	r := newRealm(t)
	ag := startAgent(t, srv, r, nil)
	people := []*person{join(t, srv, "", nil), join(t, srv, "", nil), join(t, srv, "", nil)}
	var wg sync.WaitGroup
	for i, p := range people {
		wg.Go(func() { p.send(ag.peerID, "slow turn number "+string(rune('a'+i))) })
	}
	wg.Wait()
	answers := make([]answer, len(people))
	for i, p := range people {
		answers[i] = p.next()
		if text := answers[i].text(t); text != "done slowly" {
			t.Errorf("%s got %q", p.id(), text)
		}
	}
	// Side by side: every answer began before every other one ended.
	for i, a := range answers {
		for j, b := range answers {
			if i != j && len(a.deltas) > 0 && !a.deltas[0].At.Before(b.end.At) {
				t.Errorf("answer %d began after answer %d ended: the conversations ran one after the other", i, j)
			}
		}
	}
	convs := r.conversations(t)
	for _, p := range people {
		if convs["direct:"+p.id()] == "" {
			t.Errorf("no conversation for %s in %v", p.id(), convs)
		}
	}
}

// TestPromptsQueue: prompts during a turn wait for it and run in order; a
// full queue answers chat.error.
func TestPromptsQueue(t *testing.T) {
	srv := realtimetest.Start(t, realtimetest.Config())
	r := newRealm(t)
	ag := startAgent(t, srv, r, func(c *agentpeer.Config) { c.MaxQueue = 2 })
	p := join(t, srv, "", nil)
	p.send(ag.peerID, "slow turn 1")
	p.awaitDelta() // the slow turn runs
	for _, text := range []string{"second", "third", "fourth"} {
		p.send(ag.peerID, text)
	}
	// "slow turn 1" runs; "second" and "third" wait; "fourth" overflows.
	var ends []msg
	for range 4 {
		ends = append(ends, p.next().end)
	}
	if ends[0].Type != agentpeer.TypeChatError || !strings.Contains(ends[0].Error, "busy") {
		t.Errorf("first end %+v, want the overflow's chat.error", ends[0])
	}
	want := []string{"done slowly", "Scripted reply: second", "Scripted reply: third"}
	for i, w := range want {
		if ends[i+1].Type != agentpeer.TypeChat || ends[i+1].Text != w {
			t.Errorf("answer %d: %+v, want %q", i+1, ends[i+1], w)
		}
	}
	if id := r.conversations(t)["direct:"+p.id()]; r.historyLen(t, id) != 6 {
		t.Errorf("history has %d rows, want 3 prompts and 3 answers", r.historyLen(t, id))
	}
}

// TestBusyConversationsBounded: a new conversation while MaxConversations
// are busy is refused with chat.error; the busy one goes on.
func TestBusyConversationsBounded(t *testing.T) {
	srv := realtimetest.Start(t, realtimetest.Config())
	ag := startAgent(t, srv, newRealm(t), func(c *agentpeer.Config) { c.MaxConversations = 1 })
	a, b := join(t, srv, "", nil), join(t, srv, "", nil)
	a.send(ag.peerID, "slow turn")
	a.awaitDelta()
	b.send(ag.peerID, "me too")
	if end := b.next().end; end.Type != agentpeer.TypeChatError || !strings.Contains(end.Error, "answering 1 conversations") {
		t.Errorf("second conversation got %+v", end)
	}
	if text := a.next().text(t); text != "done slowly" {
		t.Errorf("busy conversation got %q", text)
	}
}

// TestRestartContinuesConversations: a new Run over the same realm finds
// the conversations again and their histories grow.
func TestRestartContinuesConversations(t *testing.T) {
	srv := realtimetest.Start(t, realtimetest.Config())
	r := newRealm(t)
	alice := join(t, srv, "alice", map[string]any{"name": "Alice"})
	ag := startAgent(t, srv, r, nil)
	alice.publish("first")
	alice.next().text(t)
	alice.ask(ag.peerID, "first direct")
	before := r.conversations(t)
	ag.stop(t)

	ag = startAgent(t, srv, r, nil)
	alice.publish("second")
	alice.next().text(t)
	alice.ask(ag.peerID, "second direct")
	after := r.conversations(t)
	if len(after) != 2 || after["channel"] != before["channel"] || after["direct:alice"] != before["direct:alice"] {
		t.Fatalf("conversations before %v, after %v", before, after)
	}
	for _, id := range after {
		if n := r.historyLen(t, id); n != 4 {
			t.Errorf("session %s has %d rows, want 4 (two turns)", id, n)
		}
	}
}

// TestBadInput: what is addressed to the agent but unusable gets a
// chat.error; what is not addressed to it is ignored; the agent goes on.
func TestBadInput(t *testing.T) {
	srv := realtimetest.Start(t, realtimetest.Config())
	r := newRealm(t)
	ag := startAgent(t, srv, r, func(c *agentpeer.Config) { c.MaxPromptBytes = 1000 })
	p := join(t, srv, "", nil)
	tests := []struct {
		name   string
		direct bool
		data   any
		want   string // "" means ignored
	}{
		{"direct number", true, 42, "not a prompt"},
		{"direct array", true, []int{1, 2}, "not a prompt"},
		{"direct null", true, nil, "not a prompt"},
		{"direct other object", true, map[string]any{"hello": "agent"}, "not a prompt"},
		{"direct text not a string", true, map[string]any{"type": "chat", "text": 5}, "must be a string"},
		{"direct chat without text", true, map[string]any{"type": "chat"}, "must be a string"},
		{"direct empty", true, "   ", "empty"},
		{"direct huge", true, strings.Repeat("x", 5000), "at most 1000"},
		{"channel huge", false, strings.Repeat("y", 5000), "at most 1000"},
		{"channel text not a string", false, map[string]any{"type": "chat", "text": []int{1}}, "must be a string"},
		{"channel number", false, 7, ""},
		{"channel other object", false, map[string]any{"type": "cursor", "x": 1}, ""},
		{"channel answer of another agent", false, map[string]any{"type": "chat", "turn": "t1", "text": "hi", "in_reply_to": "x"}, ""},
		{"channel delta", false, map[string]any{"type": "chat.delta", "turn": "t1", "delta": "hi"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p.t = t
			if tt.direct {
				p.send(ag.peerID, tt.data)
			} else {
				p.publish(tt.data)
			}
			if tt.want == "" {
				p.quiet(200 * time.Millisecond)
				return
			}
			a := p.next()
			if a.end.Type != agentpeer.TypeChatError || !strings.Contains(a.end.Error, tt.want) || a.end.Turn == "" {
				t.Errorf("got %+v, want a chat.error containing %q", a.end, tt.want)
			}
			if a.end.Direct != tt.direct {
				t.Errorf("error direct=%v, want %v", a.end.Direct, tt.direct)
			}
		})
	}
	p.t = t
	if text := p.ask(ag.peerID, "still there?"); text != "Scripted reply: still there?" {
		t.Errorf("after bad input: %q", text)
	}
}

// TestOversizedAnswer: an answer longer than the server's message cap ends
// with chat.error after its deltas.
func TestOversizedAnswer(t *testing.T) {
	srv := realtimetest.Start(t, realtimetest.Config())
	ag := startAgent(t, srv, newRealm(t), nil)
	p := join(t, srv, "", nil)
	p.send(ag.peerID, "long answer please")
	a := p.next()
	if a.end.Type != agentpeer.TypeChatError || !strings.Contains(a.end.Error, "more than the server carries") {
		t.Fatalf("turn ended with %+v", a.end)
	}
	n := 0
	for _, d := range a.deltas {
		n += len(d.Delta)
	}
	if n != 70000 {
		t.Errorf("deltas carried %d bytes, want the whole 70000", n)
	}
}

// TestOtherAgentsIgnored: prompts from peers whose presence kind is agent
// are ignored unless AnswerAgents is set.
func TestOtherAgentsIgnored(t *testing.T) {
	for _, answer := range []bool{false, true} {
		t.Run(map[bool]string{false: "default", true: "answer agents"}[answer], func(t *testing.T) {
			srv := realtimetest.Start(t, realtimetest.Config())
			r := newRealm(t)
			other := join(t, srv, "bot", map[string]any{"kind": "agent", "name": "bot"})
			ag := startAgent(t, srv, r, func(c *agentpeer.Config) { c.AnswerAgents = answer })
			awaitPresence(t, other, ag.peerID)
			other.publish("hello agent")
			other.send(ag.peerID, "hello directly")
			if !answer {
				other.quiet(500 * time.Millisecond)
				return
			}
			got := []string{other.next().text(t), other.next().text(t)}
			if !strings.Contains(strings.Join(got, "|"), "Scripted reply: hello directly") {
				t.Errorf("answers %q", got)
			}
		})
	}
}

// TestReconnectAfterServerRestart: the agent comes back after the server
// restarts, announces itself again with its metadata and answers.
func TestReconnectAfterServerRestart(t *testing.T) {
	srv := realtimetest.Start(t, realtimetest.Config())
	r := newRealm(t)
	alice := join(t, srv, "alice", map[string]any{"name": "Alice"})
	ag := startAgent(t, srv, r, nil)
	awaitPresence(t, alice, ag.peerID)
	alice.publish("before")
	alice.next().text(t)

	srv.Restart()
	meta := awaitPresence(t, alice, ag.peerID)
	if !strings.Contains(string(meta), `"kind":"agent"`) {
		t.Errorf("re-announced metadata %s", meta)
	}
	alice.publish("after")
	if text := alice.next().text(t); text != "Scripted reply: Alice: after" {
		t.Errorf("after restart: %q", text)
	}
	if n := r.historyLen(t, r.conversations(t)["channel"]); n != 4 {
		t.Errorf("channel conversation has %d rows, want 4", n)
	}
}

// TestPublishableKeyAndToken: the other credentials join too; a publishable
// key joins without metadata.
func TestPublishableKeyAndToken(t *testing.T) {
	srv := realtimetest.Start(t, realtimetest.Config())
	httpURL := srv.HTTPURL()
	tok, err := realtimetest.Sign("given-agent", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		edit     func(*agentpeer.Config)
		metadata bool
	}{
		{"publishable key", func(c *agentpeer.Config) { c.SecretKey, c.Key = "", realtimetest.Key }, false},
		{"given token", func(c *agentpeer.Config) { c.SecretKey, c.Token = "", tok }, false},
		{"token source", func(c *agentpeer.Config) {
			c.SecretKey = ""
			c.TokenSource = func(ctx context.Context) (string, error) {
				return mint(ctx, httpURL, "sourced", map[string]any{"kind": "agent", "name": "sourced"})
			}
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRealm(t)
			p := join(t, srv, "", nil)
			ag := startAgent(t, srv, r, tt.edit)
			meta := awaitPresence(t, p, ag.peerID)
			if (meta != nil) != tt.metadata {
				t.Errorf("metadata %s, want present=%v", meta, tt.metadata)
			}
			p.ask(ag.peerID, "hi")
		})
	}
}

// mintLog records the tokens the agent mints: when, and until when they live.
type mintLog struct {
	mu    sync.Mutex
	mints []mintRecord
}

type mintRecord struct{ at, exp time.Time }

func (l *mintLog) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || req.URL.Path != "/v1/tokens" {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var out struct{ ExpiresAt int64 }
	if err == nil && json.Unmarshal(body, &out) == nil {
		l.mu.Lock()
		l.mints = append(l.mints, mintRecord{at: time.Now(), exp: time.Unix(out.ExpiresAt, 0)})
		l.mu.Unlock()
	}
	return resp, err
}

func (l *mintLog) list() []mintRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.mints)
}

// TestTokenRenewal: with a secret key the agent moves to a fresh token
// before the server would close the old one (250 ms before it expires), and
// stays reachable.
func TestTokenRenewal(t *testing.T) {
	srv := realtimetest.Start(t, realtimetest.Config())
	log := &mintLog{}
	ag := startAgent(t, srv, newRealm(t), func(c *agentpeer.Config) {
		c.TokenTTL = 5 * time.Second
		c.HTTPClient = &http.Client{Transport: log}
	})
	p := join(t, srv, "", nil)
	deadline := time.Now().Add(15 * time.Second)
	for len(log.list()) < 3 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	mints := log.list()
	if len(mints) < 3 {
		t.Fatalf("%d tokens minted in 15 s with a 5 s lifetime", len(mints))
	}
	for i := 1; i < len(mints); i++ {
		if !mints[i].at.Before(mints[i-1].exp.Add(-250 * time.Millisecond)) {
			t.Errorf("token %d minted at %s, after the server closed token %d (expiring %s)", i, mints[i].at, i-1, mints[i-1].exp)
		}
	}
	if text := p.ask(ag.peerID, "still here?"); text != "Scripted reply: still here?" {
		t.Errorf("after renewals: %q", text)
	}
}

// TestSecondRunRefused: one Run at a time per Agent.
func TestSecondRunRefused(t *testing.T) {
	srv := realtimetest.Start(t, realtimetest.Config())
	ag := startAgent(t, srv, newRealm(t), nil)
	if err := ag.agent.Run(context.Background()); !errors.Is(err, agentpeer.ErrRunning) {
		t.Fatalf("second Run: %v", err)
	}
}

// TestRunFailsWithoutServer: a join that cannot connect is Run's error.
func TestRunFailsWithoutServer(t *testing.T) {
	r := newRealm(t)
	a, err := agentpeer.New(context.Background(), agentpeer.Config{Sessions: r.svc, URL: "ws://127.0.0.1:1", Channel: channel, Key: "pk"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	var ce *signalling.ConnectError
	if err := a.Run(ctx); !errors.As(err, &ce) {
		t.Fatalf("Run: %v, want a ConnectError", err)
	}
}
