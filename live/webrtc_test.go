package live_test

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/rkat-dev/rkat/live"
	"github.com/rkat-dev/rkat/llm/llmtest"
	"github.com/rkat-dev/rkat/realtime/peer"
)

// TestWebRTC connects a pion peer, standing in for a browser, to a channel
// with AnswerWebRTC: its G.711 microphone reaches the provider and the reply
// audio comes back as RTP. The OpenAI Realtime fake takes μ-law, which
// passes through untranscoded; the scripted provider speaks PCM16, to and
// from which the bridge transcodes.
func TestWebRTC(t *testing.T) {
	for _, provider := range []string{"openai", "scripted"} {
		t.Run(provider, func(t *testing.T) { testWebRTC(t, provider) })
	}
}

func testWebRTC(t *testing.T, provider string) {
	f := newFixture(t, llmtest.RealtimeConfig{APIKey: "sk-live"}, live.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	o, err := f.m.Open(ctx, live.OpenRequest{SessionID: f.session(t, provider, "gpt-realtime-2"), Turning: live.ExplicitCommit, G711: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := o.Channel.G711(); got != (provider == "openai") {
		t.Fatalf("G.711 channel: %v", got)
	}
	if _, err := f.m.AnswerWebRTC(ctx, o.Channel.ID(), "wrong", "v=0"); !errors.Is(err, live.ErrBadToken) {
		t.Errorf("bad token: %v", err)
	}

	api, err := peer.NewAPI(nil)
	if err != nil {
		t.Fatal(err)
	}
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	mic, err := peer.NewAudioSource(peer.AudioSourceConfig{InputRate: 8000})
	if err != nil {
		t.Fatal(err)
	}
	defer mic.Close()
	if _, err := pc.AddTrack(mic.Track()); err != nil {
		t.Fatal(err)
	}
	var loud atomic.Int64 // received samples of the reply's tone (the track idles with silence)
	trackDone := make(chan struct{})
	pc.OnTrack(func(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		defer close(trackDone)
		for {
			pkt, _, err := tr.ReadRTP()
			if err != nil {
				return
			}
			for _, b := range pkt.Payload {
				if v := peer.MuLawDecode(b); v > 1000 || v < -1000 {
					loud.Add(1)
				}
			}
		}
	})
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		t.Fatal(err)
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(offer); err != nil {
		t.Fatal(err)
	}
	<-gathered
	answer, err := f.m.AnswerWebRTC(ctx, o.Channel.ID(), o.Token, pc.LocalDescription().SDP)
	if err != nil {
		t.Fatal(err)
	}
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.m.AnswerWebRTC(ctx, o.Channel.ID(), o.Token, pc.LocalDescription().SDP); !errors.Is(err, live.ErrBadToken) {
		t.Errorf("token reuse: %v", err)
	}
	tone := make([]byte, 2*8000) // 1 s of 440 Hz at 8 kHz
	for i := range 8000 {
		binary.LittleEndian.PutUint16(tone[2*i:], uint16(int16(8000*math.Sin(2*math.Pi*440*float64(i)/8000))))
	}
	if err := mic.Push(ctx, tone); err != nil {
		t.Fatal(err)
	}
	if provider == "openai" {
		waitFor(t, func() bool { return f.fake.AudioBytes() >= 4000 }) // half a second of μ-law
		pcmu := 0                                                      // the channel's session.update (session/create's text turn had its own)
		for _, ev := range f.fake.Events() {
			if ev["type"] != "session.update" {
				continue
			}
			audio := ev["session"].(map[string]any)["audio"].(map[string]any)
			in := audio["input"].(map[string]any)["format"].(map[string]any)["type"]
			out := audio["output"].(map[string]any)["format"].(map[string]any)["type"]
			if in == "audio/pcmu" && out == "audio/pcmu" {
				pcmu++
			}
		}
		if pcmu != 1 {
			t.Errorf("%d session.update events with G.711 both ways, want 1", pcmu)
		}
	} else {
		time.Sleep(500 * time.Millisecond) // the scripted provider echoes what it got
	}
	if n := loud.Load(); n != 0 {
		t.Fatalf("%d loud samples before any reply", n)
	}
	if err := o.Channel.Commit(false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return loud.Load() > 300 }) // the reply: 20 ms of tone per word
	o.Channel.Close("")
	pc.Close()
	<-trackDone
}
