package agentpeer_test

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/agentpeer"
	"github.com/rkat-dev/rkat/internal/realtimetest"
	"github.com/rkat-dev/rkat/realtime/peer"
	"github.com/rkat-dev/rkat/realtime/signalling"
)

// voiceMsg is a chat message of a voice conversation as a person receives it.
type voiceMsg struct {
	Type      string `json:"type"`
	Turn      string `json:"turn"`
	Text      string `json:"text"`
	Role      string `json:"role"`
	Voice     bool   `json:"voice"`
	Error     string `json:"error"`
	InReplyTo string `json:"in_reply_to"`
}

// speaker is a Go WebRTC peer with a microphone track, standing in for a
// browser that talks to the agent.
type speaker struct {
	p           *peer.Peer
	src         *peer.AudioSource
	msgs        chan voiceMsg
	frames      atomic.Int64   // audio frames received from the agent
	loud        atomic.Int64   // of which carry signal
	heard       chan time.Time // arrival of the agent's frames with signal (dropped when full)
	agentTracks chan string    // track metadata of the agent's tracks
	removed     chan string    // streams the agent stopped sending
	readers     sync.WaitGroup
}

func newSpeaker(t testing.TB, srv *realtimetest.Server, name string) *speaker {
	t.Helper()
	httpURL := srv.HTTPURL()
	p, err := peer.New(peer.Config{Signalling: signalling.Config{URL: srv.URL(), TokenProvider: func(ctx context.Context) (string, error) {
		return mint(ctx, httpURL, name, map[string]any{"name": name})
	}}})
	if err != nil {
		t.Fatal(err)
	}
	src, err := peer.NewAudioSource(peer.AudioSourceConfig{InputRate: 24000})
	if err != nil {
		t.Fatal(err)
	}
	s := &speaker{p: p, src: src, msgs: make(chan voiceMsg, 64), heard: make(chan time.Time, 1024), agentTracks: make(chan string, 4), removed: make(chan string, 4)}
	signalling.On(p, func(ev peer.Data) {
		var m voiceMsg
		if json.Unmarshal(ev.Data, &m) == nil && ev.Kind == peer.KindDirect {
			select {
			case s.msgs <- m:
			default:
			}
		}
	})
	signalling.On(p, func(ev peer.PeerJoined) {
		signalling.On(ev.Peer, func(e peer.Track) {
			s.agentTracks <- string(e.Metadata)
			r, err := peer.NewPCMReader(e.Track)
			if err != nil {
				t.Errorf("agent track: %v", err)
				return
			}
			s.readers.Go(func() { s.read(r) })
		})
		signalling.On(ev.Peer, func(e peer.StreamRemoved) { s.removed <- e.StreamID })
	})
	t.Cleanup(func() {
		_ = p.Close() // ends the agent's track, so the readers return
		src.Close()
		s.readers.Wait()
	})
	return s
}

func (s *speaker) read(r *peer.PCMReader) {
	for {
		f, err := r.ReadFrame()
		if err != nil {
			return
		}
		s.frames.Add(1)
		var sum float64
		for _, v := range f.Samples {
			sum += float64(v) * float64(v)
		}
		if len(f.Samples) > 0 && math.Sqrt(sum/float64(len(f.Samples))) > 300 {
			s.loud.Add(1)
			select {
			case s.heard <- time.Now():
			default:
			}
		}
	}
}

// say pushes d of a 440 Hz tone; the source sends silence after it, which
// ends the utterance for the provider's voice activity detection.
func (s *speaker) say(t *testing.T, d time.Duration) {
	t.Helper()
	n := int(d.Seconds() * 24000)
	pcm := make([]byte, 2*n)
	for i := range n {
		binary.LittleEndian.PutUint16(pcm[2*i:], uint16(int16(8000*math.Sin(2*math.Pi*440*float64(i)/24000))))
	}
	if err := s.src.Push(context.Background(), pcm); err != nil {
		t.Fatal(err)
	}
}

// await returns the next voice message matching pred.
func (s *speaker) await(t *testing.T, what string, pred func(voiceMsg) bool) voiceMsg {
	t.Helper()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case m := <-s.msgs:
			if pred(m) {
				return m
			}
		case <-timer.C:
			t.Fatalf("no %s within %s", what, wait)
		}
	}
}

