package peer

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/rkat-dev/rkat/realtime/signalling"
)

// bareRemote builds a RemotePeer with one connection whose outbound signals
// land on out, without any signalling server.
func bareRemote(tb testing.TB, api *webrtc.API, localID, remoteID string, out chan<- json.RawMessage) *RemotePeer {
	tb.Helper()
	p := &Peer{log: slog.New(slog.DiscardHandler), api: api}
	r := &RemotePeer{
		peer: p, id: remoteID, polite: localID < remoteID,
		em:        signalling.NewEmitter(0),
		trackMeta: map[string]json.RawMessage{}, live: map[string]liveTrack{}, streams: map[string]int{}, own: map[webrtc.TrackLocal]json.RawMessage{},
	}
	p.sendSignal = func(ctx context.Context, _ string, data any) error {
		raw, err := json.Marshal(data)
		if err != nil {
			return err
		}
		select {
		case out <- raw:
		case <-ctx.Done():
		}
		return nil
	}
	c, err := p.newConnectionLocked(r, nil)
	if err != nil {
		tb.Fatal(err)
	}
	r.conn = c
	tb.Cleanup(func() {
		r.close()
		p.bg.Wait()
	})
	return r
}

// barePair connects nothing yet: alice's RemotePeer for bob and bob's for
// alice, each with the channel its outbound signals land on.
func barePair(tb testing.TB) (a, b *RemotePeer, aOut, bOut chan json.RawMessage) {
	tb.Helper()
	api := loopbackAPI(tb)
	aOut = make(chan json.RawMessage, 64)
	bOut = make(chan json.RawMessage, 64)
	return bareRemote(tb, api, "alice", "bob", aOut), bareRemote(tb, api, "bob", "alice", bOut), aOut, bOut
}

// deliver hands one outbound message of the other side to r, as the Peer's
// direct handler would.
func deliver(r *RemotePeer, raw json.RawMessage) {
	if s, ok := parseSignal(raw); ok {
		c := r.current()
		c.enqueue(func() { c.handleSignal(s) })
		return
	}
	if m, ok := parseTrackMeta(raw); ok {
		r.setTrackMeta(m)
	}
}

