package live_test

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/live"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/llmtest"
	"github.com/rkat-dev/rkat/llm/providers"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/memory"
	"github.com/rkat-dev/rkat/tool"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const script = `{"rules":[
  {"match":"weather","responses":[{"tool_calls":[{"name":"weather","args":{"city":"Oslo"}}]},{"text":"it is cold"}]},
  {"match":"slow","responses":[{"text":"one two three four five six seven eight","chunks":8,"delay_ms":100}]}]}`

// weather is a session tool the model calls during live responses.
var weather = tool.Func{
	Definition: llm.ToolDef{Name: "weather", Description: "weather of a city", InputSchema: json.RawMessage(`{"type":"object"}`)},
	Fn: func(_ context.Context, args json.RawMessage) (tool.Result, error) {
		var a struct{ City string }
		_ = json.Unmarshal(args, &a)
		return tool.TextResult("-3C in " + a.City), nil
	},
}

type fixture struct {
	svc  *session.Service
	m    *live.Manager
	fake *llmtest.Realtime
}

func newFixture(t *testing.T, fakeCfg llmtest.RealtimeConfig, cfg live.Config) *fixture {
	t.Helper()
	fake := llmtest.NewRealtime(t, fakeCfg)
	path := filepath.Join(t.TempDir(), "script.json")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"OPENAI_API_KEY": "sk-live", "OPENAI_BASE_URL": fake.URL(), "RKAT_TEST_SCRIPT": path}
	r, err := providers.New(providers.Config{Getenv: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := session.New(context.Background(), session.Config{Store: memory.New(), Resolver: r,
		Tools: tool.NewRegistry(weather), Realm: "test", DefaultSystemPrompt: "be brief"})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Sessions = func(context.Context) (*session.Service, error) { return svc, nil }
	m, err := live.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close(); svc.Close() })
	return &fixture{svc: svc, m: m, fake: fake}
}

func (f *fixture) session(t *testing.T, provider, model string) string {
	t.Helper()
	res, err := f.svc.Create(context.Background(), session.CreateRequest{Prompt: []llm.Block{llm.Text("hello")}, Provider: provider, Model: model})
	if err != nil {
		t.Fatal(err)
	}
	return res.SessionID
}

// watch reads observations until one of kind arrives and returns the ones
// read, that one last.
func watch(t *testing.T, sub *live.Subscription, kind string) []live.Observation {
	t.Helper()
	var seen []live.Observation
	timeout := time.After(10 * time.Second)
	for {
		select {
		case o, ok := <-sub.C():
			if !ok {
				t.Fatalf("subscription ended waiting for %s (saw %v)", kind, kinds(seen))
			}
			seen = append(seen, o)
			if o.Kind == kind {
				return seen
			}
		case <-timeout:
			t.Fatalf("no %s (saw %v)", kind, kinds(seen))
		}
	}
}

func kinds(obs []live.Observation) []string {
	var out []string
	for _, o := range obs {
		out = append(out, o.Kind)
	}
	return out
}

func deltas(obs []live.Observation) string {
	var b strings.Builder
	for _, o := range obs {
		b.WriteString(o.Delta)
	}
	return b.String()
}