// TestVoice: a realtime agent (scripted provider, gpt-realtime-2) bridges a
// person's microphone track to a live channel on their direct
// conversation: the person hears the answer on the agent's track, gets
// both transcripts as chat messages, the exchange lands in the
// conversation's history, and removing the microphone ends the voice.
func TestVoice(t *testing.T) {
	srv := realtimetest.Start(t, realtimetest.Config())
	r := newRealm(t)
	ag := startAgent(t, srv, r, func(c *agentpeer.Config) { c.Model = "gpt-realtime-2" })
	if !ag.agent.Realtime() {
		t.Fatal("gpt-realtime-2 is not realtime for the agent")
	}
	carol := newSpeaker(t, srv, "carol")
	user, reply := carol.talk(t)
	t.Logf("transcripts: %+v / %+v", user, reply)
	if user.Text == "" || user.Turn == "" || reply.Turn != user.Turn {
		t.Errorf("user transcript %+v and answer %+v should share a turn", user, reply)
	}
	if reply.Text != "Scripted reply: "+user.Text || reply.InReplyTo != carol.p.PeerID() {
		t.Errorf("assistant transcript %+v", reply)
	}
	// The scripted provider echoes the utterance: the tone comes back.
	deadline := time.Now().Add(wait)
	for carol.loud.Load() < 10 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if carol.loud.Load() < 10 {
		t.Errorf("heard %d frames from the agent, %d with signal", carol.frames.Load(), carol.loud.Load())
	}

	// The call opened the direct conversation with a first turn (2 rows);
	// the spoken exchange is committed to it.
	sid := r.conversations(t)["direct:"+carol.p.PeerID()]
	if sid == "" {
		t.Fatalf("no direct conversation: %v", r.conversations(t))
	}
	for r.historyLen(t, sid) < 4 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := r.historyLen(t, sid); n < 4 {
		t.Errorf("direct conversation has %d rows after the spoken exchange, want 4", n)
	}

	// Removing the microphone ends the voice: the agent's track goes too.
	if err := carol.p.RemoveTrack(carol.src.Track()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-carol.removed:
	case <-time.After(wait):
		t.Error("the agent kept its track after the microphone was removed")
	}
}

// TestVoiceAfterRejoin: leaving ends the call (its live channel closes,
// or the session could not open another), and the same person coming back
// talks again on the same conversation, whose history keeps growing.
func TestVoiceAfterRejoin(t *testing.T) {
	srv := realtimetest.Start(t, realtimetest.Config())
	r := newRealm(t)
	startAgent(t, srv, r, func(c *agentpeer.Config) { c.Model = "gpt-realtime-2" })
	first := newSpeaker(t, srv, "frank")
	first.talk(t)
	id := first.p.PeerID()
	sid := r.conversations(t)["direct:"+id]
	if err := first.p.Close(); err != nil {
		t.Fatal(err)
	}
	again := newSpeaker(t, srv, "frank")
	user, reply := again.talk(t)
	if again.p.PeerID() != id || reply.Text != "Scripted reply: "+user.Text {
		t.Errorf("second call as %s: %+v / %+v", again.p.PeerID(), user, reply)
	}
	if got := r.conversations(t)["direct:"+id]; got != sid {
		t.Errorf("second call on session %s, first on %s", got, sid)
	}
	deadline := time.Now().Add(wait)
	for r.historyLen(t, sid) < 6 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := r.historyLen(t, sid); n < 6 {
		t.Errorf("conversation has %d rows after two calls, want 6", n)
	}
}

// talk adds the speaker's microphone, joins, waits for the agent's track,
// says 400 ms of tone and returns the transcripts of the exchange.
func (s *speaker) talk(t *testing.T) (user, reply voiceMsg) {
	t.Helper()
	if err := s.p.AddTrack(s.src.Track(), json.RawMessage(`{"role":"mic"}`)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := s.p.Join(ctx, channel, peer.JoinOptions{}); err != nil {
		t.Fatal(err)
	}
	select {
	case meta := <-s.agentTracks:
		if meta != `{"kind":"agent-voice"}` {
			t.Errorf("agent track metadata %q", meta)
		}
	case <-time.After(wait):
		t.Fatal("the agent sent no audio track")
	}
	s.say(t, 400*time.Millisecond)
	isVoice := func(role string) func(voiceMsg) bool {
		return func(m voiceMsg) bool {
			if m.Type == agentpeer.TypeChatError {
				t.Errorf("chat.error: %+v", m)
			}
			return m.Type == agentpeer.TypeChat && m.Voice && m.Role == role
		}
	}
	return s.await(t, "user transcript", isVoice(agentpeer.RoleUser)), s.await(t, "assistant transcript", isVoice(agentpeer.RoleAssistant))
}

// TestVoiceTextOnlyAgent: a text-only agent answers a microphone with
// chat.error.
func TestVoiceTextOnlyAgent(t *testing.T) {
	srv := realtimetest.Start(t, realtimetest.Config())
	ag := startAgent(t, srv, newRealm(t), nil)
	if ag.agent.Realtime() {
		t.Fatal("the scripted default model is realtime for the agent")
	}
	dave := newSpeaker(t, srv, "dave")
	if err := dave.p.AddTrack(dave.src.Track(), nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := dave.p.Join(ctx, channel, peer.JoinOptions{}); err != nil {
		t.Fatal(err)
	}
	dave.say(t, 100*time.Millisecond)
	e := dave.await(t, "chat.error", func(m voiceMsg) bool { return m.Type == agentpeer.TypeChatError })
	if e.Voice || e.InReplyTo != dave.p.PeerID() || e.Error == "" {
		t.Errorf("refusal %+v", e)
	}
}