// TestGlareResolves makes both sides offer before either offer is
// delivered: the polite side must roll back and answer, the impolite side
// must ignore the colliding offer, and both channels must then carry data.
func TestGlareResolves(t *testing.T) {
	a, b, aOut, bOut := barePair(t) // alice's view of bob (polite) and bob's of alice
	if !a.Polite() || b.Polite() {
		t.Fatal("politeness: alice < bob must make alice polite")
	}
	aIn := signalling.Events[DataChannelOpened](a, 4)
	bIn := signalling.Events[DataChannelOpened](b, 4)
	aStates := signalling.Events[StateChange](a, 16)
	bStates := signalling.Events[StateChange](b, 16)

	aDC, err := a.CreateDataChannel("from-alice", nil, DataChannelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	bDC, err := b.CreateDataChannel("from-bob", nil, DataChannelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	offerA, offerB := <-aOut, <-bOut
	for _, o := range []json.RawMessage{offerA, offerB} {
		s, ok := parseSignal(o)
		if !ok || s.desc == nil || s.desc.Type != webrtc.SDPTypeOffer {
			t.Fatalf("expected an offer, got %s", o)
		}
	}
	deliver(b, offerA) // impolite bob ignores alice's colliding offer
	deliver(a, offerB) // polite alice rolls back and answers
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pumped := make(chan struct{}, 2)
	pump := func(from <-chan json.RawMessage, to *RemotePeer) {
		defer func() { pumped <- struct{}{} }()
		for {
			select {
			case raw := <-from:
				deliver(to, raw)
			case <-ctx.Done():
				return
			}
		}
	}
	go pump(aOut, b)
	go pump(bOut, a)
	defer func() { cancel(); <-pumped; <-pumped }()

	next(t, aStates, func(e StateChange) bool { return e.To == StateConnected })
	next(t, bStates, func(e StateChange) bool { return e.To == StateConnected })
	gotA := next(t, aIn, nil).Channel // bob's channel, seen by alice
	gotB := next(t, bIn, nil).Channel
	if gotA.Label() != "from-bob" || gotB.Label() != "from-alice" {
		t.Fatalf("labels %q %q", gotA.Label(), gotB.Label())
	}
	aMsgs := signalling.Events[DCMessage](gotA, 4)
	bMsgs := signalling.Events[DCMessage](gotB, 4)
	if err := aDC.SendText(ctx, "hello bob"); err != nil {
		t.Fatal(err)
	}
	if err := bDC.Send(ctx, []byte{0, 1, 2}); err != nil {
		t.Fatal(err)
	}
	if m := next(t, bMsgs, nil); !m.IsString || string(m.Data) != "hello bob" {
		t.Fatalf("bob got %+v", m)
	}
	if m := next(t, aMsgs, nil); m.IsString || string(m.Data) != "\x00\x01\x02" {
		t.Fatalf("alice got %+v", m)
	}
}

func TestParseSignal(t *testing.T) {
	tests := []struct {
		in      string
		ok      bool
		isDesc  bool
		hasCand bool
	}{
		{`{"type":"rtc-description","description":{"type":"offer","sdp":"v=0"}}`, true, true, false},
		{`{"type":"rtc-description","description":{"type":"answer","sdp":""}}`, true, true, false},
		{`{"type":"rtc-description","description":{"type":"pranswer","sdp":"v=0"}}`, false, false, false},
		{`{"type":"rtc-description","description":{"type":"offer"}}`, false, false, false},
		{`{"type":"rtc-description","description":"v=0"}`, false, false, false},
		{`{"type":"rtc-ice","candidate":null}`, true, false, false},
		{`{"type":"rtc-ice","candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 9 typ host","sdpMid":"0","sdpMLineIndex":0}}`, true, false, true},
		{`{"type":"rtc-ice"}`, false, false, false},
		{`{"type":"rtc-ice","candidate":"x"}`, false, false, false},
		{`{"type":"chat","text":"hi"}`, false, false, false},
		{`[1]`, false, false, false},
		{`"rtc-ice"`, false, false, false},
	}
	for _, tt := range tests {
		s, ok := parseSignal(json.RawMessage(tt.in))
		if ok != tt.ok || (s.desc != nil) != tt.isDesc || (s.candidate != nil) != tt.hasCand {
			t.Errorf("parseSignal(%s) = %+v, %v", tt.in, s, ok)
		}
	}
}

func TestParseTrackMeta(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		meta string
	}{
		{`{"__meteredTrackMeta":{"trackId":"t1","metadata":{"role":"camera"}}}`, true, `{"role":"camera"}`},
		{`{"__meteredTrackMeta":{"trackId":"t1"}}`, true, ``},
		{`{"__meteredTrackMeta":{"trackId":""}}`, false, ``},
		{`{"__meteredTrackMeta":{"trackId":"t1","metadata":[1]}}`, false, ``},
		{`{"__meteredTrackMeta":"x"}`, false, ``},
		{`{"other":1}`, false, ``},
	}
	for _, tt := range tests {
		m, ok := parseTrackMeta(json.RawMessage(tt.in))
		if ok != tt.ok || string(m.metadata) != tt.meta {
			t.Errorf("parseTrackMeta(%s) = %+v, %v", tt.in, m, ok)
		}
	}
	// Our own messages use the JS SDK's exact shapes.
	raw, _ := json.Marshal(trackMetaMessage("t9", json.RawMessage(`{"a":1}`)))
	if string(raw) != `{"__meteredTrackMeta":{"trackId":"t9","metadata":{"a":1}}}` {
		t.Errorf("track meta message %s", raw)
	}
	raw, _ = json.Marshal(trackMetaMessage("t9", nil))
	if string(raw) != `{"__meteredTrackMeta":{"trackId":"t9"}}` {
		t.Errorf("clear message %s", raw)
	}
	raw, _ = json.Marshal(descriptionMessage(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: "v=0\r\n"}))
	if string(raw) != `{"type":"rtc-description","description":{"type":"answer","sdp":"v=0\r\n"}}` {
		t.Errorf("description message %s", raw)
	}
}

func FuzzParseDirect(f *testing.F) {
	for _, s := range []string{
		`{"type":"rtc-description","description":{"type":"offer","sdp":"v=0"}}`,
		`{"type":"rtc-ice","candidate":{"candidate":1}}`,
		`{"__meteredTrackMeta":{"trackId":"t","metadata":{}}}`,
		`null`, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		parseSignal(b)
		parseTrackMeta(b)
		isReservedPayload(b)
	})
}