func rows(t *testing.T, svc *session.Service, id string) []store.Row {
	t.Helper()
	page, err := svc.History(context.Background(), id, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return page.Rows
}

func open(t *testing.T, f *fixture, req live.OpenRequest) (*live.Channel, *live.Subscription) {
	t.Helper()
	o, err := f.m.Open(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	sub := o.Channel.Subscribe(1024)
	t.Cleanup(sub.Close)
	if o.Channel.State().Status != live.StatusReady {
		watch(t, sub, live.ObsReady)
	}
	return o.Channel, sub
}

// TestChannel runs a live conversation on both realtime providers: text
// and commit, audio at another rate, a tool call, interrupt, truncate,
// refresh and close, then reads the session's history.
func TestChannel(t *testing.T) {
	for _, provider := range []string{"scripted", "openai"} {
		t.Run(provider, func(t *testing.T) {
			f := newFixture(t, llmtest.RealtimeConfig{APIKey: "sk-live", DeltaDelay: 30 * time.Millisecond,
				Reply: func(items []llmtest.RealtimeItem) llmtest.RealtimeReply {
					last := items[len(items)-1]
					switch {
					case last.Role == "user" && strings.Contains(last.Text, "weather"):
						return llmtest.RealtimeReply{ToolCall: &llmtest.RealtimeToolCall{Name: "weather", Arguments: `{"city":"Oslo"}`}}
					case last.Type == "function_call_output":
						return llmtest.RealtimeReply{Text: "it is cold"}
					case strings.Contains(last.Text, "slow"):
						return llmtest.RealtimeReply{Text: "one two three four five six seven eight"}
					}
					return llmtest.DefaultRealtimeReply(items)
				}}, live.Config{})
			id := f.session(t, provider, "gpt-realtime-2")
			ch, sub := open(t, f, live.OpenRequest{SessionID: id, Turning: live.ExplicitCommit})

			if err := ch.Send(live.Chunk{Kind: live.ChunkText, Text: "ping"}); err != nil {
				t.Fatal(err)
			}
			if err := ch.Commit(true); err != nil {
				t.Fatal(err)
			}
			seen := watch(t, sub, live.ObsTurnCompleted)
			want := map[string]string{"scripted": "Scripted reply: ping", "openai": "Echo: ping"}[provider]
			if got := deltas(seen); got != want {
				t.Errorf("text reply %q, want %q (%v)", got, want, kinds(seen))
			}

			// 100 ms of 16 kHz stereo: resampled to 100 ms of 24 kHz mono.
			pcm := make([]byte, 1600*4)
			for i := 0; i < len(pcm); i += 2 {
				binary.LittleEndian.PutUint16(pcm[i:], uint16(1000+i))
			}
			if err := ch.SendAudio(pcm, 16000, 2); err != nil {
				t.Fatal(err)
			}
			if err := ch.Commit(false); err != nil {
				t.Fatal(err)
			}
			seen = watch(t, sub, live.ObsTurnCompleted)
			var transcript string
			audio := 0
			for _, o := range seen {
				if o.Kind == live.ObsUserTranscript {
					transcript = o.Text
				}
				audio += len(o.Audio)
			}
			if !strings.HasPrefix(transcript, "audio of 99 ms") && !strings.HasPrefix(transcript, "audio of 100 ms") {
				t.Errorf("user transcript %q (%v)", transcript, kinds(seen))
			}
			if audio == 0 {
				t.Error("no assistant audio")
			}

			// A tool call runs the session's tool; the model gets its result.
			_ = ch.Send(live.Chunk{Kind: live.ChunkText, Text: "weather in Oslo?"})
			_ = ch.Commit(true)
			seen = watch(t, sub, live.ObsTurnCompleted)
			if got := deltas(seen); got != "it is cold" {
				t.Errorf("after the tool: %q (%v)", got, kinds(seen))
			}

			// Interrupt cancels a slow response.
			_ = ch.Send(live.Chunk{Kind: live.ChunkText, Text: "slow please"})
			_ = ch.Commit(true)
			watch(t, sub, live.ObsTextDelta)
			if err := ch.Interrupt(); err != nil {
				t.Fatal(err)
			}
			seen = watch(t, sub, live.ObsTurnCompleted)
			if last := seen[len(seen)-1]; last.StopReason != llm.StopCancelled || kinds(seen)[0] != live.ObsTurnInterrupted {
				t.Errorf("interrupted turn: stop %s, %v", last.StopReason, kinds(seen))
			}

			if err := ch.Truncate("", 0, 5); err == nil {
				t.Error("truncate without item accepted")
			}
			if err := ch.Refresh(context.Background()); err != nil {
				t.Fatal(err)
			}
			if provider == "openai" {
				waitFor(t, func() bool { return count(f.fake.EventTypes(), "session.update") == 2 })
			}
			if st := ch.State(); st.Status != live.StatusReady {
				t.Errorf("after refresh: %+v", st)
			}
			ch.Close("")
			if st := ch.State(); st.Status != live.StatusClosed {
				t.Errorf("after close: %+v", st)
			}
			if err := ch.Send(live.Chunk{Kind: live.ChunkText, Text: "late"}); !errors.Is(err, live.ErrClosed) {
				t.Errorf("send after close: %v", err)
			}

			var got []string
			for _, r := range rows(t, f.svc, id) {
				got = append(got, string(r.Role)+":"+strings.Join(texts(r), "|"))
			}
			wantRows := []string{
				"user:hello", "assistant:",
				"user:ping", "assistant:" + want,
				"user:audio of ", "assistant:",
				"user:weather in Oslo?", "assistant:", "tool_results:-3C in Oslo", "assistant:it is cold",
				"user:slow please", "assistant:",
			}
			if len(got) != len(wantRows) {
				t.Fatalf("history:\n%s", strings.Join(got, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], wantRows[i]) {
					t.Errorf("row %d = %q, want prefix %q", i, got[i], wantRows[i])
				}
			}
			if !strings.Contains(got[4], "|[live audio input ") {
				t.Errorf("the audio row has no audio reference: %q", got[4])
			}
			// 1600 frames at 16 kHz are 2400 samples at 24 kHz; the resampler
			// holds back the last one until more audio comes.
			if n := f.fake.AudioBytes(); provider == "openai" && (n < 4796 || n > 4800) {
				t.Errorf("the provider got %d audio bytes, want about 4800", n)
			}
		})
	}
}

func texts(r store.Row) []string {
	var out []string
	for _, b := range r.Content {
		out = append(out, b.Text)
	}
	return out
}

// TestOpenErrors: only realtime models open, one channel per session, and
// bad input is rejected with the contract's reasons while the channel stays.
func TestOpenErrors(t *testing.T) {
	f := newFixture(t, llmtest.RealtimeConfig{}, live.Config{MaxPendingAudio: 9600})
	plain := f.session(t, "scripted", "scripted")
	if _, err := f.m.Open(context.Background(), live.OpenRequest{SessionID: plain}); !errors.Is(err, live.ErrNotRealtime) {
		t.Errorf("non-realtime model: %v", err)
	}
	if _, err := f.m.Open(context.Background(), live.OpenRequest{SessionID: "nope"}); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("unknown session: %v", err)
	}
	id := f.session(t, "scripted", "gpt-realtime-2")
	ch, _ := open(t, f, live.OpenRequest{SessionID: id})
	if _, err := f.m.Open(context.Background(), live.OpenRequest{SessionID: id}); !errors.Is(err, live.ErrExists) {
		t.Errorf("second channel: %v", err)
	}
	reason := func(err error) any {
		var re *live.RejectError
		if !errors.As(err, &re) {
			return err
		}
		return re.Reason["kind"]
	}
	if r := reason(ch.SendAudio(make([]byte, 10), 96000, 1)); r != "audio_input_format_mismatch" {
		t.Errorf("96 kHz: %v", r)
	}
	// The provider drains the queue concurrently, so push until it fills.
	var err error
	for i := 0; i < 10000 && err == nil; i++ {
		err = ch.SendAudio(make([]byte, 4800), 24000, 1)
	}
	if r := reason(err); r != "input_backpressured" && err != nil {
		t.Errorf("flood: %v", r)
	}
	if st := ch.State(); st.Status != live.StatusReady {
		t.Errorf("channel after bad input: %+v", st)
	}
}

// TestProviderDrop: a provider socket dropping mid-response turns the
// channel degraded, then it reconnects; when the provider is gone it
// closes with a reason.
func TestProviderDrop(t *testing.T) {
	f := newFixture(t, llmtest.RealtimeConfig{APIKey: "sk-live", Reply: func(items []llmtest.RealtimeItem) llmtest.RealtimeReply {
		last := items[len(items)-1].Text
		return llmtest.RealtimeReply{Text: "a b c d e f", Drop: strings.Contains(last, "drop"), RateLimited: strings.Contains(last, "limit")}
	}}, live.Config{ReconnectDelay: time.Second})
	id := f.session(t, "openai", "gpt-realtime-2")
	ch, sub := open(t, f, live.OpenRequest{SessionID: id})

	// An exhausted rate limit degrades the channel until the response ends.
	_ = ch.Send(live.Chunk{Kind: live.ChunkText, Text: "near the limit"})
	_ = ch.Commit(true)
	seen := watch(t, sub, live.ObsStatusChanged)
	if st := seen[len(seen)-1].Status; st.Status != live.StatusDegraded || st.Reason["kind"] != "rate_limited" {
		t.Fatalf("rate limited: %+v", st)
	}
	watch(t, sub, live.ObsReady)

	_ = ch.Send(live.Chunk{Kind: live.ChunkText, Text: "please drop"})
	_ = ch.Commit(true)
	seen = watch(t, sub, live.ObsStatusChanged)
	if st := seen[len(seen)-1].Status; st.Status != live.StatusDegraded || st.Reason["kind"] != "network_unstable" {
		t.Fatalf("after the drop: %+v", st)
	}
	watch(t, sub, live.ObsReady)
	if d := f.fake.Dials(); d != 3 { // session/create's turn, the channel, its reconnect
		t.Errorf("dials = %d", d)
	}
	_ = ch.Send(live.Chunk{Kind: live.ChunkText, Text: "drop again"})
	_ = ch.Commit(true)
	watch(t, sub, live.ObsStatusChanged)
	f.fake.Close()
	select {
	case <-ch.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("channel hangs after the provider went away")
	}
	if st := ch.State(); st.Status != live.StatusClosed || !strings.Contains(st.Reason["detail"].(string), "provider connection lost") {
		t.Errorf("closed state: %+v", st)
	}
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 10 s")
		}
	}
}

