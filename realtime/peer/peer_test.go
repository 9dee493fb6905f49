package peer

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/realtime/signalling"
)

// sine returns n frames of a 440 Hz tone as PCM16 LE with the given layout.
func sine(rate, channels, n, offset int) []byte {
	out := make([]byte, 0, n*2*channels)
	for i := range n {
		v := int16(8000 * math.Sin(2*math.Pi*440*float64(i+offset)/float64(rate)))
		for range channels {
			out = binary.LittleEndian.AppendUint16(out, uint16(v))
		}
	}
	return out
}

// feed pushes a tone into src until ctx ends.
func feed(ctx context.Context, src *AudioSource, rate, channels int) {
	for off := 0; ctx.Err() == nil; off += rate / 10 {
		if err := src.Push(ctx, sine(rate, channels, rate/10, off)); err != nil {
			return
		}
	}
}

// loudFrame reads the track until a frame with real signal arrives.
func loudFrame(r *PCMReader) error {
	for range 500 {
		f, err := r.ReadFrame()
		if err != nil {
			return err
		}
		var sum float64
		for _, s := range f.Samples {
			sum += float64(s) * float64(s)
		}
		if len(f.Samples) > 0 && math.Sqrt(sum/float64(len(f.Samples))) > 1000 {
			return nil
		}
	}
	return errors.New("no loud frame in 500 packets")
}