// TestIceRestartAndStreamRemoved connects two bare connections carrying an
// audio track, forces an ICE restart (new credentials, same connection), then
// removes the track and expects StreamRemoved on the receiver.
func TestIceRestartAndStreamRemoved(t *testing.T) {
	a, b, aOut, bOut := barePair(t) // alice's view of bob (polite) and bob's of alice
	ctx, cancel := context.WithCancel(context.Background())
	pumped := make(chan struct{}, 2)
	pump := func(from <-chan json.RawMessage, to *RemotePeer, offers *atomic.Int32) {
		defer func() { pumped <- struct{}{} }()
		for {
			select {
			case raw := <-from:
				if s, ok := parseSignal(raw); ok && s.desc != nil && s.desc.Type == webrtc.SDPTypeOffer {
					offers.Add(1)
				}
				deliver(to, raw)
			case <-ctx.Done():
				return
			}
		}
	}
	var aOffers, bOffers atomic.Int32
	go pump(aOut, b, &aOffers)
	go pump(bOut, a, &bOffers)
	defer func() { cancel(); <-pumped; <-pumped }()

	src, err := NewAudioSource(AudioSourceConfig{StreamID: "s1"})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	bStates := signalling.Events[StateChange](b, 16)
	tracks := signalling.Events[Track](b, 4)
	removed := signalling.Events[StreamRemoved](b, 4)
	if err := a.AddTrack(src.Track(), json.RawMessage(`{"k":"v"}`)); err != nil {
		t.Fatal(err)
	}
	tr := next(t, tracks, nil)
	if tr.StreamID != "s1" || string(tr.Metadata) != `{"k":"v"}` {
		t.Fatalf("track %+v", tr)
	}
	next(t, bStates, func(e StateChange) bool { return e.To == StateConnected })
	before := iceUfrag(b.PC().RemoteDescription().SDP)
	c := a.current()
	c.enqueue(func() { c.makeOffer(true) }) // what the ladder runs once ICE failed
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if rd := b.PC().RemoteDescription(); rd != nil && iceUfrag(rd.SDP) != before && a.PC().SignalingState() == webrtc.SignalingStateStable {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("ICE restart did not renegotiate credentials")
		}
	}
	if n := aOffers.Load(); n < 2 {
		t.Fatalf("alice sent %d offers, want the initial one and the restart", n)
	}
	a.RemoveTrack(src.Track())
	if ev := next(t, removed, nil); ev.StreamID != "s1" {
		t.Fatalf("StreamRemoved %+v", ev)
	}
	if st := a.PC().ICEConnectionState(); st == webrtc.ICEConnectionStateFailed {
		t.Fatalf("ICE %s after restart", st)
	}
}

// iceUfrag returns the first a=ice-ufrag value of an SDP.
func iceUfrag(sdp string) string {
	for line := range strings.SplitSeq(sdp, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "a=ice-ufrag:"); ok {
			return v
		}
	}
	return ""
}

func TestRestartDelays(t *testing.T) {
	want := []time.Duration{0, 1, 2, 4, 8, 16, 30, 30, 30}
	for i, w := range want {
		if got := restartDelay(i); got != w*time.Second {
			t.Errorf("attempt %d: %s, want %s", i+1, got, w*time.Second)
		}
	}
}