// TestRefresh: live/refresh sends the session's new instructions (changed
// by a text turn meanwhile) to the open provider session, which stays open.
func TestRefresh(t *testing.T) {
	f := newFixture(t, llmtest.RealtimeConfig{APIKey: "sk-live"}, live.Config{})
	id := f.session(t, "openai", "gpt-realtime-2")
	ch, _ := open(t, f, live.OpenRequest{SessionID: id})
	dials := f.fake.Dials()
	prompt := "be terse now"
	if _, err := f.svc.Turn(context.Background(), session.TurnRequest{SessionID: id, Prompt: []llm.Block{llm.Text("switch")}, SystemPrompt: &prompt}); err != nil {
		t.Fatal(err)
	}
	if err := ch.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	var last map[string]any
	waitFor(t, func() bool {
		n := 0
		for _, ev := range f.fake.Events() {
			if ev["type"] == "session.update" {
				n, last = n+1, ev["session"].(map[string]any)
			}
		}
		return n == 4 // session/create, the channel, the text turn (its own socket), the refresh
	})
	if last["instructions"] != prompt || f.fake.Dials() != dials+1 /* the text turn only: the channel kept its socket */ || ch.State().Status != live.StatusReady {
		t.Errorf("refresh sent %v; dials %d -> %d; state %+v", last["instructions"], dials, f.fake.Dials(), ch.State())
	}
}