// TestGoToGo joins two peers that both send audio (so both offer at once),
// and exchanges data-channel, direct and broadcast messages.
func TestGoToGo(t *testing.T) {
	ctx, wg, a, b := twoPeers(t)
	srcA, err := NewAudioSource(AudioSourceConfig{InputRate: 48000, Channels: 2, MaxBuffered: 200 * time.Millisecond, StreamID: "voice-a"})
	if err != nil {
		t.Fatal(err)
	}
	defer srcA.Close()
	srcB, err := NewAudioSource(AudioSourceConfig{InputRate: 16000, MimeType: "audio/PCMA", MaxBuffered: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer srcB.Close()
	if err := a.AddTrack(srcA.Track(), json.RawMessage(`{"role":"voice"}`)); err != nil {
		t.Fatal(err)
	}
	if err := b.AddTrack(srcB.Track(), nil); err != nil {
		t.Fatal(err)
	}
	wg.Go(func() { feed(ctx, srcA, 48000, 2) })
	wg.Go(func() { feed(ctx, srcB, 16000, 1) })

	aJoined := signalling.Events[PeerJoined](a, 4)
	bJoined := signalling.Events[PeerJoined](b, 4)
	aData := signalling.Events[Data](a, 8)
	bData := signalling.Events[Data](b, 8)
	if err := a.Join(ctx, "room/go", JoinOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := b.Join(ctx, "room/go", JoinOptions{}); err != nil {
		t.Fatal(err)
	}
	ra := next(t, aJoined, nil).Peer // a's view of b
	rb := next(t, bJoined, nil).Peer // b's view of a
	if ra.ID() != b.PeerID() || rb.ID() != a.PeerID() || ra.Polite() == rb.Polite() {
		t.Fatalf("ids %s/%s politeness %v/%v", ra.ID(), rb.ID(), ra.Polite(), rb.Polite())
	}
	aTracks := signalling.Events[Track](ra, 4)
	bTracks := signalling.Events[Track](rb, 4)
	bStreams := signalling.Events[StreamAdded](rb, 4)
	aChannels := signalling.Events[DataChannelOpened](ra, 4)
	dc, err := rb.CreateDataChannel("chat", nil, DataChannelOptions{})
	if err != nil {
		t.Fatal(err)
	}

	// Audio both ways, with a's track metadata.
	tb := next(t, bTracks, nil)
	if string(tb.Metadata) != `{"role":"voice"}` || tb.StreamID != "voice-a" {
		t.Errorf("b saw track metadata %s stream %s", tb.Metadata, tb.StreamID)
	}
	if sa := next(t, bStreams, nil); sa.StreamID != "voice-a" || string(sa.Metadata) != `{"role":"voice"}` {
		t.Errorf("StreamAdded %+v", sa)
	}
	ta := next(t, aTracks, nil)
	for _, tr := range []Track{tb, ta} {
		reader, err := NewPCMReader(tr.Track)
		if err != nil {
			t.Fatal(err)
		}
		if err := loudFrame(reader); err != nil {
			t.Fatalf("audio %s: %v", tr.Track.Codec().MimeType, err)
		}
	}

	// Data channel: text stays text, binary stays binary.
	in := next(t, aChannels, nil).Channel
	msgs := signalling.Events[DCMessage](in, 4)
	if err := dc.SendText(ctx, "hi"); err != nil {
		t.Fatal(err)
	}
	if err := dc.Send(ctx, []byte("bin")); err != nil {
		t.Fatal(err)
	}
	if m := next(t, msgs, nil); !m.IsString || string(m.Data) != "hi" {
		t.Errorf("first message %+v", m)
	}
	if m := next(t, msgs, nil); m.IsString || string(m.Data) != "bin" {
		t.Errorf("second message %+v", m)
	}

	// Server-routed data. The track-metadata message a sent to b before its
	// offer must not surface as Data.
	if err := a.SendTo(ctx, b.PeerID(), map[string]int{"x": 1}); err != nil {
		t.Fatal(err)
	}
	if d := next(t, bData, nil); d.Kind != KindDirect || string(d.Data) != `{"x":1}` || d.SenderPeerID != a.PeerID() {
		t.Errorf("b got %+v", d)
	}
	if err := b.Send(ctx, "everyone"); err != nil {
		t.Fatal(err)
	}
	if d := next(t, aData, nil); d.Kind != KindBroadcast || string(d.Data) != `"everyone"` {
		t.Errorf("a got %+v", d)
	}
}

func TestSendErrors(t *testing.T) {
	srv := startTestServer(t)
	ctx := context.Background()
	p := newTestPeer(t, signalling.Config{URL: srv.URL(), Key: testKey})
	var coder interface{ Code() string }
	if err := p.Send(ctx, 1); !errors.As(err, &coder) || coder.Code() != CodeNotJoined {
		t.Fatalf("Send before join: %v", err)
	}
	if err := p.Join(ctx, "_system/x", JoinOptions{}); !errors.As(err, &coder) || coder.Code() != CodeReservedChannel {
		t.Fatalf("reserved join: %v", err)
	}
	if err := p.Join(ctx, "room/errors", JoinOptions{}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
		code string
	}{
		{"self", p.SendTo(ctx, p.PeerID(), 1), CodeSelfSend},
		{"empty id", p.SendTo(ctx, "", 1), CodeInvalidArgs},
		{"signal shape", p.SendTo(ctx, "other", map[string]any{"type": "rtc-ice", "candidate": nil}), CodeInvalidArgs},
		{"track meta shape", p.Send(ctx, map[string]any{"__meteredTrackMeta": 1}), CodeInvalidArgs},
		{"oversized", p.Send(ctx, string(make([]byte, 70000))), CodeOversized},
		{"unknown peer", p.SendTo(ctx, "nobody", 1), "peer_not_found"},
		{"join twice", p.Join(ctx, "room/other", JoinOptions{}), CodeInvalidState},
	}
	for _, tt := range tests {
		if !errors.As(tt.err, &coder) || coder.Code() != tt.code {
			t.Errorf("%s: err %v, want code %s", tt.name, tt.err, tt.code)
		}
	}
}

// TestReconnectKeepsRemotePeer restarts the server under two JWT peers. The
// later one to come back finds the other in its snapshot and keeps the same
// RemotePeer object, swapping only its connection.
func TestReconnectKeepsRemotePeer(t *testing.T) {
	srv := startTestServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	a := newTestPeer(t, signalling.Config{URL: srv.URL(), TokenProvider: jwtProvider("alice"), Reconnect: fastReconnect(700 * time.Millisecond)})
	b := newTestPeer(t, signalling.Config{URL: srv.URL(), TokenProvider: jwtProvider("bob"), Reconnect: fastReconnect(30 * time.Millisecond)})
	aJoined := signalling.Events[PeerJoined](a, 4)
	bJoined := signalling.Events[PeerJoined](b, 4)
	aStates := signalling.Events[StateChange](a, 16)
	if err := a.Join(ctx, "room/reconnect", JoinOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := b.Join(ctx, "room/reconnect", JoinOptions{}); err != nil {
		t.Fatal(err)
	}
	held := next(t, aJoined, nil).Peer
	if held.ID() != "bob" {
		t.Fatalf("a sees %s", held.ID())
	}
	// Any message over a data channel a opens proves the link; b answers.
	roundTrip := func(remote *RemotePeer, bInbound *signalling.Stream[DataChannelOpened], text string) {
		t.Helper()
		dc, err := remote.CreateDataChannel("probe", nil, DataChannelOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ch := next(t, bInbound, nil).Channel
		msgs := signalling.Events[DCMessage](ch, 4)
		if err := dc.SendText(ctx, text); err != nil {
			t.Fatal(err)
		}
		if m := next(t, msgs, nil); string(m.Data) != text {
			t.Fatalf("got %q", m.Data)
		}
	}
	rb := next(t, bJoined, nil).Peer
	roundTrip(held, signalling.Events[DataChannelOpened](rb, 4), "before")
	resets := signalling.Events[ConnectionReset](held, 4)
	heldStates := signalling.Events[StateChange](held, 16)

	srv.Restart()

	next(t, aStates, func(e StateChange) bool { return e.To == StateReconnecting })
	next(t, aStates, func(e StateChange) bool { return e.From == StateReconnecting && e.To == StateJoined })
	next(t, resets, nil)
	if got := a.RemotePeer("bob"); got != held {
		t.Fatalf("RemotePeer for bob replaced: %p != %p", got, held)
	}
	// b came back first and saw an empty roster, so alice is new to it.
	rb2 := next(t, bJoined, func(e PeerJoined) bool { return e.Peer.ID() == "alice" }).Peer
	roundTrip(held, signalling.Events[DataChannelOpened](rb2, 4), "after")
	next(t, heldStates, func(e StateChange) bool { return e.To == StateReconnecting })
	for {
		ev := next(t, heldStates, nil)
		if ev.To == StateConnecting {
			t.Fatalf("state hop %v surfaced during reconnect", ev)
		}
		if ev.To == StateConnected {
			break
		}
	}
}

// TestTerminalCloseIsFatal connects a second peer with the same JWT sub:
// the server replaces the first with close 4020, which must surface as a
// FatalError and must not be retried.
func TestTerminalCloseIsFatal(t *testing.T) {
	srv := startTestServer(t)
	ctx := context.Background()
	first := newTestPeer(t, signalling.Config{URL: srv.URL(), TokenProvider: jwtProvider("dup"), Reconnect: fastReconnect(10 * time.Millisecond)})
	fatal := signalling.Events[FatalError](first, 4)
	left := signalling.Events[Left](first, 4)
	if err := first.Join(ctx, "room/dup", JoinOptions{}); err != nil {
		t.Fatal(err)
	}
	second := newTestPeer(t, signalling.Config{URL: srv.URL(), TokenProvider: jwtProvider("dup")})
	secondDisc := signalling.Events[signalling.Disconnected](second.Client(), 4)
	if err := second.Join(ctx, "room/dup", JoinOptions{}); err != nil {
		t.Fatal(err)
	}
	ev := next(t, fatal, nil)
	var tc *signalling.TerminalCloseError
	if !errors.As(ev.Err, &tc) || tc.CloseCode != 4020 || tc.Name() != "admin_disconnect" {
		t.Fatalf("FatalError %v", ev.Err)
	}
	next(t, left, nil)
	time.Sleep(300 * time.Millisecond) // a retry would kick the second peer
	if first.State() != StateClosed || first.Client().State() != signalling.StateClosed {
		t.Fatalf("first peer %s, client %s", first.State(), first.Client().State())
	}
	if second.State() != StateJoined {
		t.Fatalf("second peer %s", second.State())
	}
	select {
	case d := <-secondDisc.C():
		t.Fatalf("second peer disconnected: %+v", d)
	default:
	}
}

// TestReplaceTrack swaps a silent track for a tone without renegotiation:
// the remote keeps the same track and starts hearing the tone. Replacing a
// track that was never added is refused; replacing with nil mutes.
func TestReplaceTrack(t *testing.T) {
	ctx, wg, a, b := twoPeers(t)
	newSource := func() *AudioSource {
		src, err := NewAudioSource(AudioSourceConfig{InputRate: 8000, MaxBuffered: 200 * time.Millisecond, StreamID: "voice-a"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(src.Close)
		return src
	}
	silent, tone := newSource(), newSource()
	wg.Go(func() {
		for ctx.Err() == nil && silent.Push(ctx, make([]byte, 1600)) == nil {
		}
	})
	if err := a.AddTrack(silent.Track(), json.RawMessage(`{"role":"voice"}`)); err != nil {
		t.Fatal(err)
	}
	bJoined := signalling.Events[PeerJoined](b, 4)
	if err := a.Join(ctx, "room/replace", JoinOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := b.Join(ctx, "room/replace", JoinOptions{}); err != nil {
		t.Fatal(err)
	}
	rb := next(t, bJoined, nil).Peer // b's view of a
	bTracks := signalling.Events[Track](rb, 4)
	reader, err := NewPCMReader(next(t, bTracks, nil).Track)
	if err != nil {
		t.Fatal(err)
	}
	for range 25 { // half a second of the silent track
		f, err := reader.ReadFrame()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range f.Samples {
			if s > 100 || s < -100 {
				t.Fatalf("the silent track carried sample %d", s)
			}
		}
	}

	if err := a.ReplaceTrack(tone.Track(), silent.Track()); err == nil {
		t.Fatal("replacing a track that was never added succeeded")
	}
	if err := a.ReplaceTrack(silent.Track(), tone.Track()); err != nil {
		t.Fatal(err)
	}
	wg.Go(func() { feed(ctx, tone, 8000, 1) })
	if err := loudFrame(reader); err != nil {
		t.Fatalf("after ReplaceTrack: %v", err)
	}
	select {
	case ev := <-bTracks.C():
		t.Errorf("ReplaceTrack renegotiated: b saw a new track %s", ev.Track.ID())
	default:
	}
	if err := a.ReplaceTrack(tone.Track(), nil); err != nil {
		t.Fatalf("mute: %v", err)
	}
}