// TestCandidatesBeforeDescription trickles the offerer's candidates ahead of
// an offer stripped of them (what a browser's early rtc-ice looks like): the
// answerer must hold them until the description is set, then connect.
func TestCandidatesBeforeDescription(t *testing.T) {
	a, b, aOut, bOut := barePair(t) // alice's view of bob (polite) and bob's of alice
	bStates := signalling.Events[StateChange](b, 16)
	if _, err := a.CreateDataChannel("x", nil, DataChannelOptions{}); err != nil {
		t.Fatal(err)
	}
	offer, _ := parseSignal(<-aOut)
	var kept []string
	mid := "0"
	for line := range strings.SplitSeq(offer.desc.SDP, "\r\n") {
		if c, ok := strings.CutPrefix(line, "a=candidate:"); ok {
			raw, _ := json.Marshal(map[string]any{"type": "rtc-ice", "candidate": map[string]any{"candidate": "candidate:" + c, "sdpMid": mid, "sdpMLineIndex": 0}})
			deliver(b, raw)
			continue
		}
		if line != "" && line != "a=end-of-candidates" {
			kept = append(kept, line)
		}
	}
	if len(kept) == len(strings.Split(offer.desc.SDP, "\r\n")) {
		t.Fatal("offer carried no candidates to trickle")
	}
	deliver(b, mustJSON(t, map[string]any{"type": "rtc-ice", "candidate": nil}))
	deliver(b, mustJSON(t, descriptionMessage(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: strings.Join(kept, "\r\n") + "\r\n"})))
	deliver(a, <-bOut) // the answer
	next(t, bStates, func(e StateChange) bool { return e.To == StateConnected })
	// Without the held candidates b would only know alice as peer-reflexive.
	hosts := 0
	for _, st := range b.PC().GetStats() {
		if c, ok := st.(webrtc.ICECandidateStats); ok && c.Type == webrtc.StatsTypeRemoteCandidate && c.CandidateType == webrtc.ICECandidateTypeHost {
			hosts++
		}
	}
	if hosts == 0 {
		t.Fatal("no trickled host candidate reached bob's agent")
	}
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestOfferCarriesApplicationSection: an offer made for an audio track
// alone still has an application m-section, so a polite browser whose
// colliding first offer (with its first data channel) is rolled back gets
// the section negotiated from ours (see reserveApplicationSection).
func TestOfferCarriesApplicationSection(t *testing.T) {
	out := make(chan json.RawMessage, 16)
	a := bareRemote(t, loopbackAPI(t), "bob", "alice", out)
	src, err := NewAudioSource(AudioSourceConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := a.AddTrack(src.Track(), nil); err != nil {
		t.Fatal(err)
	}
	s, ok := parseSignal(<-out)
	if !ok || s.desc == nil || s.desc.Type != webrtc.SDPTypeOffer {
		t.Fatalf("expected an offer, got %+v", s)
	}
	for _, m := range []string{"m=audio ", "m=application "} {
		if !strings.Contains(s.desc.SDP, "\r\n"+m) {
			t.Errorf("offer lacks %q:\n%s", m, s.desc.SDP)
		}
	}
}

func TestCandidateGeneration(t *testing.T) {
	remote := &webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=ice-ufrag:7IyW\r\na=mid:0\r\n"}
	ufrag := func(s string) *string { return &s }
	tests := []struct {
		name      string
		cand      webrtc.ICECandidateInit
		wantUfrag string
		current   bool
	}{
		{"extension, current", webrtc.ICECandidateInit{Candidate: "candidate:1 1 udp 2113937151 127.0.0.1 5000 typ host generation 0 ufrag 7IyW network-cost 999"}, "7IyW", true},
		{"extension, old generation", webrtc.ICECandidateInit{Candidate: "candidate:1 1 udp 2113937151 127.0.0.1 5000 typ host generation 0 ufrag fOV+ network-cost 999"}, "fOV+", false},
		{"usernameFragment wins", webrtc.ICECandidateInit{Candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host ufrag fOV+", UsernameFragment: ufrag("7IyW")}, "7IyW", true},
		{"prefix of the current ufrag", webrtc.ICECandidateInit{Candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host ufrag 7Iy"}, "7Iy", false},
		{"no ufrag", webrtc.ICECandidateInit{Candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host"}, "", false},
		{"ufrag as a value, not a key", webrtc.ICECandidateInit{Candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host raddr ufrag"}, "", false},
		{"truncated", webrtc.ICECandidateInit{Candidate: "candidate:1 1 udp"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := candidateUfrag(tt.cand)
			if u != tt.wantUfrag {
				t.Fatalf("ufrag %q, want %q", u, tt.wantUfrag)
			}
			if u != "" && sdpHasUfrag(remote, u) != tt.current {
				t.Errorf("current generation: %v, want %v", !tt.current, tt.current)
			}
		})
	}
	if sdpHasUfrag(nil, "7IyW") {
		t.Error("no description has no ufrag")
	}
}

// TestImpoliteHoldsFirstOffer: the impolite side of a new connection with a
// track to send lets the remote offer first and answers it, instead of
// crossing it with an offer of its own (see holdInitialOffer).
func TestImpoliteHoldsFirstOffer(t *testing.T) {
	a, b, aOut, bOut := barePair(t) // alice's view of bob (polite) and bob's of alice
	b.current().offerGrace = time.Hour
	src, err := NewAudioSource(AudioSourceConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := b.AddTrack(src.Track(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateDataChannel("x", nil, DataChannelOptions{}); err != nil {
		t.Fatal(err)
	}
	deliver(b, <-aOut)
	if s := mustSignal(t, <-bOut); s.desc.Type != webrtc.SDPTypeAnswer {
		t.Fatalf("impolite side sent %s, want an answer to the remote's offer", s.desc.Type)
	}
}

func mustSignal(t *testing.T, raw json.RawMessage) signal {
	t.Helper()
	s, ok := parseSignal(raw)
	if !ok || s.desc == nil {
		t.Fatalf("not a description: %s", raw)
	}
	return s
}