// TestContinuity: the seeded history and how live/open reports it.
func TestContinuity(t *testing.T) {
	f := newFixture(t, llmtest.RealtimeConfig{APIKey: "sk-live"}, live.Config{})
	for _, tc := range []struct {
		seed int
		want string
	}{{0, "transcript_only"}, {5, "degraded"}, {100_000, "transcript_only"}} {
		o, err := f.m.Open(context.Background(), live.OpenRequest{SessionID: f.session(t, "openai", "gpt-realtime-2"), SeedMaxChars: tc.seed})
		if err != nil {
			t.Fatal(err)
		}
		if o.Continuity != tc.want {
			t.Errorf("seed_max_chars %d: continuity %s, want %s", tc.seed, o.Continuity, tc.want)
		}
		waitFor(t, func() bool { return o.Channel.State().Status == live.StatusReady })
		o.Channel.Close("")
	}
	// A degraded seed really leaves messages out: the channel's socket got
	// fewer conversation items than the full one.
	items := map[int]int{}
	dial := 0
	for _, ev := range f.fake.Events() {
		switch ev["type"] {
		case "session.update":
			dial++
		case "conversation.item.create":
			items[dial]++
		}
	}
	// Sockets in order: create 1, channel 1, create 2, channel 2, create 3, channel 3.
	if items[2] != 2 || items[4] != 0 || items[6] != 2 {
		t.Errorf("seeded items per socket: %v", items)
	}
}
